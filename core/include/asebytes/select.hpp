#pragma once
// Picking rows for a training set: predicates on a few keys (energy per atom, largest force,
// atom count, species, info values), position ranges with steps, and dropping duplicate steps.
// A Selector reads only the keys its filters name, a chunk of rows at a time (bounded in rows
// and bytes: row_chunks.hpp), so memory stays bounded by the chunk (plus one index per selected
// row) for stores larger than RAM.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asebytes/backend.hpp"
#include "asebytes/registry.hpp"
#include "asebytes/slice.hpp"

namespace asebytes {

/// A predicate on a row that holds (at least) the keys it names. A row lacking one fails it.
struct RowFilter {
    std::string description; ///< e.g. "energy_per_atom in [-4, -3]"
    Keys keys;               ///< what the test reads
    std::function<bool(const Row&)> test;
};

/// An inclusive range; an unset bound is open.
struct Range {
    std::optional<double> min, max;
    bool contains(double x) const { return (!min || x >= *min) && (!max || x <= *max); }
};

namespace filters {
/// calc.energy / number of atoms within the range.
RowFilter energy_per_atom(Range range);
/// The largest per-atom force norm (|F_i| from calc.forces) within the range.
RowFilter max_force(Range range);
/// The number of atoms within the range.
RowFilter atom_count(Range range);
/// Every one of these atomic numbers occurs in the frame.
RowFilter species_present(std::vector<int> numbers);
/// The frame holds no atomic numbers other than these.
RowFilter species_only(std::vector<int> numbers);
/// Field `key` (e.g. "info.config_type") equals `value`; numbers compare by value, whatever
/// their stored type (1 == 1.0 == np.int64(1)).
RowFilter equals(const std::string& key, const Value& value);
/// Field `key` is a number within the range.
RowFilter in_range(const std::string& key, Range range);
} // namespace filters

/// The filter a command-line expression describes:
///   energy_per_atom=MIN:MAX   max_force=MIN:MAX   natoms=MIN:MAX   (a bound may be left empty)
///   species=Cu,Al (all present)   only_species=Cu,Al   KEY=VALUE   KEY=MIN:MAX (any flat key)
/// Error naming the expression and the known forms when it cannot be parsed.
RowFilter parse_filter(const std::string& expression);

/// Which rows of a store pass: positions first (a slice, e.g. every 10th), then the filters,
/// then duplicates dropped (first occurrence kept).
class Selector {
public:
    /// Progress: rows examined so far and the number to examine.
    using Progress = std::function<void(std::size_t done, std::size_t total)>;

    explicit Selector(std::shared_ptr<ObjectReadBackend> source);

    /// Keeps only rows passing `filter` (all filters must pass).
    Selector& where(RowFilter filter);
    /// Looks only at the positions the slice picks (start:stop:step; a stride is ::step).
    Selector& positions(const Slice& slice);
    /// Keeps the first row of each value of `key` (rows without it are all kept).
    Selector& drop_duplicates(std::string key = "info.step");
    /// At most this many rows per request (default 1024; fewer for large rows, see ChunkLimits).
    Selector& chunk_size(std::size_t rows);
    Selector& on_progress(Progress progress);

    /// The selected row indices, ascending. `never_seen`, when given, receives the keys the
    /// filters name that no examined row holds (usually a misspelt key).
    Indices run(Keys* never_seen = nullptr) const;

private:
    std::shared_ptr<ObjectReadBackend> source_;
    std::vector<RowFilter> filters_;
    Slice slice_;
    std::optional<std::string> unique_key_;
    std::size_t chunk_ = 1024;
    Progress progress_;
};

/// The text that identifies a value for grouping and duplicate detection (numbers by value).
std::string canonical_key(const Value& v);

} // namespace asebytes
