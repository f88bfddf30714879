#pragma once
// Atomistic statistics of a group for `asebytes info`: species counts, the range of atom counts,
// and the spread of energies and of each frame's largest force.
#include <cstddef>
#include <map>
#include <optional>

#include "asebytes/value.hpp"

namespace asebytes::cli {

/// Minimum, maximum and mean of a series of numbers.
struct Spread {
    std::size_t count = 0;
    double min = 0, max = 0, sum = 0;

    void add(double x);
    double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }
};

struct FrameStats {
    std::map<int, std::size_t> species; ///< atomic number -> atoms over all frames
    Spread natoms;                      ///< atoms per frame (rows with arrays.numbers)
    Spread energy;                      ///< calc.energy
    Spread energy_per_atom;             ///< calc.energy / atoms
    Spread max_force;                   ///< the largest |F_i| of each frame with calc.forces

    /// Folds one row in; rows without these keys add nothing.
    void add(const Row& row);
};

} // namespace asebytes::cli
