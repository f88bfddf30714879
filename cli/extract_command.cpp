// `asebytes extract IN --split ... --filter ... --out-dir DIR`: picks rows (filters, stride,
// duplicates), splits them reproducibly and writes each part as a store of its own.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "asebytes/deepmd.hpp"
#include "asebytes/registry.hpp"
#include "asebytes/select.hpp"
#include "asebytes/split.hpp"
#include "backend_options.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "store_groups.hpp"

namespace asebytes::cli {

namespace fs = std::filesystem;

namespace {

struct ExtractOptions {
    std::string input;
    std::optional<std::string> group;
    std::string split = "selected=1.0";
    std::optional<std::uint64_t> seed;
    std::vector<std::string> filters;
    std::size_t stride = 1;
    std::optional<std::string> unique;
    std::optional<std::string> group_by;
    std::string out_dir = ".";
    std::string format = "extxyz";
    std::vector<std::string> options;
};

// The backends a part can be written to: persistent, writable, named by a file extension.
std::vector<const BackendMetadata*> part_formats() {
    std::vector<const BackendMetadata*> out;
    for (const auto& e : backends())
        if (e.metadata->writable && e.metadata->persistent && !e.metadata->extensions.empty())
            out.push_back(e.metadata);
    return out;
}

std::string part_format_names() {
    std::string known;
    for (const BackendMetadata* m : part_formats())
        known += (known.empty() ? "" : ", ") + m->name;
    return known;
}

// What a part's path ends in: the extension of the backend named by --format, or nothing for
// deepmd's directory of systems.
std::string extension_of(const std::string& format) {
    if (format == "deepmd") return "";
    for (const BackendMetadata* m : part_formats())
        if (m->name == format) return m->extensions.front();
    throw Error("unknown --format '" + format + "': deepmd, " + part_format_names());
}

// The selected rows: stride, filters (reading only their keys), duplicates dropped.
Indices select_rows(const ExtractOptions& opts, const std::shared_ptr<ObjectReadBackend>& input) {
    Selector selector(input);
    selector.positions(Slice(std::nullopt, std::nullopt, static_cast<std::int64_t>(opts.stride)));
    for (const auto& f : opts.filters)
        selector.where(parse_filter(f));
    if (opts.unique) selector.drop_duplicates(*opts.unique);
    Progress progress("selecting", input->size());
    selector.on_progress([&progress](std::size_t done, std::size_t) { progress.update(done); });
    Keys never_seen;
    Indices selected = selector.run(&never_seen);
    progress.finish();
    if (!never_seen.empty() && input->size() > 0) {
        std::string names;
        for (const auto& k : never_seen)
            names += (names.empty() ? "'" : ", '") + k + "'";
        throw Error("no row of '" + opts.input + "' has " + names + ": check the spelling ('asebytes info " +
                    opts.input + "' lists the keys)");
    }
    return selected;
}

std::vector<std::string> output_paths(const ExtractOptions& opts, const std::vector<SplitPart>& parts) {
    std::vector<std::string> paths;
    for (const auto& p : parts) {
        const std::string path = (fs::path(opts.out_dir) / (p.name + extension_of(opts.format))).string();
        if (fs::exists(path))
            throw Error("'" + path + "' already exists: remove it or choose another --out-dir");
        paths.push_back(path);
    }
    return paths;
}

std::size_t write_deepmd_part(ObjectReadBackend& input, const Indices& rows, const std::string& path) {
    std::size_t frames = 0;
    for (const auto& system : write_deepmd(input, rows, path)) {
        fmt::print("    {:<16} {:>8} frames of {} atoms\n", system.name, system.frames, system.natoms);
        frames += system.frames;
    }
    return frames;
}

std::size_t write_part(ObjectReadBackend& input, const Indices& rows, const std::string& path,
                       const std::map<std::string, std::string>& options) {
    OpenOptions o;
    o.options = options;
    auto out = std::dynamic_pointer_cast<ObjectReadWriteBackend>(open_object_backend(path, o));
    if (!out) throw Error("'" + path + "' cannot be written");
    Progress progress("writing " + path, rows.size());
    const std::size_t written = copy_rows(
        input, rows, *out, 256, [&progress](std::size_t done, std::size_t) { progress.update(done); });
    out->flush();
    return written;
}

void run_extract(const ExtractOptions& opts) {
    require_existing_store(opts.input);
    extension_of(opts.format);
    const auto parts = parse_split(opts.split);
    const auto backend_options = parse_backend_options(opts.options);
    for (const auto& f : opts.filters)
        parse_filter(f); // bad filters fail before any reading
    const auto paths = output_paths(opts, parts);

    OpenOptions in_options;
    in_options.group = opts.group;
    in_options.readonly = true;
    auto input = open_object_backend(opts.input, in_options);
    const Indices selected = select_rows(opts, input);
    fs::create_directories(opts.out_dir); // only once the selection stands
    fmt::print("{}: {} of {} rows selected\n", opts.input, selected.size(), input->size());

    SplitOptions split_options;
    split_options.seed = opts.seed;
    split_options.group_by = opts.group_by;
    const auto split = split_rows(*input, selected, parts, split_options);
    for (std::size_t k = 0; k < split.size(); ++k) {
        const std::size_t written = opts.format == "deepmd"
                                        ? write_deepmd_part(*input, split[k].second, paths[k])
                                        : write_part(*input, split[k].second, paths[k], backend_options);
        fmt::print("  {:<10} {:>8} rows -> {}\n", split[k].first, written, paths[k]);
    }
}

constexpr const char* kExtractExamples = R"(
Rows pass when they are on the --stride, pass every --filter and (with --unique) are the first of
their value. The selection is then cut into the --split parts (shuffled with --seed; consecutive
blocks without), each written to OUT_DIR/<part>.xyz or .lmdb, or with --format deepmd to the
directory OUT_DIR/<part>/ in DeePMD-kit's npy layout (one system per composition, shared
type_map.raw, set.000/{coord,box,energy,force,virial}.npy; virial = -stress * volume, in eV). A value with a decimal point is a
fraction (0.8, 1.0), a whole number a count (1000). Fractions that add up to 1 use every
selected row; counts take exactly that many.

Filters:
  energy_per_atom=MIN:MAX  max_force=MIN:MAX  natoms=MIN:MAX   (a bound may be empty: max_force=:10)
  species=Cu,Al (all present)  only_species=Cu,Al  info.KEY=VALUE  info.KEY=MIN:MAX

Examples:
  asebytes extract run.lmdb --split train=0.8,valid=0.1,test=0.1 --seed 42 --out-dir data
  asebytes extract run.lmdb --filter max_force=:10 --filter energy_per_atom=-5:0 --stride 10 --out-dir data
  asebytes extract md.xyz --split train=1000,test=100 --seed 1 --group-by info.trajectory --format lmdb --out-dir sets
  asebytes extract run.lmdb --unique info.step --option energy_key=REF_energy --option forces_key=REF_forces --out-dir mace
  asebytes extract run.lmdb --split train=0.9,valid=0.1 --seed 7 --format deepmd --out-dir dp)";

} // namespace

void add_extract_command(CLI::App& app) {
    auto opts = std::make_shared<ExtractOptions>();
    CLI::App* cmd = app.add_subcommand("extract", "Select, split and export rows as training sets");
    cmd->add_option("IN", opts->input, "Store to read")->required();
    cmd->add_option("-g,--group", opts->group, "Group of IN to read (default: the backend's default group)");
    cmd->add_option("--split", opts->split, "Parts as NAME=FRACTION,... or NAME=COUNT,...")
        ->capture_default_str();
    cmd->add_option("--seed", opts->seed, "Shuffle with this seed before splitting");
    cmd->add_option("--filter", opts->filters, "Keep rows passing this filter (repeatable)");
    cmd->add_option("--stride", opts->stride, "Look at every N-th row only")
        ->check(CLI::Range(1, 1000000000));
    cmd->add_option("--unique", opts->unique, "Drop rows repeating a value of this key (e.g. info.step)");
    cmd->add_option("--group-by", opts->group_by, "Keep rows with the same value of this key in one part");
    cmd->add_option("-o,--out-dir", opts->out_dir, "Directory for the parts")->capture_default_str();
    cmd->add_option("--format", opts->format,
                    "Output format: a backend name (" + part_format_names() +
                        "; see `asebytes formats`) or deepmd")
        ->capture_default_str();
    cmd->add_option("--option", opts->options, "Output backend option NAME=VALUE (repeatable)");
    cmd->footer(kExtractExamples);
    cmd->callback([opts] { run_extract(*opts); });
}

} // namespace asebytes::cli
