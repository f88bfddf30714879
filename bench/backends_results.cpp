#include "backends_results.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>

using nlohmann::json;

namespace asebytes::bench {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Rows print in this order of tools: ours, Python asebytes, ASE, ase.db, h5py, the raw limits.
int tool_rank(const std::string& target) {
    const char* const kOrder[] = {"ours/", "py/", "ase/", "ase.db/", "h5py/", "raw/"};
    for (int i = 0; i < 6; ++i)
        if (starts_with(target, kOrder[i])) return i;
    return 6;
}

const char* const kOps[] = {"write", "read_all", "random", "column_energy", "column_positions"};

constexpr int kLabelWidth = 17;

/// Prints a table: one line per row id, one cell per column, empty where `cell` gives "".
void print_table(const std::vector<std::string>& rows, const std::vector<std::string>& columns, int width,
                 const std::function<std::string(const std::string&, const std::string&)>& cell) {
    std::printf("  %-*s", kLabelWidth, "");
    for (const auto& c : columns)
        std::printf(" %*s", width, c.c_str());
    std::printf("\n");
    for (const auto& r : rows) {
        std::string line;
        bool any = false;
        for (const auto& c : columns) {
            const std::string text = cell(r, c);
            any = any || !text.empty();
            char buf[64];
            std::snprintf(buf, sizeof buf, " %*s", width, text.c_str());
            line += buf;
        }
        if (any) std::printf("  %-*s%s\n", kLabelWidth, r.c_str(), line.c_str());
    }
}

/// Milliseconds to three significant digits (memcpy of a few values takes microseconds).
std::string ms_text(double seconds) {
    const double ms = seconds * 1e3;
    return fmt(ms >= 100 ? "%.0f" : ms >= 10 ? "%.1f" : ms >= 1 ? "%.2f" : "%.3g", ms);
}

std::string time_cell(const ResultSet& set, const Result* r) {
    if (!r) return "";
    std::string text = ms_text(r->time.median);
    if (const auto x = set.x_hardware(*r)) text += " (" + ratio_text(*x) + ")";
    return text;
}

} // namespace

std::optional<std::string> hardware_reference(const std::string& target, const std::string& op) {
    if (starts_with(target, "raw/")) return std::nullopt;
    if (op != "write") return "raw/memcpy";
    // LMDB and SQLite make every commit durable (fsync); the HDF5 and text writers do not.
    const bool syncs = target.find("lmdb") != std::string::npos || target == "ase.db/sqlite";
    return syncs ? "raw/write+fsync" : "raw/write";
}

std::optional<std::string> counterpart(const std::string& target) {
    if (starts_with(target, "py/")) return "ours/" + target.substr(3);
    if (target == "ase/extxyz") return "ours/extxyz";
    if (target == "ase.db/sqlite") return "ours/lmdb";
    if (target == "h5py/plain") return "ours/h5-none";
    if (target == "raw/lmdb") return "ours/lmdb"; // the floor under it: < 1, how far above it we are
    return std::nullopt;
}

void ResultSet::add_json(const json& entries) {
    for (const auto& e : entries)
        add({e.at("workload").get<std::string>(), e.at("target").get<std::string>(),
             e.at("op").get<std::string>(),
             Stats{e.at("median_s").get<double>(), e.at("min_s").get<double>(), e.at("max_s").get<double>()},
             e.at("reps").get<int>(), e.at("frames").get<std::size_t>(), e.at("bytes").get<std::size_t>(),
             std::nullopt});
}

const Result* ResultSet::find(const std::string& workload, const std::string& target,
                              const std::string& op) const {
    for (const auto& r : results_)
        if (r.workload == workload && r.target == target && r.op == op) return &r;
    return nullptr;
}

std::optional<double> ResultSet::x_hardware(const Result& r) const {
    const auto ref = hardware_reference(r.target, r.op);
    if (!ref) return std::nullopt;
    const Result* base = find(r.workload, *ref, r.op);
    if (!base || base->time.median <= 0) return std::nullopt;
    return r.time.median / base->time.median;
}

std::optional<double> ResultSet::over_ours(const Result& r) const {
    const auto ours = counterpart(r.target);
    if (!ours) return std::nullopt;
    const Result* base = find(r.workload, *ours, r.op);
    if (!base || base->time.median <= 0) return std::nullopt;
    return r.time.median / base->time.median;
}

std::vector<std::string> ResultSet::targets_of(const std::vector<std::string>& workloads) const {
    std::vector<std::string> out;
    for (const auto& r : results_)
        if (std::find(workloads.begin(), workloads.end(), r.workload) != workloads.end() &&
            std::find(out.begin(), out.end(), r.target) == out.end())
            out.push_back(r.target);
    std::stable_sort(out.begin(), out.end(),
                     [](const std::string& a, const std::string& b) { return tool_rank(a) < tool_rank(b); });
    return out;
}

void ResultSet::print_workload(const std::string& workload, const std::string& heading) const {
    const auto targets = targets_of({workload});
    if (targets.empty()) return;
    std::vector<std::string> ops;
    for (const char* op : kOps)
        if (std::any_of(results_.begin(), results_.end(),
                        [&](const Result& r) { return r.workload == workload && r.op == op; }))
            ops.push_back(op);
    std::printf("\n== %s ==\n  median ms (x its hardware reference: raw/write[+fsync] for writes, raw/memcpy "
                "of the same values for reads)\n",
                heading.c_str());
    print_table(targets, ops, 18, [&](const std::string& t, const std::string& op) {
        return time_cell(*this, find(workload, t, op));
    });
    if (std::none_of(results_.begin(), results_.end(),
                     [&](const Result& r) { return r.workload == workload && over_ours(r); }))
        return;
    std::printf("  other tool / ours on the same op (> 1: ours is faster; py/X vs ours/X, ase/extxyz vs "
                "ours/extxyz,\n  ase.db/sqlite vs ours/lmdb, h5py/plain vs ours/h5-none; raw/lmdb, the bare "
                "LMDB operations\n  of our layout, vs ours/lmdb: the share of our time LMDB itself takes)\n");
    print_table(targets, ops, 18, [&](const std::string& t, const std::string& op) {
        const Result* r = find(workload, t, op);
        const auto v = r ? over_ours(*r) : std::nullopt;
        return v ? ratio_text(*v) : "";
    });
}

void ResultSet::print_series(const std::vector<std::string>& workloads,
                             const std::vector<std::string>& labels, const std::string& op,
                             const std::string& heading) const {
    const auto targets = targets_of(workloads);
    if (targets.empty()) return;
    std::printf("\n== %s ==\n  median ms (x hardware reference); other tool / ours in [ ]\n",
                heading.c_str());
    print_table(targets, labels, 26, [&](const std::string& t, const std::string& label) {
        const auto i =
            static_cast<std::size_t>(std::find(labels.begin(), labels.end(), label) - labels.begin());
        const Result* r = find(workloads[i], t, op);
        std::string text = time_cell(*this, r);
        if (const auto v = r ? over_ours(*r) : std::nullopt) text += " [" + ratio_text(*v) + "]";
        return text;
    });
}

json ResultSet::to_json() const {
    json out = json::array();
    for (const auto& r : results_) {
        json j = {{"workload", r.workload},
                  {"target", r.target},
                  {"op", r.op},
                  {"reps", r.reps},
                  {"frames", r.frames},
                  {"bytes", r.bytes},
                  {"frames_per_s", static_cast<double>(r.frames) / r.time.median},
                  {"mb_per_s", static_cast<double>(r.bytes) / r.time.median / 1e6}};
        j.update(stats_json(r.time));
        if (r.store_bytes) j["store_bytes"] = *r.store_bytes;
        if (const auto ref = hardware_reference(r.target, r.op))
            if (const auto x = x_hardware(r)) {
                j["reference"] = *ref;
                j["x_reference"] = *x;
            }
        if (const auto v = over_ours(r)) {
            j["counterpart"] = *counterpart(r.target);
            j["over_counterpart"] = *v;
        }
        out.push_back(j);
    }
    return out;
}

} // namespace asebytes::bench
