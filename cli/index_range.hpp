#pragma once
// Row positions for one chunked read.
#include "asebytes/backend.hpp"

namespace asebytes::cli {

/// The indices start, start + 1, ..., stop - 1.
inline Indices index_range(std::size_t start, std::size_t stop) {
    Indices out(stop - start);
    for (std::size_t i = start; i < stop; ++i)
        out[i - start] = i;
    return out;
}

} // namespace asebytes::cli
