/* See style_registration.h. */
#include "style_registration.h"

#include <dlfcn.h>

#include "fix_asebytes.h"
#include "lammps.h"
#include "modify.h"

namespace {
bool interposed = false; // set when liblammps called the post_create() below
}

void asebytes::lammps::register_styles(LAMMPS_NS::LAMMPS* lmp) {
    if (lmp->modify) (*lmp->modify->fix_map)["asebytes"] = &LAMMPS_NS::FixASEBytes::create;
}

bool asebytes::lammps::registers_every_instance() { return interposed; }

// The LAMMPS constructor and the `clear` command (Input::clear: destroy(), create(),
// post_create()) build LAMMPS's style maps anew, which would forget a style registered once.
// This definition of LAMMPS::post_create() takes precedence over liblammps.so's wherever it comes
// first in the process's symbol lookup (liblammps calls it through its PLT): in lmp_asebytes,
// which exports it (CMakeLists.txt), and in a Python process that loaded this library before
// liblammps (python/asebytes_lammps.py). It registers the styles, then runs LAMMPS's own.
extern "C" void _ZN9LAMMPS_NS6LAMMPS11post_createEv(LAMMPS_NS::LAMMPS* lmp) {
    using PostCreate = void (*)(LAMMPS_NS::LAMMPS*);
    static const auto lammps_post_create =
        reinterpret_cast<PostCreate>(dlsym(RTLD_NEXT, "_ZN9LAMMPS_NS6LAMMPS11post_createEv"));
    interposed = true;
    asebytes::lammps::register_styles(lmp);
    if (lammps_post_create) lammps_post_create(lmp);
}
