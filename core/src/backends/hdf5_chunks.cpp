#include "hdf5_chunks.hpp"

#include <algorithm>

namespace asebytes::columnar {

std::vector<std::uint64_t> chunk_shape(std::int64_t item_bytes, const std::vector<std::int64_t>& row_shape,
                                       std::int64_t expected_rows, std::int64_t chunk_frames, RowAxis axis) {
    std::int64_t row_bytes = std::max<std::int64_t>(1, item_bytes);
    for (auto s : row_shape)
        row_bytes *= std::max<std::int64_t>(1, s);
    const std::int64_t fit = std::max<std::int64_t>(1, kChunkBytes / row_bytes);
    const std::int64_t wanted =
        axis == RowAxis::Atoms ? std::max(chunk_frames, fit) : std::min(chunk_frames, fit);
    std::vector<std::uint64_t> chunk{
        static_cast<std::uint64_t>(std::max<std::int64_t>(1, std::min(wanted, expected_rows)))};
    for (auto s : row_shape)
        chunk.push_back(static_cast<std::uint64_t>(std::max<std::int64_t>(1, s)));
    if (chunk[0] == 1 && row_bytes > kChunkBytes && !row_shape.empty()) {
        const std::int64_t inner = row_bytes / std::max<std::int64_t>(1, row_shape[0]);
        chunk[1] = static_cast<std::uint64_t>(std::max<std::int64_t>(
            1, std::min(row_shape[0], kChunkBytes / std::max<std::int64_t>(1, inner))));
    }
    return chunk;
}

} // namespace asebytes::columnar
