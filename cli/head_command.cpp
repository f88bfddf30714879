// `asebytes head STORE [-n N]`: one line per row; `asebytes show STORE INDEX`: one row in full.
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "asebytes/registry.hpp"
#include "asebytes/slice.hpp"
#include "commands.hpp"
#include "index_range.hpp"
#include "row_text.hpp"
#include "store_groups.hpp"

namespace asebytes::cli {

namespace {

struct HeadOptions {
    std::string store;
    std::optional<std::string> group;
    std::size_t count = 10;
};

struct ShowOptions {
    std::string store;
    std::optional<std::string> group;
    std::int64_t index = 0;
};

std::shared_ptr<ObjectReadBackend> open_for_reading(const std::string& store,
                                                    const std::optional<std::string>& group) {
    require_existing_store(store);
    OpenOptions options;
    options.group = group;
    options.readonly = true;
    return open_object_backend(store, options);
}

std::string number_or_dash(const Row& row, const std::string& key) {
    auto it = row.find(key);
    if (it == row.end()) return "-";
    try {
        return fmt::format("{:.6f}", it->second.as_double());
    } catch (const TypeError&) {
        return "-";
    }
}

std::string max_force_text(const Row& row) {
    auto it = row.find("calc.forces");
    if (it == row.end() || !it->second.is_array()) return "-";
    const auto f = it->second.as_array().to_vector<double>();
    double m = 0;
    for (std::size_t i = 0; i + 2 < f.size(); i += 3)
        m = std::max(m, std::sqrt(f[i] * f[i] + f[i + 1] * f[i + 1] + f[i + 2] * f[i + 2]));
    return fmt::format("{:.4f}", m);
}

std::string info_text(const Row& row) {
    std::string out;
    for (const auto& [key, v] : row) {
        if (key.rfind("info.", 0) != 0 || (v.is_array() && v.as_array().size() > 3)) continue;
        out += (out.empty() ? "" : " ") + key.substr(5) + "=" + value_text(v);
    }
    return out;
}

void run_head(const HeadOptions& opts) {
    auto backend = open_for_reading(opts.store, opts.group);
    const std::size_t n = std::min(opts.count, backend->size());
    fmt::print("{:>6}  {:>6}  {:<12}  {:>16}  {:>10}  {}\n", "row", "atoms", "formula", "energy", "max|F|",
               "info");
    const auto rows = backend->get_many(index_range(0, n));
    for (std::size_t i = 0; i < n; ++i) {
        if (!rows[i]) {
            fmt::print("{:>6}  (placeholder)\n", i);
            continue;
        }
        const Row& r = *rows[i];
        const auto numbers = r.find("arrays.numbers");
        const std::string atoms = numbers == r.end() || !numbers->second.is_array()
                                      ? "-"
                                      : std::to_string(numbers->second.as_array().size());
        fmt::print("{:>6}  {:>6}  {:<12}  {:>16}  {:>10}  {}\n", i, atoms, formula_of(r),
                   number_or_dash(r, "calc.energy"), max_force_text(r), info_text(r));
    }
    fmt::print("({} of {} rows)\n", n, backend->size());
}

void run_show(const ShowOptions& opts) {
    auto backend = open_for_reading(opts.store, opts.group);
    const std::size_t i = normalize_index(opts.index, backend->size());
    const auto row = backend->get(i);
    fmt::print("row {} of {} ({} rows)\n", i, backend->location(), backend->size());
    if (!row) {
        fmt::print("  (placeholder: no data)\n");
        return;
    }
    fmt::print("{}", row_text(*row));
}

constexpr const char* kHeadExamples = R"(
One line per row: atoms, formula, calc.energy, the largest force norm and short info values.

Examples:
  asebytes head run.lmdb
  asebytes head train.xyz -n 3
  asebytes head data.lmdb --group test -n 20)";

constexpr const char* kShowExamples = R"(
Every key of one row; per-atom arrays (positions, forces, ...) as a table. A negative INDEX
counts from the end.

Examples:
  asebytes show run.lmdb 0
  asebytes show train.xyz -1
  asebytes show data.lmdb 5 --group test)";

} // namespace

void add_head_command(CLI::App& app) {
    auto opts = std::make_shared<HeadOptions>();
    CLI::App* cmd = app.add_subcommand("head", "Show the first rows of a store, one line each");
    cmd->add_option("STORE", opts->store, "Store path or URI")->required();
    cmd->add_option("-n,--rows", opts->count, "How many rows")->capture_default_str();
    cmd->add_option("-g,--group", opts->group, "Group to read (default: the backend's default group)");
    cmd->footer(kHeadExamples);
    cmd->callback([opts] { run_head(*opts); });
}

void add_show_command(CLI::App& app) {
    auto opts = std::make_shared<ShowOptions>();
    CLI::App* cmd = app.add_subcommand("show", "Show one row of a store in full");
    cmd->add_option("STORE", opts->store, "Store path or URI")->required();
    cmd->add_option("INDEX", opts->index, "Row index (negative counts from the end)")->required();
    cmd->add_option("-g,--group", opts->group, "Group to read (default: the backend's default group)");
    cmd->footer(kShowExamples);
    cmd->callback([opts] { run_show(*opts); });
}

} // namespace asebytes::cli
