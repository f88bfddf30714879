#pragma once
// bench_backends' measurements, the references each is compared with, and their output: a
// readable table per workload and per scaling series, and the JSON record.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_support.hpp"

namespace asebytes::bench {

/// One timed operation: `target` (e.g. "ours/lmdb", "py/h5-gzip", "raw/memcpy") doing `op`
/// ("write", "read_all", "random", "column_energy", "column_positions") on `workload`.
struct Result {
    std::string workload;
    std::string target;
    std::string op;
    Stats time;
    int reps = 0;
    std::size_t frames = 0;                 // frames the operation touches
    std::size_t bytes = 0;                  // plain bytes of those values (the raw references' amount)
    std::optional<std::size_t> store_bytes; // writes of ours: the store's size on disk
};

/// The hardware reference `target` doing `op` is measured against ("raw/write",
/// "raw/write+fsync" for stores that fsync their commits, "raw/memcpy" for reads); none for
/// the references themselves.
std::optional<std::string> hardware_reference(const std::string& target, const std::string& op);
/// Our backend that another tool's `target` is compared with ("py/lmdb" -> "ours/lmdb").
std::optional<std::string> counterpart(const std::string& target);

class ResultSet {
public:
    void add(Result r) { results_.push_back(std::move(r)); }
    void add_json(const nlohmann::json& entries); // the Python side's results
    const std::vector<Result>& all() const { return results_; }
    const Result* find(const std::string& workload, const std::string& target, const std::string& op) const;

    /// Median of `r` over the median of its hardware reference in the same workload.
    std::optional<double> x_hardware(const Result& r) const;
    /// Median of `r` over the median of our counterpart (> 1: ours is faster).
    std::optional<double> over_ours(const Result& r) const;

    /// A matrix of targets (rows) by the ops of `workload`: median ms (x hardware reference),
    /// then other tools / ours.
    void print_workload(const std::string& workload, const std::string& heading) const;
    /// One op over a series of workloads (columns), e.g. write cost as frames grow.
    void print_series(const std::vector<std::string>& workloads, const std::vector<std::string>& labels,
                      const std::string& op, const std::string& heading) const;

    nlohmann::json to_json() const;

private:
    std::vector<std::string> targets_of(const std::vector<std::string>& workloads) const;
    std::vector<Result> results_;
};

} // namespace asebytes::bench
