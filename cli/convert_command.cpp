// `asebytes convert IN OUT`: appends the rows of IN to OUT group by group, in chunks, keeping
// placeholder rows.
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "asebytes/registry.hpp"
#include "asebytes/row_chunks.hpp"
#include "asebytes/slice.hpp"
#include "backend_options.hpp"
#include "commands.hpp"
#include "index_range.hpp"
#include "progress.hpp"
#include "store_groups.hpp"

namespace asebytes::cli {

namespace {

struct ConvertOptions {
    std::string input;
    std::string output;
    std::optional<std::string> group;
    std::size_t chunk_rows = 1000;
    std::size_t stride = 1;
    std::vector<std::string> keys;        // empty: every key
    std::vector<std::string> out_options; // NAME=VALUE for OUT's backend
    std::vector<std::string> in_options;  // NAME=VALUE for IN's backend
};

struct GroupResult {
    std::string group;
    std::size_t rows = 0;
    std::size_t placeholders = 0;
    std::size_t rows_after = 0; ///< rows in the OUT group once the copy is done
};

constexpr const char* kConvertExamples = R"(
Without --group every group of IN is copied into the group of the same name in OUT. Rows are
appended: an existing OUT group keeps its rows. Placeholder rows stay placeholders.

--stride N copies every N-th row, --keys only the named keys. --option NAME=VALUE sets an option
of OUT's backend (see 'asebytes formats'), --in-option one of IN's.

Examples:
  asebytes convert run.lmdb copy.lmdb
  asebytes convert data.lmdb train.lmdb --group train
  asebytes convert run.lmdb every10.xyz --stride 10
  asebytes convert run.lmdb light.lmdb --keys arrays.numbers,arrays.positions,cell,pbc,calc.energy
  asebytes convert run.lmdb mace.xyz --option energy_key=REF_energy --option forces_key=REF_forces)";

template <class V>
std::shared_ptr<ReadWriteBackend<V>> open_writer(const std::string& path, const std::string& group,
                                                 const std::vector<std::string>& options) {
    auto writer = std::dynamic_pointer_cast<ReadWriteBackend<V>>(
        open_backend<V>(path, OpenOptions{group, false, parse_backend_options(options)}));
    if (!writer) throw Error("'" + path + "' cannot be written: the backend opened it read-only");
    return writer;
}

// --keys: a key that none of the first kKeyCheckRows rows holds is taken for a misspelling, before
// anything is written (the copy would otherwise hold empty rows). Reads only those keys.
constexpr std::size_t kKeyCheckRows = 1000;

template <class V>
void require_keys_present(const ConvertOptions& opts, const std::string& group, ReadBackend<V>& in,
                          const Indices& picked, const Keys& keys) {
    const Indices first(picked.begin(),
                        picked.begin() + static_cast<std::ptrdiff_t>(std::min(picked.size(), kKeyCheckRows)));
    std::set<std::string> seen;
    for_each_chunk(in, first, keys, ChunkLimits{}, [&](const Indices&, const auto& rows) {
        for (const auto& row : rows)
            if (row)
                for (const auto& field : *row)
                    seen.insert(field.first);
    });
    for (const auto& key : keys)
        if (!seen.count(key))
            throw Error("'" + opts.input + "' [" + group + "] has no key '" + key +
                        "' in its first rows: check the " + "spelling ('asebytes info " + opts.input +
                        "' lists the keys)");
}

// V is the tier the rows travel in: std::string (encoded bytes) or Value.
template <class V> GroupResult copy_group(const ConvertOptions& opts, const std::string& group) {
    auto in = open_backend<V>(opts.input, OpenOptions{group, true, parse_backend_options(opts.in_options)});
    auto out = open_writer<V>(opts.output, group, opts.out_options);
    const Indices picked =
        Slice(std::nullopt, std::nullopt, static_cast<std::int64_t>(opts.stride)).resolve(in->size());
    const std::optional<Keys> keys = opts.keys.empty() ? std::nullopt : std::optional<Keys>(opts.keys);
    GroupResult result{group, picked.size(), 0, out->size()};
    Progress progress("converting group '" + group + "'", result.rows);
    if (keys) require_keys_present(opts, group, *in, picked, *keys);
    ChunkLimits limits;
    limits.max_rows = opts.chunk_rows;
    std::size_t copied = 0;
    for_each_chunk(*in, picked, keys, limits, [&](const Indices& chunk, const auto& rows) {
        result.placeholders += static_cast<std::size_t>(
            std::count_if(rows.begin(), rows.end(), [](const auto& r) { return !r.has_value(); }));
        result.rows_after = out->extend(rows);
        copied += chunk.size();
        progress.update(copied);
    });
    out->flush();
    return result;
}

// Two blob-native backends (LMDB to LMDB) exchange the encoded bytes as they are: no decoding,
// and the values stay byte-identical. Anything else goes through Values.
bool copy_as_bytes(const ConvertOptions& opts) {
    return backend_for(opts.input).metadata->native_tier == Tier::Blob &&
           backend_for(opts.output).metadata->native_tier == Tier::Blob;
}

void check_paths(const ConvertOptions& opts) {
    require_existing_store(opts.input);
    const BackendMetadata& out = *backend_for(opts.output).metadata;
    if (!out.writable) throw Error("'" + opts.output + "': the " + out.name + " backend is read-only");
    if (same_store(opts.input, opts.output))
        throw Error("'" + opts.input + "' and '" + opts.output + "' are the same store");
}

void print_result(const ConvertOptions& opts, const GroupResult& r) {
    fmt::print("{} [{}] -> {} [{}]: {} rows ({} placeholders); the group now has {} rows\n", opts.input,
               r.group, opts.output, r.group, r.rows, r.placeholders, r.rows_after);
}

void run_convert(const ConvertOptions& opts) {
    check_paths(opts);
    const auto groups = groups_to_visit(opts.input, opts.group);
    if (groups.empty()) throw Error("'" + opts.input + "' holds no groups: nothing to convert");
    const auto started = std::chrono::steady_clock::now();
    const bool bytes = copy_as_bytes(opts);
    std::size_t total = 0;
    for (const auto& group : groups) {
        const GroupResult r = bytes ? copy_group<std::string>(opts, group) : copy_group<Value>(opts, group);
        print_result(opts, r);
        total += r.rows;
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    fmt::print("converted {} rows in {} group(s) in {:.2f} s\n", total, groups.size(), elapsed.count());
}

} // namespace

void add_convert_command(CLI::App& app) {
    auto opts = std::make_shared<ConvertOptions>();
    CLI::App* cmd = app.add_subcommand("convert", "Append every row of one store to another (any backends)");
    cmd->add_option("IN", opts->input, "Store to read (path or URI)")->required();
    cmd->add_option("OUT", opts->output, "Store to append to; created when missing")->required();
    cmd->add_option("-g,--group", opts->group, "Copy only this group (default: every group of IN)");
    cmd->add_option("--chunk-rows", opts->chunk_rows,
                    "At most this many rows per read and write transaction (fewer when rows are large)")
        ->check(CLI::Range(1, 100000000))
        ->capture_default_str();
    cmd->add_option("--stride", opts->stride, "Copy every N-th row")->check(CLI::Range(1, 1000000000));
    cmd->add_option("--keys", opts->keys, "Copy only these keys (comma-separated)")->delimiter(',');
    cmd->add_option("--option", opts->out_options, "OUT backend option NAME=VALUE (repeatable)");
    cmd->add_option("--in-option", opts->in_options, "IN backend option NAME=VALUE (repeatable)");
    cmd->footer(kConvertExamples);
    cmd->callback([opts] { run_convert(*opts); });
}

} // namespace asebytes::cli
