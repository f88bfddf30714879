#include "backends_data.hpp"

#include <cmath>
#include <fstream>
#include <random>
#include <stdexcept>

namespace fs = std::filesystem;
using nlohmann::json;

namespace asebytes::bench {

namespace {

// An ethanol geometry (C C O H H H H H H, Angstrom); only its shape matters here.
// clang-format off
const std::vector<double> kEthanol = {
     1.1879, -0.3829,  0.0000,   0.0000,  0.4615,  0.0000,  -1.1867, -0.2472,  0.0000,
    -1.9237,  0.3850,  0.0000,   2.0985,  0.2306,  0.0000,   1.1184, -1.0093,  0.8869,
     1.1184, -1.0093, -0.8869,  -0.0227,  1.1142,  0.8856,  -0.0227,  1.1142, -0.8856};
// clang-format on
const std::vector<std::int64_t> kEthanolNumbers = {6, 6, 8, 1, 1, 1, 1, 1, 1};
constexpr double kCuVolumePerAtom = 11.8; // Angstrom^3, sets the box of the periodic frames

template <class T> void append_bytes(std::string& out, const T* values, std::size_t n) {
    out.append(reinterpret_cast<const char*>(values), n * sizeof(T));
}

/// Adds energy, forces and stress, and appends the frame's plain bytes.
void finish_frame(Frame& f, std::mt19937_64& rng, Dataset& d) {
    std::normal_distribution<double> force(0.0, 0.5), stress(0.0, 0.01);
    std::normal_distribution<double> energy(-3.5 * static_cast<double>(f.natoms()), 0.1);
    std::vector<double> forces(3 * f.natoms());
    for (auto& x : forces)
        x = force(rng);
    std::array<double, 6> voigt{};
    for (auto& x : voigt)
        x = stress(rng);
    const double e = energy(rng);
    f.set_energy(e);
    f.set_forces(forces);
    f.set_stress(voigt);

    std::string& out = d.plain.bytes;
    const std::size_t before = out.size();
    append_bytes(out, f.numbers.data(), f.numbers.size());
    append_bytes(out, f.positions.data(), f.positions.size());
    append_bytes(out, forces.data(), forces.size());
    append_bytes(out, &e, 1);
    append_bytes(out, voigt.data(), voigt.size());
    append_bytes(out, f.cell.data(), f.cell.size());
    for (bool p : f.pbc)
        out.push_back(p ? 1 : 0);
    d.plain.frame_bytes.push_back(out.size() - before);
    d.atoms += f.natoms();
    d.frames.push_back(std::move(f));
}

/// A periodic cubic frame of `numbers` at random positions (density of copper).
Frame periodic_frame(std::vector<std::int64_t> numbers, std::mt19937_64& rng) {
    Frame f;
    const double side = std::cbrt(kCuVolumePerAtom * static_cast<double>(numbers.size()));
    std::uniform_real_distribution<double> where(0.0, side);
    f.numbers = std::move(numbers);
    f.positions.resize(3 * f.natoms());
    for (auto& x : f.positions)
        x = where(rng);
    f.cell = {side, 0, 0, 0, side, 0, 0, 0, side};
    f.pbc = {true, true, true};
    return f;
}

template <class T> void write_array(const fs::path& path, const std::vector<T>& values) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(values.data()),
              static_cast<std::streamsize>(values.size() * sizeof(T)));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

} // namespace

Dataset Dataset::prefix(std::size_t count, const std::string& new_name) const {
    if (count > frames.size())
        throw std::invalid_argument(name + " has fewer than " + std::to_string(count) + " frames");
    Dataset d;
    d.name = new_name;
    d.description = description;
    d.frames.assign(frames.begin(), frames.begin() + static_cast<std::ptrdiff_t>(count));
    d.plain.frame_bytes.assign(plain.frame_bytes.begin(),
                               plain.frame_bytes.begin() + static_cast<std::ptrdiff_t>(count));
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < count; ++i) {
        bytes += d.plain.frame_bytes[i];
        d.atoms += d.frames[i].natoms();
    }
    d.plain.bytes = plain.bytes.substr(0, bytes);
    return d;
}

std::size_t Dataset::bytes_of(const std::vector<std::int64_t>& indices) const {
    std::size_t n = 0;
    for (auto i : indices)
        n += plain.frame_bytes.at(static_cast<std::size_t>(i));
    return n;
}

Dataset ethanol_dataset(std::size_t count, std::uint64_t seed) {
    Dataset d;
    d.name = "ethanol";
    d.description = "9 atoms (ethanol-like), no cell, pbc F";
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> jitter(0.0, 0.05);
    for (std::size_t i = 0; i < count; ++i) {
        Frame f;
        f.numbers = kEthanolNumbers;
        f.positions = kEthanol;
        for (auto& x : f.positions)
            x += jitter(rng);
        finish_frame(f, rng, d);
    }
    return d;
}

Dataset periodic_dataset(std::size_t count, std::size_t min_atoms, std::size_t max_atoms,
                         std::uint64_t seed) {
    Dataset d;
    d.name = "periodic";
    d.description = std::to_string(min_atoms) + ".." + std::to_string(max_atoms) +
                    " atoms (H, C, O, Cu), cubic cell, pbc T";
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> size(min_atoms, max_atoms);
    std::uniform_int_distribution<std::size_t> species(0, 3);
    const std::int64_t kSpecies[] = {1, 6, 8, 29};
    for (std::size_t i = 0; i < count; ++i) {
        std::vector<std::int64_t> numbers(size(rng));
        for (auto& z : numbers)
            z = kSpecies[species(rng)];
        Frame f = periodic_frame(std::move(numbers), rng);
        finish_frame(f, rng, d);
    }
    return d;
}

Dataset bulk_dataset(std::size_t natoms, std::size_t count, std::uint64_t seed) {
    Dataset d;
    d.name = "atoms-" + std::to_string(natoms);
    d.description = std::to_string(natoms) + " Cu atoms, cubic cell, pbc T";
    std::mt19937_64 rng(seed + natoms);
    for (std::size_t i = 0; i < count; ++i) {
        Frame f = periodic_frame(std::vector<std::int64_t>(natoms, 29), rng);
        finish_frame(f, rng, d);
    }
    return d;
}

std::vector<std::int64_t> random_indices(std::size_t size, std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed + size);
    std::uniform_int_distribution<std::int64_t> pick(0, static_cast<std::int64_t>(size) - 1);
    std::vector<std::int64_t> out(count);
    for (auto& i : out)
        i = pick(rng);
    return out;
}

json export_arrays(const Dataset& data, const fs::path& dir) {
    fs::create_directories(dir);
    std::vector<std::int64_t> natoms, numbers;
    std::vector<double> positions, forces, energy, stress, cell;
    std::vector<std::uint8_t> pbc;
    for (const auto& f : data.frames) {
        natoms.push_back(static_cast<std::int64_t>(f.natoms()));
        numbers.insert(numbers.end(), f.numbers.begin(), f.numbers.end());
        positions.insert(positions.end(), f.positions.begin(), f.positions.end());
        const auto fo = *f.forces();
        forces.insert(forces.end(), fo.begin(), fo.end());
        energy.push_back(*f.energy());
        const auto s = *f.stress();
        stress.insert(stress.end(), s.begin(), s.end());
        cell.insert(cell.end(), f.cell.begin(), f.cell.end());
        for (bool p : f.pbc)
            pbc.push_back(p ? 1 : 0);
    }
    write_array(dir / "natoms.i64", natoms);
    write_array(dir / "numbers.i64", numbers);
    write_array(dir / "positions.f64", positions);
    write_array(dir / "forces.f64", forces);
    write_array(dir / "energy.f64", energy);
    write_array(dir / "stress.f64", stress);
    write_array(dir / "cell.f64", cell);
    write_array(dir / "pbc.u8", pbc);
    return {{"dir", dir.string()}, {"frames", data.frames.size()}, {"atoms", data.atoms}};
}

} // namespace asebytes::bench
