// `asebytes info STORE`: what a store holds, as a table or as JSON.
#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "asebytes/elements.hpp"
#include "asebytes/registry.hpp"
#include "commands.hpp"
#include "store_groups.hpp"
#include "store_summary.hpp"

namespace asebytes::cli {

namespace {

using Json = nlohmann::ordered_json;

struct InfoOptions {
    std::string store;
    std::optional<std::string> group;
    bool json = false;
};

constexpr const char* kInfoExamples = R"(
Every group is described unless --group is given. A dimension that differs between rows (the
atom count of variable-size frames) is shown as N. For atomistic rows it also gives the species
(atoms of each element), the range of atom counts, and min/mean/max of calc.energy, of the
energy per atom and of each frame's largest force norm.

Examples:
  asebytes info run.lmdb
  asebytes info data.lmdb --group train
  asebytes info run.lmdb --json | jq '.group_info.default.keys["calc.energy"]'
  asebytes info train.xyz --json | jq '.group_info.default.frames.max_force')";

std::string join(const std::set<std::string>& items) {
    std::string out;
    for (const auto& s : items)
        out += (out.empty() ? "" : "|") + s;
    return out;
}

std::vector<GroupSummary> summarize(const InfoOptions& opts, const std::vector<std::string>& groups) {
    std::vector<GroupSummary> out;
    for (const auto& group : groups) {
        auto backend = open_object_backend(opts.store, OpenOptions{group, true, {}});
        out.push_back(summarize_group(*backend, group));
    }
    return out;
}

std::vector<std::vector<std::string>> key_table(const GroupSummary& g) {
    std::vector<std::vector<std::string>> table{{"key", "type", "dtype", "shape", "rows"}};
    for (const auto& [name, k] : g.keys)
        table.push_back({name, join(k.types), join(k.dtypes), shape_text(k), std::to_string(k.rows)});
    return table;
}

void print_table(const std::vector<std::vector<std::string>>& table) {
    std::vector<std::size_t> widths(table.front().size(), 0);
    for (const auto& row : table)
        for (std::size_t c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    for (const auto& row : table) {
        std::string line = "  ";
        for (std::size_t c = 0; c < row.size(); ++c)
            line += fmt::format("{:<{}}  ", row[c], widths[c]);
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        fmt::print("{}\n", line);
    }
}

std::string species_text(const FrameStats& f) {
    std::string out;
    for (const auto& [z, n] : f.species)
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ", element_symbol(z), n);
    return out;
}

void print_spread(const char* label, const Spread& s, const char* unit) {
    if (s.count == 0) return;
    fmt::print("  {:<16} min {:.6g}  mean {:.6g}  max {:.6g} {} ({} rows)\n", label, s.min, s.mean(), s.max,
               unit, s.count);
}

void print_frame_stats(const FrameStats& f) {
    if (f.natoms.count == 0) return;
    fmt::print("  atoms per frame  {} to {}\n", static_cast<std::size_t>(f.natoms.min),
               static_cast<std::size_t>(f.natoms.max));
    fmt::print("  species (atoms)  {}\n", species_text(f));
    print_spread("energy", f.energy, "eV");
    print_spread("energy per atom", f.energy_per_atom, "eV");
    print_spread("max |force|", f.max_force, "eV/A");
}

void print_text(const InfoOptions& opts, const std::vector<std::string>& all_groups,
                const std::vector<GroupSummary>& summaries) {
    fmt::print("store:   {}\n", opts.store);
    fmt::print("backend: {}\n", backend_for(opts.store).metadata->name);
    std::string names;
    for (const auto& g : all_groups)
        names += (names.empty() ? "" : ", ") + g;
    fmt::print("groups:  {}\n", names.empty() ? "(none)" : names);
    for (const auto& g : summaries) {
        fmt::print("\ngroup '{}': {} rows, {} placeholders\n", g.name, g.rows, g.placeholders);
        print_frame_stats(g.frames);
        if (!g.keys.empty()) print_table(key_table(g));
    }
}

Json shape_json(const KeySummary& k) {
    if (!k.has_shape) return nullptr;
    if (k.rank_varies) return "varies";
    Json shape = Json::array();
    for (const auto& d : k.shape)
        shape.push_back(d ? Json(*d) : Json("N"));
    return shape;
}

Json key_json(const KeySummary& k) {
    return Json{{"type", join(k.types)},
                {"dtype", k.dtypes.empty() ? Json(nullptr) : Json(join(k.dtypes))},
                {"shape", shape_json(k)},
                {"rows", k.rows}};
}

Json spread_json(const Spread& s) {
    if (s.count == 0) return nullptr;
    return Json{{"min", s.min}, {"max", s.max}, {"mean", s.mean()}, {"rows", s.count}};
}

Json frames_json(const FrameStats& f) {
    Json species = Json::object();
    for (const auto& [z, n] : f.species)
        species[element_symbol(z)] = n;
    Json natoms = f.natoms.count == 0 ? Json(nullptr)
                                      : Json{{"min", static_cast<std::size_t>(f.natoms.min)},
                                             {"max", static_cast<std::size_t>(f.natoms.max)}};
    return Json{{"natoms", std::move(natoms)},
                {"species", std::move(species)},
                {"energy", spread_json(f.energy)},
                {"energy_per_atom", spread_json(f.energy_per_atom)},
                {"max_force", spread_json(f.max_force)}};
}

Json group_json(const GroupSummary& g) {
    Json keys = Json::object();
    for (const auto& [name, k] : g.keys)
        keys[name] = key_json(k);
    return Json{{"rows", g.rows},
                {"placeholders", g.placeholders},
                {"frames", frames_json(g.frames)},
                {"keys", std::move(keys)}};
}

void print_json(const InfoOptions& opts, const std::vector<std::string>& all_groups,
                const std::vector<GroupSummary>& summaries) {
    std::size_t rows = 0;
    Json info = Json::object();
    for (const auto& g : summaries) {
        rows += g.rows;
        info[g.name] = group_json(g);
    }
    const Json out{{"store", opts.store},
                   {"backend", backend_for(opts.store).metadata->name},
                   {"groups", all_groups},
                   {"rows", rows},
                   {"group_info", std::move(info)}};
    fmt::print("{}\n", out.dump(2));
}

void run_info(const InfoOptions& opts) {
    require_existing_store(opts.store);
    const std::vector<std::string> all_groups = list_groups(opts.store);
    const auto summaries = summarize(opts, groups_to_visit(opts.store, opts.group));
    if (opts.json)
        print_json(opts, all_groups, summaries);
    else
        print_text(opts, all_groups, summaries);
}

} // namespace

void add_info_command(CLI::App& app) {
    auto opts = std::make_shared<InfoOptions>();
    CLI::App* cmd = app.add_subcommand(
        "info", "Show a store's groups, row counts, placeholders, and each key's type, dtype and shape");
    cmd->add_option("STORE", opts->store, "Store path or URI (run.lmdb, memory://name, ...)")->required();
    cmd->add_option("-g,--group", opts->group, "Describe only this group (default: every group)");
    cmd->add_flag("--json", opts->json, "Print JSON instead of a table");
    cmd->footer(kInfoExamples);
    cmd->callback([opts] { run_info(*opts); });
}

} // namespace asebytes::cli
