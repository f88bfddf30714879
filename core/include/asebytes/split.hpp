#pragma once
// Splitting selected rows into named parts (train/valid/test) reproducibly, and writing rows to
// another store chunk by chunk.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "asebytes/backend.hpp"

namespace asebytes {

/// One part of a split: a fraction of the rows or a number of rows.
struct SplitPart {
    std::string name;
    std::optional<double> fraction;
    std::optional<std::size_t> count;
};

/// "train=0.8,valid=0.1,test=0.1" (fractions, summing to at most 1) or "train=1000,test=200"
/// (counts): a value with a decimal point or below 1 is a fraction, a whole number a count. Error naming the
/// part when a name is repeated or a value is bad.
std::vector<SplitPart> parse_split(const std::string& text);

struct SplitOptions {
    /// Shuffle with this seed before cutting; unset: parts are consecutive blocks in order.
    std::optional<std::uint64_t> seed;
    /// Keep rows with the same value of this key (e.g. "info.trajectory") in the same part; the
    /// parts' sizes then follow the fractions as closely as whole groups allow.
    std::optional<std::string> group_by;
    /// Rows read per request when reading `group_by`.
    std::size_t chunk_size = 1024;
};

using SplitResult = std::vector<std::pair<std::string, Indices>>;

/// Cuts `rows` into the parts, in the parts' order; each part's indices ascending. Parts are
/// disjoint; with fractions summing to 1 they cover every row. Error when counts exceed the rows.
SplitResult split_rows(ObjectReadBackend& source, const Indices& rows, const std::vector<SplitPart>& parts,
                       const SplitOptions& options = {});

/// `rows` in an order that depends only on the seed (Fisher-Yates over mt19937_64, the same on
/// every platform).
Indices shuffled(Indices rows, std::uint64_t seed);

/// Appends rows `rows` of `source` to `target`, at most `chunk_size` rows (and ChunkLimits'
/// bytes) per batch; placeholder rows are skipped. Returns the number of rows written. `progress` gets
/// (written, total).
std::size_t copy_rows(ObjectReadBackend& source, const Indices& rows, ObjectReadWriteBackend& target,
                      std::size_t chunk_size = 256,
                      const std::function<void(std::size_t, std::size_t)>& progress = {});

} // namespace asebytes
