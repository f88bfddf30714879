/* The styles this project adds to LAMMPS (fix asebytes), registered in an instance's style maps:
   by the launcher lmp_asebytes, and from Python (python_module.cpp). The `plugin load` route
   registers them through LAMMPS's plugin ABI instead (plugin.cpp). */
#ifndef LMP_ASEBYTES_STYLE_REGISTRATION_H
#define LMP_ASEBYTES_STYLE_REGISTRATION_H

namespace LAMMPS_NS {
class LAMMPS;
}

namespace asebytes::lammps {

/// Adds fix asebytes to the instance's fix styles (again, if it is there already).
void register_styles(LAMMPS_NS::LAMMPS* lmp);

/// Whether every LAMMPS instance created, and recreated by `clear`, gets the styles by itself:
/// true when this library's LAMMPS::post_create() is the one liblammps calls (see the .cpp).
bool registers_every_instance();

} // namespace asebytes::lammps

#endif
