#include "ase_units.hpp"

namespace asebytes::lammps {
namespace {

// ase.units, CODATA 2014 (ASE 3.22 default).
constexpr double kJoule = 6.241509125883258e+18; // eV
constexpr double kAmuKg = 1.66053904e-27;
constexpr double kElectronC = 1.6021766208e-19;
constexpr double kKcalPerMol = 0.04336410390059322; // eV
constexpr double kHartree = 27.211386024367243;     // eV
constexpr double kBohr = 0.5291772105638411;        // Angstrom
constexpr double kAseFs = 0.09822694788464063;      // one fs in ASE time units
constexpr double kStatCoulomb = 1.0 / 2997924580.0; // C

} // namespace

namespace {

// energy, distance, time (fs), mass (amu), charge (e): see the LAMMPS `units` page.
AseUnits make(double energy, double distance, double time_fs, double mass, double charge) {
    return AseUnits{energy, distance, time_fs, mass, charge, distance / (time_fs * kAseFs)};
}

} // namespace

std::optional<AseUnits> AseUnits::for_style(const std::string& style) {
    if (style == "metal") return make(1.0, 1.0, 1e3, 1.0, 1.0);
    if (style == "real") return make(kKcalPerMol, 1.0, 1.0, 1.0, 1.0);
    if (style == "si") return make(kJoule, 1e10, 1e15, 1.0 / kAmuKg, 1.0 / kElectronC);
    if (style == "cgs") return make(1e-7 * kJoule, 1e8, 1e15, 1e-3 / kAmuKg, kStatCoulomb / kElectronC);
    if (style == "electron") return make(kHartree, kBohr, 1.0, 1.0, 1.0);
    if (style == "micro") return make(1e-15 * kJoule, 1e4, 1e9, 1e-15 / kAmuKg, 1e-12 / kElectronC);
    if (style == "nano") return make(1e-21 * kJoule, 10.0, 1e6, 1e-21 / kAmuKg, 1.0);
    return std::nullopt;
}

} // namespace asebytes::lammps
