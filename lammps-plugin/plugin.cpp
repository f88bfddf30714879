// `plugin load libasebytes_lammps_plugin.so` for LAMMPS builds with the PLUGIN package.
// Debian's LAMMPS has no PLUGIN package (and no lammpsplugin.h), so this declares the plugin ABI
// of LAMMPS's src/PLUGIN/lammpsplugin.h itself; it cannot be tested with the Debian build.
#include "fix_asebytes.h"
#include "lammps.h"

extern "C" {
typedef void *(lammpsplugin_factory1)(void *);
typedef void *(lammpsplugin_factory2)(void *, int, char **);
typedef struct {
  const char *version;
  const char *style;
  const char *name;
  const char *info;
  const char *author;
  union {
    lammpsplugin_factory1 *v1;
    lammpsplugin_factory2 *v2;
  } creator;
  void *handle;
} lammpsplugin_t;
typedef void (*lammpsplugin_regfunc)(lammpsplugin_t *, void *);

static void *fix_asebytes_creator(void *lmp, int narg, char **arg)
{
  return LAMMPS_NS::FixASEBytes::create(static_cast<LAMMPS_NS::LAMMPS *>(lmp), narg, arg);
}

void lammpsplugin_init(void *lmp, void *handle, void *regfunc)
{
  lammpsplugin_t plugin;
  plugin.version = static_cast<LAMMPS_NS::LAMMPS *>(lmp)->version;  // the running LAMMPS's own
  plugin.style = "fix";
  plugin.name = "asebytes";
  plugin.info = "fix asebytes: stream training frames into asebytes stores";
  plugin.author = "asebytes-cpp";
  plugin.creator.v2 = &fix_asebytes_creator;
  plugin.handle = handle;
  reinterpret_cast<lammpsplugin_regfunc>(regfunc)(&plugin, lmp);
}
}
