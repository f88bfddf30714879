// The per-atom layouts' addressing (core/src/backends/columnar_layout.hpp): where a frame's atoms
// are in a per-atom dataset, and what the index datasets hold, as Python's _offsets/_lengths
// (ragged) and _n_atoms (padded) say.
#include <map>

#include <gtest/gtest.h>

#include "columnar_layout.hpp"

namespace asebytes::columnar {
namespace {

// The index rows an append writes, by dataset.
std::map<std::string, NdArray> appended(AtomIndex& index, const std::vector<std::int64_t>& batch) {
    std::map<std::string, NdArray> out;
    index.append(batch, [&](const std::string& name, const std::string&, const NdArray& values, bool) {
        out[name] = values;
    });
    return out;
}

TEST(AtomIndex, RaggedFramesFollowEachOtherOnTheAtomAxis) {
    AtomIndex index(true);
    index.load_empty(0);
    const auto written = appended(index, {3, 0, 2});
    EXPECT_EQ(written.at("_offsets").to_vector<std::int64_t>(), (std::vector<std::int64_t>{0, 3, 3}));
    EXPECT_EQ(written.at("_lengths").to_vector<std::int64_t>(), (std::vector<std::int64_t>{3, 0, 2}));
    EXPECT_EQ(written.at("_lengths").typestr(), "<i4");
    EXPECT_EQ(index.first_row(2), 3);
    EXPECT_EQ(index.rows_before(1), 3);
    EXPECT_EQ(index.rows_before(3), 5);
    EXPECT_EQ(appended(index, {4}).at("_offsets").to_vector<std::int64_t>(), (std::vector<std::int64_t>{5}));
    EXPECT_EQ(index.block_axes({1, 2}), (std::vector<std::int64_t>{3}));
    EXPECT_EQ(index.block_cell(1, 1), 1);
    EXPECT_EQ(index.rows_addressed(), 9);
    EXPECT_EQ(index.widest_frame(), 4);
    index.truncate(2);
    EXPECT_EQ(index.rows_before(2), 3);
}

TEST(AtomIndex, PaddedFramesAreRowsAsWideAsTheWidest) {
    AtomIndex index(false);
    index.load_empty(0);
    index.widen_to(4);
    const auto written = appended(index, {3, 1});
    EXPECT_EQ(written.size(), 1u);
    EXPECT_EQ(written.at("_n_atoms").to_vector<std::int64_t>(), (std::vector<std::int64_t>{3, 1}));
    EXPECT_EQ(index.first_row(1), 1);
    EXPECT_EQ(index.rows_before(2), 2);
    EXPECT_EQ(index.block_axes({3, 1, 2}), (std::vector<std::int64_t>{3, 4}));
    EXPECT_EQ(index.block_cell(2, 4), 8);
    index.widen_to(2); // never narrower
    EXPECT_EQ(index.width(), 4);
    EXPECT_EQ(index.rows_addressed(), 0);
}

TEST(AtomIndex, LoadsWhatTheStoreHolds) {
    AtomIndex index(true);
    index.load([](const std::string& name) {
        return name == "_offsets" ? std::vector<std::int64_t>{0, 5} : std::vector<std::int64_t>{5, 7};
    });
    EXPECT_EQ(index.atoms(1), 7);
    EXPECT_EQ(index.rows_before(2), 12);
    EXPECT_EQ(std::string(index.counts_array()), "_lengths");
}

} // namespace
} // namespace asebytes::columnar
