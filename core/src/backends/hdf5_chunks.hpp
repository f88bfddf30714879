#pragma once
// The chunk shape of a new dataset of the HDF5 stores. Chunk shape is not part of the format
// (every reader reads any chunking; docs/formats/columnar.md), so ours differs from upstream's
// where upstream's is slow: upstream chunks every dataset by min(chunk_frames, rows of the first
// write) along axis 0, which for per-atom data of the ragged layout means 64 atoms, about 4,000
// chunks of 1.5 KB per column for a 256,000-atom frame.
#include <cstdint>
#include <vector>

namespace asebytes::columnar {

/// About this many bytes per chunk where the data is large enough.
inline constexpr std::int64_t kChunkBytes = std::int64_t{1} << 20;

/// What axis 0 of a dataset counts.
enum class RowAxis {
    Frames, ///< one row per frame: chunk_frames rows (upstream), fewer if a chunk would pass kChunkBytes
    Atoms,  ///< one row per atom (ragged per-atom data): rows worth kChunkBytes, at least chunk_frames
};

/// The chunk of a dataset whose rows have `row_shape` of `item_bytes` elements and whose first
/// write holds `expected_rows` rows: never more rows than that write (a small store stays small
/// uncompressed); a single row above kChunkBytes (a padded frame of many atoms) is split along
/// its first axis. Every dimension is at least 1.
std::vector<std::uint64_t> chunk_shape(std::int64_t item_bytes, const std::vector<std::int64_t>& row_shape,
                                       std::int64_t expected_rows, std::int64_t chunk_frames, RowAxis axis);

} // namespace asebytes::columnar
