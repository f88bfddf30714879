// lmp_asebytes: the `lmp` executable with `fix asebytes` built in. Debian's LAMMPS has no PLUGIN
// package, so the fix cannot be loaded at run time there; this launcher takes every `lmp`
// command-line option and runs the input exactly as lmp does (LAMMPS's own src/main.cpp),
// after registering the fix style in the instance.
#include <dlfcn.h>
#include <mpi.h>

#include <cstdio>

#include "fix_asebytes.h"
#include "input.h"
#include "lammps.h"
#include "modify.h"

namespace {
void register_styles(LAMMPS_NS::LAMMPS *lmp)
{
  if (lmp->modify) (*lmp->modify->fix_map)["asebytes"] = &LAMMPS_NS::FixASEBytes::create;
}
}  // namespace

// The `clear` command destroys and recreates LAMMPS's style maps (Input::clear: destroy(),
// create(), post_create()), which would forget the style registered in main(). This definition
// of LAMMPS::post_create() takes precedence over liblammps.so's (the library calls it through
// its PLT; the executable exports it, see CMakeLists.txt), registers the style again and then
// runs LAMMPS's own post_create().
extern "C" void _ZN9LAMMPS_NS6LAMMPS11post_createEv(LAMMPS_NS::LAMMPS *lmp)
{
  using PostCreate = void (*)(LAMMPS_NS::LAMMPS *);
  static const auto lammps_post_create =
      reinterpret_cast<PostCreate>(dlsym(RTLD_NEXT, "_ZN9LAMMPS_NS6LAMMPS11post_createEv"));
  register_styles(lmp);
  if (lammps_post_create) lammps_post_create(lmp);
}

int main(int argc, char **argv)
{
  // The asebytes writer thread makes no MPI call: FUNNELED is all it needs.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  {
    LAMMPS_NS::LAMMPS lammps(argc, argv, MPI_COMM_WORLD);
    register_styles(&lammps);
    lammps.input->file();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
