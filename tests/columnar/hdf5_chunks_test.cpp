// The chunk policy of the HDF5 stores (core/src/backends/hdf5_chunks.hpp): about 1 MiB chunks
// where the data is large, upstream's chunks where it is small.
#include <gtest/gtest.h>

#include "hdf5_chunks.hpp"

namespace asebytes::columnar {
namespace {

using Chunk = std::vector<std::uint64_t>;

TEST(Hdf5Chunks, RaggedPerAtomDataOfALargeFrameIsChunkedByAboutOneMebibyte) {
    const Chunk c = chunk_shape(8, {3}, 256000, 64, RowAxis::Atoms);
    EXPECT_EQ(c, (Chunk{43690, 3}));
    EXPECT_LE(c[0] * 3 * 8, static_cast<std::uint64_t>(kChunkBytes));
}

TEST(Hdf5Chunks, NeverMoreRowsThanTheFirstWriteHolds) {
    EXPECT_EQ(chunk_shape(8, {3}, 9, 64, RowAxis::Atoms), (Chunk{9, 3}));
    EXPECT_EQ(chunk_shape(8, {3}, 1280, 64, RowAxis::Atoms), (Chunk{1280, 3}));
    EXPECT_EQ(chunk_shape(8, {}, 20, 64, RowAxis::Frames), (Chunk{20})); // upstream's chunk too
    EXPECT_EQ(chunk_shape(8, {}, 0, 64, RowAxis::Frames), (Chunk{1}));
}

TEST(Hdf5Chunks, FramesKeepChunkFramesUnlessAChunkWouldPassOneMebibyte) {
    EXPECT_EQ(chunk_shape(8, {}, 1000, 64, RowAxis::Frames), (Chunk{64}));
    EXPECT_EQ(chunk_shape(8, {6}, 1000, 8, RowAxis::Frames), (Chunk{8, 6}));
    EXPECT_EQ(chunk_shape(8, {1000, 3}, 100, 64, RowAxis::Frames), (Chunk{43, 1000, 3})); // padded
}

TEST(Hdf5Chunks, APaddedFrameAboveOneMebibyteIsSplitAlongItsAtoms) {
    EXPECT_EQ(chunk_shape(8, {256000, 3}, 5, 64, RowAxis::Frames), (Chunk{1, 43690, 3}));
    EXPECT_EQ(chunk_shape(4, {256000}, 5, 64, RowAxis::Frames), (Chunk{1, 256000}));
}

} // namespace
} // namespace asebytes::columnar
