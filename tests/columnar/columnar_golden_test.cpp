// Columnar HDF5 stores Python asebytes wrote (*.h5, ragged): we read them exactly as Python does,
// lossy int/bool info (stored as float64 by Python) and dropped constraints included.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "golden_checks.hpp"

namespace asebytes::test {
namespace {

class ColumnarGolden : public ::testing::TestWithParam<std::string> {
protected:
    std::vector<Row> truth() const { return truth_rows(golden_dir() / (GetParam() + ".default.read.json")); }
};

TEST_P(ColumnarGolden, ReadsEveryRowExactlyAsPythonDoes) {
    TempDir dir;
    ObjectIO io(copy_golden(GetParam(), dir).string(), opening(true));
    expect_rows(io, truth());
}

TEST_P(ColumnarGolden, ReadsColumnsOfEveryKeyInAnyOrder) {
    TempDir dir;
    ObjectIO io(copy_golden(GetParam(), dir).string());
    const auto want = truth();
    for (const auto& [key, unused] : want.front())
        ASSERT_NO_FATAL_FAILURE(expect_column_backwards(io, want, key));
}

TEST_P(ColumnarGolden, ReadsScatteredRowsAndSelectedKeys) {
    TempDir dir;
    ObjectIO io(copy_golden(GetParam(), dir).string());
    const auto want = truth();
    const auto rows = io.rows(std::vector<std::int64_t>{19, 0, 7, 7, -2})
                          .columns({"arrays.positions", "calc.energy"})
                          .to_rows();
    const std::vector<std::size_t> at{19, 0, 7, 7, 18};
    ASSERT_EQ(rows.size(), at.size());
    for (std::size_t j = 0; j < at.size(); ++j) {
        EXPECT_EQ(rows[j]->at("arrays.positions"), want[at[j]].at("arrays.positions")) << j;
        EXPECT_EQ(rows[j]->at("calc.energy"), want[at[j]].at("calc.energy")) << j;
    }
}

INSTANTIATE_TEST_SUITE_P(Python, ColumnarGolden, ::testing::Values("ethanol.h5", "periodic.h5"),
                         [](const auto& i) { return i.param.substr(0, i.param.find('.')); });

TEST(ColumnarGoldenStore, ListsGroupsAsPythonDoes) {
    EXPECT_EQ(list_groups((golden_dir() / "ethanol.h5").string()), (std::vector<std::string>{"default"}));
    EXPECT_TRUE(list_groups((golden_dir() / "nothing-here.h5").string()).empty());
}

TEST(ColumnarGoldenStore, AtomsIOReadsVariableSizesAndPbcOfPythonsFile) {
    TempDir dir;
    AtomsIO per(copy_golden("periodic.h5", dir).string());
    expect_periodic_frames(per);
}

} // namespace
} // namespace asebytes::test
