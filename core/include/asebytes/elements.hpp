#pragma once
// Chemical elements: symbols, atomic numbers, standard masses (ASE's table).
#include <cstdint>
#include <string>
#include <vector>

namespace asebytes {

/// Atomic number of a symbol ("Cu" -> 29), 0 when unknown.
int atomic_number(const std::string& symbol);
/// Symbol of an atomic number, "X" when unknown.
const char* element_symbol(int z);

/// The chemical formula of atomic numbers in Hill order, as ASE's get_chemical_formula('hill'):
/// C first, then H, then the rest alphabetically; without carbon, all alphabetically ("CH4",
/// "Cu4", "ClNa"). Counts of 1 are left out.
std::string hill_formula(const std::vector<std::int64_t>& numbers);

/// The standard mass of element `z` in amu (ASE's table, as Atoms.get_masses() uses it); 0 for an
/// unknown element.
double standard_mass(int z);

struct MassGuess {
    int number = 0;         ///< 0: no element within tolerance
    int ambiguous_with = 0; ///< another element within tolerance, if any
};
/// The element whose standard mass (ASE's table) is within `tolerance` amu of `mass_amu`; wide
/// enough for masses given to two decimals, narrow enough to flag Co/Ni or Ar/Ca as ambiguous.
MassGuess guess_element(double mass_amu, double tolerance = 0.15);

} // namespace asebytes
