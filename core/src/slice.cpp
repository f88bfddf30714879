#include "asebytes/slice.hpp"

#include "asebytes/error.hpp"

namespace asebytes {

Indices Slice::resolve(std::size_t size) const {
    if (step == 0) throw TypeError("slice step cannot be zero");
    const auto n = static_cast<std::int64_t>(size);
    // CPython's PySlice_AdjustIndices.
    auto clamp = [&](std::optional<std::int64_t> v, std::int64_t dflt, std::int64_t lo, std::int64_t hi) {
        if (!v) return dflt;
        std::int64_t x = *v;
        if (x < 0) {
            x += n;
            if (x < 0) x = lo;
        } else if (x >= n) {
            x = hi;
        }
        return x;
    };
    Indices out;
    if (step > 0) {
        const std::int64_t b = clamp(start, 0, 0, n), e = clamp(stop, n, 0, n);
        for (std::int64_t i = b; i < e; i += step)
            out.push_back(static_cast<std::size_t>(i));
    } else {
        const std::int64_t b = clamp(start, n - 1, -1, n - 1), e = clamp(stop, -1, -1, n - 1);
        for (std::int64_t i = b; i > e; i += step)
            out.push_back(static_cast<std::size_t>(i));
    }
    return out;
}

std::size_t normalize_index(std::int64_t i, std::size_t n) {
    const std::int64_t j = i < 0 ? i + static_cast<std::int64_t>(n) : i;
    if (j < 0 || j >= static_cast<std::int64_t>(n))
        throw IndexError("index " + std::to_string(i) + " out of range for " + std::to_string(n) + " rows");
    return static_cast<std::size_t>(j);
}

Indices normalize_indices(const std::vector<std::int64_t>& positions, std::size_t n) {
    Indices out;
    out.reserve(positions.size());
    for (auto p : positions)
        out.push_back(normalize_index(p, n));
    return out;
}

} // namespace asebytes
