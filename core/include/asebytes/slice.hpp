#pragma once
// Python-style row selection: slices with negative bounds and steps, and negative indices.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asebytes {

using Indices = std::vector<std::size_t>;

/// A Python slice start:stop:step; unset bounds mean "from the start" / "to the end".
struct Slice {
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> stop;
    std::int64_t step = 1;

    Slice() = default;
    Slice(std::optional<std::int64_t> start_, std::optional<std::int64_t> stop_, std::int64_t step_ = 1)
        : start(start_), stop(stop_), step(step_) {}

    /// The positions `range(n)[start:stop:step]` selects in Python. TypeError when step is 0.
    Indices resolve(std::size_t n) const;
};

/// Python's index rule: i in [-n, n) picks a row, -1 the last one; IndexError otherwise.
std::size_t normalize_index(std::int64_t i, std::size_t n);
/// normalize_index for each element.
Indices normalize_indices(const std::vector<std::int64_t>& positions, std::size_t n);

} // namespace asebytes
