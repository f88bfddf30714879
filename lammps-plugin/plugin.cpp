// `plugin load asebytes_lammps_plugin.so` for LAMMPS builds with the PLUGIN package. The plugin
// ABI is LAMMPS's src/lammpsplugin.h; an installed LAMMPS (Debian's liblammps-dev, `cmake
// --install` of a source build) does not ship that header, so it is declared here as LAMMPS
// 20220106 has it when the header is not found.
#include "fix_asebytes.h"
#include "lammps.h"

#if __has_include("lammpsplugin.h")
#include "lammpsplugin.h"
extern "C" {
#else
extern "C" {
typedef void*(lammpsplugin_factory1)(void*);
typedef void*(lammpsplugin_factory2)(void*, int, char**);
typedef struct {
    const char* version;
    const char* style;
    const char* name;
    const char* info;
    const char* author;
    union {
        lammpsplugin_factory1* v1;
        lammpsplugin_factory2* v2;
    } creator;
    void* handle;
} lammpsplugin_t;
typedef void (*lammpsplugin_regfunc)(lammpsplugin_t*, void*);
#endif

static void* fix_asebytes_creator(void* lmp, int narg, char** arg) {
    return LAMMPS_NS::FixASEBytes::create(static_cast<LAMMPS_NS::LAMMPS*>(lmp), narg, arg);
}

void lammpsplugin_init(void* lmp, void* handle, void* regfunc) {
    lammpsplugin_t plugin;
    plugin.version = static_cast<LAMMPS_NS::LAMMPS*>(lmp)->version; // the running LAMMPS's own
    plugin.style = "fix";
    plugin.name = "asebytes";
    plugin.info = "fix asebytes: stream training frames into asebytes stores";
    plugin.author = "asebytes-cpp";
    plugin.creator.v2 = &fix_asebytes_creator;
    plugin.handle = handle;
    reinterpret_cast<lammpsplugin_regfunc>(regfunc)(&plugin, lmp);
}
}
