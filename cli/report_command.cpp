// `asebytes report STORE`: one self-contained HTML page of a store's distributions (energies,
// forces, sizes, composition, stress, volume, temperature), its outliers, and its keys, drawn
// from one streamed pass in byte-bounded chunks (asebytes/row_chunks.hpp), as verify reads.
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "asebytes/error.hpp"
#include "asebytes/registry.hpp"
#include "asebytes/row_chunks.hpp"
#include "commands.hpp"
#include "index_range.hpp"
#include "progress.hpp"
#include "report/report_html.hpp"
#include "store_groups.hpp"

namespace asebytes::cli {

namespace {

struct ReportCommandOptions {
    std::string store;
    std::vector<std::string> groups;
    std::string output = "report.html";
    std::vector<std::string> keys;
    std::optional<std::string> by;
    std::size_t top = 10;
    std::size_t chunk_rows = 1000;
};

std::vector<std::string> chosen_groups(const ReportCommandOptions& opts) {
    if (opts.groups.empty()) return groups_to_visit(opts.store, std::nullopt);
    return opts.groups;
}

GroupSummary scan_group(const ReportCommandOptions& opts, const std::string& group,
                        report::ReportData& data) {
    auto backend = open_object_backend(opts.store, OpenOptions{group, true, {}});
    GroupSummary summary;
    summary.name = group;
    const std::size_t n = backend->size();
    Progress progress("reading group '" + group + "'", n);
    ChunkLimits limits;
    limits.max_rows = opts.chunk_rows;
    for_each_chunk(*backend, index_range(0, n), std::nullopt, limits,
                   [&](const Indices& chunk, const auto& rows) {
                       for (std::size_t i = 0; i < rows.size(); ++i) {
                           summary.add(rows[i]);
                           data.add(group, chunk[i], rows[i]);
                       }
                       progress.update(summary.rows);
                   });
    return summary;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw Error(fmt::format("cannot write the report to '{}'", path));
}

void run_report(const ReportCommandOptions& opts) {
    require_existing_store(opts.store);
    const auto groups = chosen_groups(opts);
    report::ReportOptions options;
    options.by = opts.by;
    options.extra_keys = opts.keys;
    options.top_k = opts.top;
    options.series_per_group = groups.size() > 1;
    report::ReportData data(options);
    report::StoreHeader header{
        opts.store, backend_for(opts.store).metadata->name, list_groups(opts.store), {}};
    for (const auto& group : groups)
        header.groups.push_back(scan_group(opts, group, data));
    write_file(opts.output, report::report_html(header, data, opts.keys));
    std::size_t rows = 0;
    for (const auto& g : header.groups)
        rows += g.rows;
    fmt::print("{}: report of {} rows in {} group(s) written to {}\n", opts.store, rows, groups.size(),
               opts.output);
}

constexpr const char* kReportExamples = R"(
Writes one HTML file that opens in any browser, offline: a table of the store (backend, groups,
rows, placeholders, every key with dtype and shape) and plots drawn as inline SVG:
  energy per atom (eV), largest |F| per frame and |F| per atom by element (eV/A), atoms per
  frame, composition (atoms per element), stress components (eV/A^3, Voigt xx yy zz yz xz xy),
  volume per atom (A^3), energy and temperature against info.step (the row where there is none),
  and the outliers: the rows with the largest max |F| and the lowest and highest energy per atom.
The temperature is ASE's Atoms.get_temperature(): 2 KE / (dof kB) from arrays.momenta and
arrays.masses (standard masses where absent); FixAtoms and FixCom reduce the degrees of freedom.
A plot whose keys no row has is left out with a note saying which key it needs.

Several groups (--group, or every group of the store) or --by info.KEY draw one series per group
or value, overlaid as fractions so that parts of different sizes compare: train, valid and test
as `asebytes extract` writes them, or info.config_type. The store is read once, in chunks bounded
in bytes; memory grows with the number of frames (a few numbers each), not with the atoms.

Examples:
  asebytes report run.lmdb                          writes report.html
  asebytes report data.lmdb -o data.html --group train --group valid --group test
  asebytes report train.xyz --by info.config_type -o by_config.html
  asebytes report md.h5md --keys info.temperature --top 20)";

} // namespace

void add_report_command(CLI::App& app) {
    auto opts = std::make_shared<ReportCommandOptions>();
    CLI::App* cmd =
        app.add_subcommand("report", "Write one self-contained HTML page of a store's distributions");
    cmd->add_option("STORE", opts->store, "Store path or URI")->required();
    cmd->add_option("-g,--group", opts->groups,
                    "Report on this group; repeat to compare groups (default: all)");
    cmd->add_option("-o,--output", opts->output, "The HTML file to write")->capture_default_str();
    cmd->add_option("--keys", opts->keys, "Also plot these per-frame numbers (info.* or calc.* keys)")
        ->delimiter(',');
    cmd->add_option("--by", opts->by, "One series per value of this key (info.config_type, ...)");
    cmd->add_option("--top", opts->top, "Rows in each outlier list")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    cmd->add_option("--chunk-rows", opts->chunk_rows,
                    "At most this many rows per read (fewer when rows are large)")
        ->check(CLI::Range(1, 100000000))
        ->capture_default_str();
    cmd->footer(kReportExamples);
    cmd->callback([opts] { run_report(*opts); });
}

} // namespace asebytes::cli
