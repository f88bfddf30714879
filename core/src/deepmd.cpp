#include "asebytes/deepmd.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "asebytes/elements.hpp"
#include "asebytes/row_chunks.hpp"
#include "npy_writer.hpp"

namespace asebytes {

namespace fs = std::filesystem;

namespace {

// Frames that share their atoms, in order: one DeePMD system.
struct SystemPlan {
    std::vector<std::int64_t> numbers;
    Indices rows;
    bool all_have_stress = true;
    bool any_periodic = false;
};

Indices slice_of(const Indices& rows, std::size_t start, std::size_t stop) {
    return Indices(rows.begin() + static_cast<std::ptrdiff_t>(start),
                   rows.begin() + static_cast<std::ptrdiff_t>(stop));
}

const Value& required(const Row& row, const std::string& key, std::size_t index) {
    auto it = row.find(key);
    if (it == row.end())
        throw Error("deepmd export needs " + key + " in every row; row " + std::to_string(index) +
                    " has none");
    return it->second;
}

// Pass 1: the composition of every row (only arrays.numbers, pbc and calc.stress are read).
std::vector<SystemPlan> plan_systems(ObjectReadBackend& source, const Indices& rows,
                                     const ChunkLimits& limits) {
    std::vector<SystemPlan> systems;
    std::map<std::vector<std::int64_t>, std::size_t> by_numbers;
    const Keys keys{"arrays.numbers", "pbc", "calc.stress"};
    for_each_chunk(
        source, rows, keys, limits, [&](const Indices& part, const std::vector<std::optional<Row>>& got) {
            for (std::size_t j = 0; j < part.size(); ++j) {
                if (!got[j])
                    throw Error("deepmd export: row " + std::to_string(part[j]) + " is a placeholder");
                const Row& row = *got[j];
                auto numbers = required(row, "arrays.numbers", part[j]).as_array().to_vector<std::int64_t>();
                auto [it, fresh] = by_numbers.try_emplace(numbers, systems.size());
                if (fresh) systems.push_back(SystemPlan{std::move(numbers), {}, true, false});
                SystemPlan& system = systems[it->second];
                system.rows.push_back(part[j]);
                system.all_have_stress = system.all_have_stress && row.count("calc.stress");
                if (auto pbc = row.find("pbc"); pbc != row.end() && pbc->second.is_array()) {
                    const auto p = pbc->second.as_array().to_vector<bool>();
                    system.any_periodic =
                        system.any_periodic || std::any_of(p.begin(), p.end(), [](bool b) { return b; });
                }
            }
        });
    return systems;
}

void write_lines(const fs::path& path, const std::vector<std::string>& lines) {
    std::ofstream out(path);
    for (const auto& l : lines)
        out << l << '\n';
    if (!out) throw BackendError("cannot write " + path.string());
}

double volume_of(const std::vector<double>& c) {
    return std::abs(c[0] * (c[4] * c[8] - c[5] * c[7]) - c[1] * (c[3] * c[8] - c[5] * c[6]) +
                    c[2] * (c[3] * c[7] - c[4] * c[6]));
}

// DeePMD's virial from ASE's Voigt stress (xx yy zz yz xz xy, eV/A^3): -stress * volume, 3x3.
std::array<double, 9> virial_of(const std::vector<double>& s, double volume) {
    const double xx = s[0], yy = s[1], zz = s[2], yz = s[3], xz = s[4], xy = s[5];
    std::array<double, 9> v{xx, xy, xz, xy, yy, yz, xz, yz, zz};
    for (auto& x : v)
        x *= -volume;
    return v;
}

// One set.NNN directory: rows [start, stop) of the system.
void write_set(ObjectReadBackend& source, const SystemPlan& system, std::size_t start, std::size_t stop,
               const fs::path& dir, const ChunkLimits& limits) {
    fs::create_directories(dir);
    const std::size_t frames = stop - start, n3 = 3 * system.numbers.size();
    NpyWriter coord((dir / "coord.npy").string(), {frames, n3});
    NpyWriter box((dir / "box.npy").string(), {frames, 9});
    NpyWriter energy((dir / "energy.npy").string(), {frames});
    NpyWriter force((dir / "force.npy").string(), {frames, n3});
    std::optional<NpyWriter> virial;
    // A stress without a periodic cell (volume 0) gives no virial.
    if (system.all_have_stress && system.any_periodic)
        virial.emplace((dir / "virial.npy").string(), std::vector<std::size_t>{frames, 9});
    const Indices rows = slice_of(system.rows, start, stop);
    for_each_chunk(source, rows, std::nullopt, limits,
                   [&](const Indices& part, const std::vector<std::optional<Row>>& got) {
                       for (std::size_t j = 0; j < part.size(); ++j) {
                           const Row& row = *got[j];
                           const auto positions =
                               required(row, "arrays.positions", part[j]).as_array().to_vector<double>();
                           const auto forces =
                               required(row, "calc.forces", part[j]).as_array().to_vector<double>();
                           if (positions.size() != n3 || forces.size() != n3)
                               throw Error("deepmd export: row " + std::to_string(part[j]) +
                                           " has positions or forces of the wrong size");
                           const double e = required(row, "calc.energy", part[j]).as_double();
                           std::vector<double> cell(9, 0.0);
                           if (auto c = row.find("cell"); c != row.end())
                               cell = c->second.as_array().to_vector<double>();
                           coord.append(positions);
                           box.append(cell);
                           energy.append(&e, 1);
                           force.append(forces);
                           if (virial) {
                               const auto stress =
                                   required(row, "calc.stress", part[j]).as_array().to_vector<double>();
                               if (stress.size() != 6)
                                   throw Error("deepmd export: row " + std::to_string(part[j]) +
                                               ": calc.stress is not Voigt (6,)");
                               const auto v = virial_of(stress, volume_of(cell));
                               virial->append(v.data(), v.size());
                           }
                       }
                   });
    coord.close();
    box.close();
    energy.close();
    force.close();
    if (virial) virial->close();
}

} // namespace

std::vector<DeepmdSystem> write_deepmd(ObjectReadBackend& source, const Indices& rows, const std::string& dir,
                                       const DeepmdOptions& options) {
    ChunkLimits chunk; // at most chunk_size rows and ChunkLimits' bytes per read
    chunk.max_rows = std::max<std::size_t>(options.chunk_size, 1);
    const std::size_t set_size = std::max<std::size_t>(options.set_size, 1);
    const auto systems = plan_systems(source, rows, chunk);

    // One type map for every system, so a type index means the same element everywhere.
    std::set<std::int64_t> species;
    for (const auto& s : systems)
        species.insert(s.numbers.begin(), s.numbers.end());
    std::vector<std::string> type_map;
    for (auto z : species)
        type_map.push_back(element_symbol(static_cast<int>(z)));
    fs::create_directories(dir);
    write_lines(fs::path(dir) / "type_map.raw", type_map);

    std::vector<DeepmdSystem> out;
    std::map<std::string, std::size_t> name_uses;
    for (const auto& system : systems) {
        std::string name = hill_formula(system.numbers);
        if (const std::size_t uses = name_uses[name]++; uses > 0) name += "_" + std::to_string(uses + 1);
        const fs::path sys_dir = fs::path(dir) / name;
        fs::create_directories(sys_dir);
        std::vector<std::string> types;
        for (auto z : system.numbers)
            types.push_back(std::to_string(std::distance(species.begin(), species.find(z))));
        write_lines(sys_dir / "type.raw", types);
        write_lines(sys_dir / "type_map.raw", type_map);
        if (!system.any_periodic) write_lines(sys_dir / "nopbc", {});
        for (std::size_t start = 0, set = 0; start < system.rows.size(); start += set_size, ++set) {
            char set_name[16];
            std::snprintf(set_name, sizeof(set_name), "set.%03zu", set);
            write_set(source, system, start, std::min(system.rows.size(), start + set_size),
                      sys_dir / set_name, chunk);
        }
        out.push_back({name, system.rows.size(), system.numbers.size()});
    }
    return out;
}

} // namespace asebytes
