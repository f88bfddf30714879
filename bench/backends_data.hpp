#pragma once
// The frames bench_backends stores: generated from a fixed seed, every frame with energy, forces,
// stress, positions, numbers, cell and pbc, plus the same values as plain arrays (the bytes the
// raw references copy and write) and a binary export that the Python side reads back, so both
// sides time exactly the same data.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <asebytes/frame.hpp>

#include "bench_support.hpp"

namespace asebytes::bench {

struct Dataset {
    std::string name;
    std::string description;
    std::vector<Frame> frames;
    /// Per frame: numbers (int64), positions, forces (float64 N x 3), energy, stress (6), cell
    /// (9) as float64, pbc (3 bytes); frame after frame.
    FramedBytes plain;
    std::size_t atoms = 0; // over all frames

    /// The first `count` frames as a dataset of their own (named `name`).
    Dataset prefix(std::size_t count, const std::string& name) const;
    /// Plain bytes of the frames at `indices`.
    std::size_t bytes_of(const std::vector<std::int64_t>& indices) const;
};

/// `count` ethanol-like molecules (9 atoms, no cell, pbc F), jittered around one geometry.
Dataset ethanol_dataset(std::size_t count, std::uint64_t seed);
/// `count` periodic frames (cubic cell, pbc T) of min_atoms..max_atoms atoms of H, C, O, Cu.
Dataset periodic_dataset(std::size_t count, std::size_t min_atoms, std::size_t max_atoms, std::uint64_t seed);
/// `count` periodic Cu frames of `natoms` atoms each.
Dataset bulk_dataset(std::size_t natoms, std::size_t count, std::uint64_t seed);

/// `count` indices in [0, size), drawn from `seed`.
std::vector<std::int64_t> random_indices(std::size_t size, std::size_t count, std::uint64_t seed);

/// Writes the frames as flat binary arrays (natoms, numbers, positions, forces, energy, stress,
/// cell, pbc) into `dir`; returns their description for the Python side.
nlohmann::json export_arrays(const Dataset& data, const std::filesystem::path& dir);

} // namespace asebytes::bench
