/* fix asebytes for LAMMPS driven from Python (python3-lammps: `from lammps import lammps`):
   python/asebytes_lammps.py loads this library and calls these functions through ctypes. */
#include "lammps.h"
#include "style_registration.h"

extern "C" {

/// Registers the styles in the instance `handle` (lammps().lmp, a LAMMPS_NS::LAMMPS *).
/// Returns 0, or -1 for a null handle.
int asebytes_lammps_register(void* handle) {
    if (!handle) return -1;
    asebytes::lammps::register_styles(static_cast<LAMMPS_NS::LAMMPS*>(handle));
    return 0;
}

/// 1 when every instance, also after `clear`, gets the styles without asebytes_lammps_register.
int asebytes_lammps_registers_every_instance() {
    return asebytes::lammps::registers_every_instance() ? 1 : 0;
}
}
