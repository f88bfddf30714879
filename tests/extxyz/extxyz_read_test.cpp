// Reading extended XYZ written by ASE: every row equals what ASE's reader + asebytes'
// atoms_to_dict give (tests/data/golden/*.xyz.read.json), in any order of access.
#include <gtest/gtest.h>

#include <fstream>

#include "asebytes/asebytes.hpp"
#include "asebytes/backends/extxyz.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

ObjectIO open_golden(const std::string& name) {
    OpenOptions readonly;
    readonly.readonly = true;
    return ObjectIO((golden_dir() / name).string(), readonly);
}

void expect_rows_equal(const std::vector<Row>& expected, const ObjectIO& io) {
    ASSERT_EQ(io.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto row = io.get(static_cast<std::int64_t>(i));
        ASSERT_TRUE(row) << "row " << i;
        EXPECT_EQ(*row, expected[i]) << "row " << i;
    }
}

TEST(ExtxyzRead, GoldenEthanolEqualsWhatAseReads) {
    expect_rows_equal(truth_rows(golden_dir() / "ethanol.xyz.read.json"), open_golden("ethanol.xyz"));
}

TEST(ExtxyzRead, GoldenPeriodicEqualsWhatAseReads) {
    expect_rows_equal(truth_rows(golden_dir() / "periodic.xyz.read.json"), open_golden("periodic.xyz"));
}

TEST(ExtxyzRead, RandomAccessBackwardsGivesTheSameRows) {
    const auto truth = truth_rows(golden_dir() / "periodic.xyz.read.json");
    auto io = open_golden("periodic.xyz");
    for (std::int64_t i = static_cast<std::int64_t>(truth.size()) - 1; i >= 0; i -= 3)
        EXPECT_EQ(*io.get(i), truth[static_cast<std::size_t>(i)]) << "row " << i;
    EXPECT_EQ(*io.get(-1), truth.back());
}

TEST(ExtxyzRead, ReadingAFrameSeeksToItInsteadOfParsingFromTheStart) {
    TempDir dir;
    const auto path = dir / "three.xyz";
    const std::string frame = "1\nProperties=species:S:1:pos:R:3 energy=1.5\nH 0.0 0.0 0.0\n";
    { std::ofstream(path) << frame << frame << frame; }
    OpenOptions readonly;
    readonly.readonly = true;
    ObjectIO io(path.string(), readonly);
    { // after the index is built, spoil frame 0 in place (same length)
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(frame.find("0.0")));
        f << "x.x";
    }
    EXPECT_EQ(io.get(2)->at("calc.energy"), Value(1.5));
    EXPECT_THROW(io.get(0), CorruptDataError);
}

TEST(ExtxyzRead, ColumnsFromTheCommentLineEqualTheFullRows) {
    const auto truth = truth_rows(golden_dir() / "ethanol.xyz.read.json");
    auto io = open_golden("ethanol.xyz");
    const auto energies = io.column("calc.energy").to_list();
    const auto steps = io.column("info.step").to_list();
    ASSERT_EQ(energies.size(), truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) {
        EXPECT_EQ(*energies[i], truth[i].at("calc.energy"));
        EXPECT_EQ(*steps[i], truth[i].at("info.step"));
    }
}

TEST(ExtxyzRead, RowsWithKeysHoldOnlyThoseKeys) {
    auto io = open_golden("periodic.xyz");
    const auto row = io.get(4, Keys{"calc.forces", "pbc"});
    ASSERT_TRUE(row);
    EXPECT_EQ(row->size(), 2u);
    EXPECT_EQ(row->at("calc.forces").as_array().shape(), (std::vector<std::int64_t>{48, 3}));
}

TEST(ExtxyzRead, AtomsIOSeesFramesWithCellPbcAndResults) {
    OpenOptions readonly;
    readonly.readonly = true;
    AtomsIO io((golden_dir() / "periodic.xyz").string(), readonly);
    const auto f = *io[6];
    EXPECT_EQ(f.pbc, (std::array<bool, 3>{true, true, false}));
    EXPECT_EQ(f.natoms(), 4u);
    EXPECT_TRUE(f.energy());
    EXPECT_TRUE(f.forces());
    EXPECT_TRUE(f.stress());
}

TEST(ExtxyzRead, RegistryServesXyzAndExtxyzAndDescribesAppendOnlyWrites) {
    EXPECT_EQ(backend_for("a.xyz").metadata->name, "extxyz");
    EXPECT_EQ(backend_for("dir/b.extxyz").metadata->name, "extxyz");
    const auto& m = ExtxyzBackend::describe();
    EXPECT_TRUE(m.writable);
    EXPECT_FALSE(m.edits_in_place);
    EXPECT_FALSE(m.groups);
    EXPECT_EQ(list_groups((golden_dir() / "ethanol.xyz").string()), (std::vector<std::string>{"default"}));
}

TEST(ExtxyzRead, CommentValuesAreTypedAsAseTypesThem) {
    TempDir dir;
    const auto path = dir / "typed.xyz";
    {
        std::ofstream out(path);
        out << "1\n"
               "Properties=species:S:1:pos:R:3:tag:I:1:fixed:L:1:kind:S:1 n=3 x=2.5 v=\"1 2 3\" w=\"1.5 2\" "
               "flag=T flags=\"T F T\" name=\"two words\" bare j=\"_JSON {\\\"a\\\": [1, 2]}\" "
               "m=\"_JSON [[1, 2], [3, 4]]\" uid=007 virial=\"1 2 3 4 5 6 7 8 9\"\n"
               "h 0 0 0 7 F abc\n";
    }
    OpenOptions readonly;
    readonly.readonly = true;
    const Row row = *ObjectIO(path.string(), readonly).get(0);
    EXPECT_EQ(row.at("info.n"), Value(NdArray::scalar<std::int64_t>(3)));
    EXPECT_EQ(row.at("info.x"), Value(2.5));
    EXPECT_EQ(row.at("info.v"), Value(NdArray::from<std::int64_t>({1, 2, 3})));
    EXPECT_EQ(row.at("info.w"), Value(NdArray::from<double>({1.5, 2.0})));
    EXPECT_EQ(row.at("info.flag"), Value(true));
    EXPECT_EQ(row.at("info.flags"), Value(List{true, false, true}));
    EXPECT_EQ(row.at("info.name"), Value("two words"));
    EXPECT_EQ(row.at("info.bare"), Value(true));
    EXPECT_EQ(row.at("info.j"), Value(Map{{"a", Value(List{1, 2})}}));
    EXPECT_EQ(row.at("info.m"), Value(NdArray::from<std::int64_t>({2, 2}, {1, 2, 3, 4})));
    EXPECT_EQ(row.at("info.uid"), Value("007"));
    EXPECT_EQ(row.at("info.virial"), Value(NdArray::from<std::int64_t>({3, 3}, {1, 4, 7, 2, 5, 8, 3, 6, 9})));
    EXPECT_EQ(row.at("arrays.numbers"), Value(NdArray::from<std::int64_t>({1})));
    EXPECT_EQ(row.at("arrays.tag"), Value(NdArray::from<std::int32_t>({7})));
    EXPECT_EQ(row.at("arrays.fixed"), Value(NdArray::from<bool>(std::vector<bool>{false})));
    EXPECT_EQ(row.at("arrays.kind"), Value(List{"abc"}));
    EXPECT_EQ(row.at("pbc"), Value(NdArray::from<bool>(std::vector<bool>{false, false, false})));
}

} // namespace
} // namespace asebytes::test

namespace asebytes::test {
namespace {

// ASE writes an Atoms without atoms as a count of 0 and a comment line; as the last frame of a
// file nothing follows it, which the reader's bound on declared columns must not mistake for a
// truncated frame.
TEST(ExtxyzRead, AFrameWithoutAtomsAtTheEndOfTheFileReads) {
    TempDir dir;
    const auto path = dir / "empty-last.xyz";
    {
        std::ofstream(path) << "1\nProperties=species:S:1:pos:R:3 energy=-1.0 pbc=\"F F F\"\nH 0 0 0\n"
                            << "0\nProperties=species:S:1:pos:R:3:forces:R:3 energy=1.5 pbc=\"F F F\"\n";
    }
    ObjectIO io(path.string());
    ASSERT_EQ(io.size(), 2u);
    const auto last = io.get(1);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->at("arrays.positions").as_array().shape(), (std::vector<std::int64_t>{0, 3}));
    EXPECT_EQ(last->at("calc.energy").as_double(), 1.5);
}

} // namespace
} // namespace asebytes::test
