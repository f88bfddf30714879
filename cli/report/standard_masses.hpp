#pragma once
// Standard atomic masses for rows without arrays.masses, as ASE's Atoms.get_masses() uses them.

namespace asebytes::cli::report {

/// The standard mass of element `z` in amu (ASE's table); 0 for an unknown element.
double standard_mass(int z);

} // namespace asebytes::cli::report
