// H5MD files Python asebytes 0.3.1 wrote: we read every row exactly as Python does (variable atom
// counts, per-frame pbc, constraints, groups), including what Python loses (int and bool info
// come back as float, as it stores them).
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "golden_checks.hpp"

namespace asebytes::test {
namespace {

struct GoldenGroup {
    std::string store, group;
};

class H5mdGolden : public ::testing::TestWithParam<GoldenGroup> {
protected:
    std::vector<Row> truth() const {
        return truth_rows(golden_dir() / (GetParam().store + "." + GetParam().group + ".read.json"));
    }
    OpenOptions options(bool readonly) const {
        OpenOptions o;
        o.group = GetParam().group;
        o.readonly = readonly;
        return o;
    }
};

TEST_P(H5mdGolden, ReadsEveryRowExactlyAsPythonDoes) {
    TempDir dir;
    ObjectIO io(copy_golden(GetParam().store, dir).string(), options(true));
    expect_rows(io, truth());
}

TEST_P(H5mdGolden, ReadsColumnsOfEveryKeyBackwards) {
    TempDir dir;
    ObjectIO io(copy_golden(GetParam().store, dir).string(), options(false));
    const auto want = truth();
    std::set<std::string> keys;
    for (const auto& row : want)
        for (const auto& kv : row)
            keys.insert(kv.first);
    for (const auto& key : keys)
        ASSERT_NO_FATAL_FAILURE(expect_column_backwards(io, want, key));
}

INSTANTIATE_TEST_SUITE_P(
    Python, H5mdGolden,
    ::testing::Values(GoldenGroup{"ethanol.h5md", "atoms"}, GoldenGroup{"periodic.h5md", "atoms"},
                      GoldenGroup{"groups.h5md", "train"}, GoldenGroup{"groups.h5md", "test"}),
    [](const auto& i) { return i.param.store.substr(0, i.param.store.find('.')) + "_" + i.param.group; });

TEST(H5mdGoldenStore, OpensTheAtomsGroupByDefault) {
    TempDir dir;
    ObjectIO io(copy_golden("periodic.h5md", dir).string());
    EXPECT_EQ(io.size(), 20u);
}

TEST(H5mdGoldenStore, ListsParticleGroupsAsPythonDoes) {
    EXPECT_EQ(list_groups((golden_dir() / "groups.h5md").string()),
              (std::vector<std::string>{"test", "train"}));
    EXPECT_EQ(list_groups((golden_dir() / "ethanol.h5md").string()), (std::vector<std::string>{"atoms"}));
    EXPECT_TRUE(list_groups((golden_dir() / "nothing-here.h5md").string()).empty());
}

TEST(H5mdGoldenStore, AtomsIOReadsVariableSizesPerFramePbcAndConstraints) {
    TempDir dir;
    AtomsIO per(copy_golden("periodic.h5md", dir).string());
    expect_periodic_frames(per);
    ObjectIO eth(copy_golden("ethanol.h5md", dir).string());
    EXPECT_TRUE(eth.get(3)->count("constraints"));
    EXPECT_FALSE(eth.get(4)->count("constraints"));
}

} // namespace
} // namespace asebytes::test
