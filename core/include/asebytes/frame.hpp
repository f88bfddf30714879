#pragma once
// Frame: typed view of an atomistic row (ase.Atoms as asebytes flattens it). Conversion with Row
// follows asebytes' atoms_to_dict / dict_to_atoms (docs/formats/values.md).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "asebytes/value.hpp"

namespace asebytes {

struct Frame {
    std::vector<std::int64_t> numbers; ///< arrays.numbers: atomic numbers, (N,)
    std::vector<double> positions;     ///< arrays.positions: Angstrom, (N,3) row-major
    std::array<double, 9> cell{};      ///< cell: rows a, b, c in Angstrom
    std::array<bool, 3> pbc{};         ///< pbc
    Row arrays;                        ///< other per-atom arrays, by name without "arrays."
    Row calc;                          ///< calculator results, by name without "calc."
    Row info;                          ///< per-frame metadata, by name without "info."
    std::optional<Value> constraints;  ///< list of ASE constraint dicts
    Row other;                         ///< keys outside the convention, kept as they are

    std::size_t natoms() const { return numbers.size(); }

    /// The flat row asebytes stores (cell and pbc always present, like atoms_to_dict).
    Row to_row() const;
    /// The frame of a flat row; missing positions are zeros, missing cell zeros, missing pbc false
    /// (as dict_to_atoms). TypeError when a convention key has the wrong type or shape.
    static Frame from_row(const Row& row);
    /// The same, moving the row's values instead of copying them.
    static Frame from_row(Row&& row);

    /// calc.energy, if present.
    std::optional<double> energy() const;
    /// calc.forces as (N,3) row-major, if present.
    std::optional<std::vector<double>> forces() const;
    /// calc.stress in Voigt order xx yy zz yz xz xy (eV/Angstrom^3, ASE sign), if present.
    std::optional<std::array<double, 6>> stress() const;
    void set_energy(double energy);
    void set_forces(const std::vector<double>& forces);
    void set_stress(const std::array<double, 6>& voigt);

    friend bool operator==(const Frame& a, const Frame& b);
    friend bool operator!=(const Frame& a, const Frame& b) { return !(a == b); }
};

} // namespace asebytes
