#pragma once
// What `asebytes info` reports about one group: row and placeholder counts, and for every key
// the value types, dtypes and array shape seen across the rows.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "asebytes/backend.hpp"
#include "frame_stats.hpp"

namespace asebytes::cli {

/// One key over all rows of a group.
struct KeySummary {
    std::set<std::string> types;  ///< Python type names ("ndarray", "float", "str", ...)
    std::set<std::string> dtypes; ///< numpy dtype names of the array values ("float64", ...)
    /// Array shape; a dimension is nullopt where it differs between rows (the atom count).
    std::vector<std::optional<std::int64_t>> shape;
    bool has_shape = false;   ///< at least one array value was seen
    bool rank_varies = false; ///< arrays of this key have different numbers of dimensions
    std::size_t rows = 0;     ///< rows that hold the key

    /// Folds one row's value into the summary.
    void add(const Value& value);
};

/// One group of a store.
struct GroupSummary {
    std::string name;
    std::size_t rows = 0;
    std::size_t placeholders = 0;
    std::map<std::string, KeySummary> keys;
    FrameStats frames;

    /// Folds one row (nullopt: a placeholder) into the summary.
    void add(const std::optional<Row>& row);
};

/// Reads every row of `backend` in chunks and summarises them (progress on a terminal).
GroupSummary summarize_group(ObjectReadBackend& backend, const std::string& name);

/// "(N, 3)", "(9,)", "()" for 0-d arrays, "varies" when the rank differs, "" for non-arrays.
std::string shape_text(const KeySummary& key);

} // namespace asebytes::cli
