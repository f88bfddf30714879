// `asebytes verify STORE`: decodes every row of every group; the first row that cannot be read
// is reported with its group, index and reason, and the exit status is non-zero.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "asebytes/frame.hpp"
#include "asebytes/registry.hpp"
#include "asebytes/row_chunks.hpp"
#include "commands.hpp"
#include "index_range.hpp"
#include "progress.hpp"
#include "store_groups.hpp"

namespace asebytes::cli {

namespace {

struct VerifyOptions {
    std::string store;
    std::optional<std::string> group;
    std::size_t chunk_rows = 1000;
    bool repair = false;
};

// Why row `row` is bad, or nullopt: decoding, and the atoms convention where it applies.
std::optional<std::string> check_row(ObjectReadBackend& backend, std::size_t index) {
    try {
        const auto row = backend.get(index);
        if (row && row->count("arrays.numbers")) Frame::from_row(*row);
        return std::nullopt;
    } catch (const Error& e) {
        return std::string(e.what());
    }
}

// The first bad row of a chunk that failed as a whole.
std::pair<std::size_t, std::string> first_bad_row(ObjectReadBackend& backend, std::size_t start,
                                                  std::size_t stop, const std::string& chunk_error) {
    for (std::size_t i = start; i < stop; ++i)
        if (auto why = check_row(backend, i)) return {i, *why};
    return {start, chunk_error};
}

std::size_t verify_group(const VerifyOptions& opts, const std::string& group) {
    OpenOptions options;
    options.group = group;
    // The repair (for backends whose metadata says repairs_uncommitted) opens the store for
    // writing, which also puts right a short end of allocation, then cuts what a writer killed
    // between two flushes left; the rows are then read as any reader reads them.
    if (opts.repair) repair_store(opts.store, options);
    options.readonly = true;
    auto backend = open_object_backend(opts.store, options);
    const std::size_t n = backend->size();
    Progress progress("verifying group '" + group + "'", n);
    const Indices all = index_range(0, n);
    ChunkLimits limits;
    limits.max_rows = opts.chunk_rows;
    RowChunks chunks(all, limits);
    while (!chunks.done()) {
        const Indices chunk = chunks.next();
        try {
            const auto rows = backend->get_many(chunk);
            chunks.weigh(rows);
            for (const auto& row : rows)
                if (row && row->count("arrays.numbers")) Frame::from_row(*row);
        } catch (const Error& e) {
            progress.finish();
            const auto [index, why] = first_bad_row(*backend, chunk.front(), chunk.back() + 1, e.what());
            throw Error(fmt::format("{}: group '{}', row {} is bad: {}", opts.store, group, index, why));
        }
        progress.update(chunks.position());
    }
    return n;
}

void run_verify(const VerifyOptions& opts) {
    const auto started = std::chrono::steady_clock::now();
    require_existing_store(opts.store);
    const auto groups = groups_to_visit(opts.store, opts.group);
    std::size_t rows = 0;
    for (const auto& group : groups)
        rows += verify_group(opts, group);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    fmt::print("{}: OK, {} rows in {} group(s) decoded in {:.2f} s\n", opts.store, rows, groups.size(),
               elapsed.count());
}

constexpr const char* kVerifyExamples = R"(
Reads and decodes every row of every group (or of --group) and checks atomistic rows (arrays
match the atom count). Exit status 0 when every row is good; otherwise the first bad row is
named with the reason and the status is 1.

--repair first puts right what a writer killed between two flushes can leave in an HDF5 store
(.h5, .h5p, .h5md): an end of allocation short of the file's end, and datasets longer than the
committed frames. Our readers cope with both; Python asebytes and h5py may not until the store is
repaired (README, Reliability). Run it on a store no writer has open. Other backends need nothing.

Examples:
  asebytes verify run.lmdb
  asebytes verify train.xyz && echo fine
  asebytes verify --repair killed.h5md   then Python asebytes reads it as well)";

} // namespace

void add_verify_command(CLI::App& app) {
    auto opts = std::make_shared<VerifyOptions>();
    CLI::App* cmd =
        app.add_subcommand("verify", "Decode every row; report the first bad one (non-zero exit)");
    cmd->add_option("STORE", opts->store, "Store path or URI")->required();
    cmd->add_option("-g,--group", opts->group, "Verify only this group (default: every group)");
    cmd->add_option("--chunk-rows", opts->chunk_rows,
                    "At most this many rows per read (fewer when rows are large)")
        ->check(CLI::Range(1, 100000000))
        ->capture_default_str();
    cmd->add_flag("--repair", opts->repair,
                  "Open for writing first: repairs an HDF5 store a killed writer left (see below)");
    cmd->footer(kVerifyExamples);
    cmd->callback([opts] { run_verify(*opts); });
}

} // namespace asebytes::cli
