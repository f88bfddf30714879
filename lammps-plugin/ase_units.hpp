#pragma once
// Conversion factors from a LAMMPS unit style to ASE units (eV, Angstrom, amu, e, and ASE's time
// unit Angstrom*sqrt(amu/eV)). Constants are ASE's (CODATA 2014, ase.units), so values we write
// agree with what ASE computes from the same LAMMPS output. lj has no conversion.
#include <optional>
#include <string>

namespace asebytes::lammps {

struct AseUnits {
    double energy = 1;   ///< native energy -> eV
    double distance = 1; ///< native distance -> Angstrom
    double time_fs = 1;  ///< native time -> fs
    double mass = 1;     ///< native mass -> amu
    double charge = 1;   ///< native charge -> e
    double velocity = 1; ///< native velocity -> Angstrom per ASE time unit (Angstrom*sqrt(amu/eV))

    /// Factors for a LAMMPS unit style; nullopt for lj (and unknown styles).
    static std::optional<AseUnits> for_style(const std::string& style);
    /// All factors 1: `units native`.
    static AseUnits native() { return {}; }

    double force() const { return energy / distance; }
    /// energy / volume: pressure and stress.
    double pressure() const { return energy / (distance * distance * distance); }
    /// native time -> ps, how info.time is stored.
    double time_ps() const { return time_fs * 1e-3; }
};

} // namespace asebytes::lammps
