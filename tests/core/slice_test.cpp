#include <gtest/gtest.h>

#include "asebytes/error.hpp"
#include "asebytes/slice.hpp"

using namespace asebytes;

TEST(Slice, FollowsPythonRangeSlicing) {
    using I = Indices;
    EXPECT_EQ(Slice().resolve(4), (I{0, 1, 2, 3}));
    EXPECT_EQ(Slice(1, 3).resolve(5), (I{1, 2}));
    EXPECT_EQ(Slice(-2, std::nullopt).resolve(5), (I{3, 4}));
    EXPECT_EQ(Slice(std::nullopt, std::nullopt, -1).resolve(3), (I{2, 1, 0}));
    EXPECT_EQ(Slice(std::nullopt, std::nullopt, 2).resolve(5), (I{0, 2, 4}));
    EXPECT_EQ(Slice(10, 20).resolve(5), I{});
    EXPECT_EQ(Slice(-100, 2).resolve(5), (I{0, 1}));
    EXPECT_EQ(Slice(3, 0, -1).resolve(5), (I{3, 2, 1}));
    EXPECT_EQ(Slice(-1, -4, -2).resolve(5), (I{4, 2}));
    EXPECT_EQ(Slice(std::nullopt, std::nullopt, -1).resolve(0), I{});
    EXPECT_THROW(Slice(0, 1, 0).resolve(3), TypeError);
}

TEST(Slice, NormalizesNegativeIndicesAndRejectsOutOfRange) {
    EXPECT_EQ(normalize_index(-1, 3), 2u);
    EXPECT_EQ(normalize_index(0, 3), 0u);
    EXPECT_THROW(normalize_index(3, 3), IndexError);
    EXPECT_THROW(normalize_index(-4, 3), IndexError);
    EXPECT_THROW(normalize_index(0, 0), IndexError);
}
