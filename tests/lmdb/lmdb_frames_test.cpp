// AtomsIO reads frames straight from LMDB's mapped values, without row maps in between
// (LmdbObjectBackend::visit_many): iteration, selections and to_list must give the frames of
// exactly the stored rows, placeholders where they are, in request order.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

std::vector<Frame> truth_frames(const std::string& store) {
    std::vector<Frame> out;
    for (const auto& row : truth_rows(golden_dir() / (store + ".default.read.json")))
        out.push_back(Frame::from_row(row));
    return out;
}

class LmdbFrames : public ::testing::TestWithParam<std::string> {};

TEST_P(LmdbFrames, IterationGivesThePythonRowsAsFrames) {
    TempDir dir;
    const AtomsIO io(copy_golden(GetParam(), dir).string());
    const auto want = truth_frames(GetParam());
    ASSERT_EQ(io.size(), want.size());
    std::size_t i = 0;
    for (const auto& f : io) {
        ASSERT_TRUE(f.has_value()) << "row " << i;
        EXPECT_EQ(*f, want[i]) << "row " << i;
        ++i;
    }
    EXPECT_EQ(i, want.size());
}

TEST_P(LmdbFrames, SelectionsAndChunksComeBackInRequestOrder) {
    TempDir dir;
    const AtomsIO io(copy_golden(GetParam(), dir).string());
    const auto want = truth_frames(GetParam());
    const std::vector<std::int64_t> picks = {7, 2, 2, -1, 0};
    const auto got = io.rows(picks).to_list();
    ASSERT_EQ(got.size(), picks.size());
    for (std::size_t k = 0; k < picks.size(); ++k) {
        const auto at = static_cast<std::size_t>(
            picks[k] < 0 ? picks[k] + static_cast<std::int64_t>(want.size()) : picks[k]);
        ASSERT_TRUE(got[k].has_value());
        EXPECT_EQ(*got[k], want[at]) << "pick " << k;
    }
    std::size_t seen = 0;
    for (const auto& chunk : io.rows().chunked(3))
        for (const auto& f : chunk) {
            ASSERT_TRUE(f.has_value());
            EXPECT_EQ(*f, want[seen++]);
        }
    EXPECT_EQ(seen, want.size());
}

INSTANTIATE_TEST_SUITE_P(Python, LmdbFrames, ::testing::Values("ethanol.lmdb", "periodic.lmdb"),
                         [](const auto& i) { return test_identifier(i.param); });

Frame water(double x) {
    Frame f;
    f.numbers = {8, 1, 1};
    f.positions = {x, 0, 0, x + 1, 0, 0, x, 1, 0};
    f.set_energy(-x);
    f.info["step"] = static_cast<std::int64_t>(x);
    return f;
}

TEST(LmdbFramesPlaceholders, PlaceholdersStayWhereTheyAreFirstMiddleAndLast) {
    TempDir dir;
    const std::string path = (dir.path() / "p.lmdb").string();
    AtomsIO io(path);
    io.set(0, std::nullopt);
    io.set(1, water(1));
    io.set(4, water(4)); // rows 2 and 3 become placeholders
    io.set(5, std::nullopt);
    const std::vector<bool> present = {false, true, false, false, true, false};
    std::size_t i = 0;
    for (const auto& f : io) {
        ASSERT_LT(i, present.size());
        EXPECT_EQ(f.has_value(), present[i]) << "row " << i;
        if (f) {
            EXPECT_EQ(*f, water(static_cast<double>(i)));
        }
        ++i;
    }
    EXPECT_EQ(i, present.size());
    const auto picked = io.rows({5, 4, 0, 1}).to_list();
    EXPECT_FALSE(picked[0].has_value());
    EXPECT_EQ(picked[1], water(4));
    EXPECT_FALSE(picked[2].has_value());
    EXPECT_EQ(picked[3], water(1));
}

TEST(LmdbFramesPlaceholders, AConventionKeyOfTheWrongShapeIsATypeErrorOnIteration) {
    TempDir dir;
    const std::string path = (dir.path() / "bad.lmdb").string();
    ObjectIO(path).extend({Row{{"arrays.numbers", NdArray::from<std::int64_t>({1, 6, 8})},
                               {"cell", NdArray::from<double>({1.0, 2.0})}}});
    const AtomsIO io(path);
    EXPECT_THROW(
        {
            for (const auto& f : io)
                (void)f;
        },
        TypeError);
}

} // namespace
} // namespace asebytes::test
