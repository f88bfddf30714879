// Writing extended XYZ: frames append, read back with the values written (as ASE places them),
// renamed result keys for training codes, and edits in place reported as not supported.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <sstream>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

std::string text_of(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

ObjectIO open_with(const fs::path& path, std::map<std::string, std::string> options = {}) {
    OpenOptions o;
    o.options = std::move(options);
    return ObjectIO(path.string(), o);
}

TEST(ExtxyzWrite, WrittenEthanolReadsBackWithTheSameValues) {
    TempDir dir;
    const auto written = truth_rows(golden_dir() / "ethanol.json");
    auto io = open_with(dir / "out.xyz");
    std::vector<Row> rows(written.begin(), written.end());
    EXPECT_EQ(io.extend(rows), written.size());

    auto reread = open_with(dir / "out.xyz");
    ASSERT_EQ(reread.size(), written.size());
    for (std::size_t i = 0; i < written.size(); ++i) {
        const Row got = *reread.get(static_cast<std::int64_t>(i));
        const Row& want = written[i];
        for (const char* key :
             {"cell", "pbc", "arrays.numbers", "arrays.positions", "calc.energy", "calc.forces",
              "calc.stress", "info.label", "info.temperature", "info.converged"})
            EXPECT_EQ(got.at(key), want.at(key)) << "row " << i << " key " << key;
        EXPECT_EQ(got.at("info.step").as_int(), want.at("info.step").as_int());
        // ASE turns a charges array into initial charges.
        EXPECT_EQ(got.at("arrays.initial_charges"), want.at("arrays.charges"));
        EXPECT_EQ(got.count("constraints"), want.count("constraints")) << "row " << i;
        if (want.count("constraints")) {
            EXPECT_EQ(got.at("constraints"), want.at("constraints"));
        }
    }
}

TEST(ExtxyzWrite, RowsReadFromAseFilesWriteBackToTheSameRows) {
    TempDir dir;
    const auto truth = truth_rows(golden_dir() / "periodic.xyz.read.json");
    open_with(dir / "copy.extxyz").extend(truth);
    auto reread = open_with(dir / "copy.extxyz");
    ASSERT_EQ(reread.size(), truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i)
        EXPECT_EQ(*reread.get(static_cast<std::int64_t>(i)), truth[i]);
}

TEST(ExtxyzWrite, ExtendAppendsToAnExistingFileAndReopeningFindsEveryFrame) {
    TempDir dir;
    const auto path = copy_golden("periodic.xyz", dir);
    const auto truth = truth_rows(golden_dir() / "periodic.xyz.read.json");
    auto io = open_with(path);
    EXPECT_EQ(io.extend({truth[2], truth[3]}), truth.size() + 2);
    EXPECT_EQ(*io.get(-1), truth[3]);
    auto reopened = open_with(path);
    EXPECT_EQ(reopened.size(), truth.size() + 2);
    EXPECT_EQ(*reopened.get(static_cast<std::int64_t>(truth.size())), truth[2]);
    EXPECT_EQ(*reopened.get(0), truth[0]);
}

TEST(ExtxyzWrite, AFileWithoutFinalNewlineStillAppendsWholeFrames) {
    TempDir dir;
    const auto path = dir / "no_newline.xyz";
    { std::ofstream(path) << "1\nProperties=species:S:1:pos:R:3\nH 0 0 0"; }
    auto io = open_with(path);
    ASSERT_EQ(io.size(), 1u);
    io.extend({*io.get(0)});
    EXPECT_EQ(open_with(path).size(), 2u);
}

// The comment line ASE 3.22 writes for the same frame (printed by /usr/bin/python3 with ase.io.write):
// floats as Python's repr, JSON values as json.dumps.
TEST(ExtxyzWrite, FloatsAndJsonValuesInTheCommentAreWhatAseWrites) {
    TempDir dir;
    Row r{{"arrays.numbers", NdArray::from<std::int64_t>({1})},
          {"arrays.positions", NdArray::from<double>({1, 3}, {0.0, 0.0, 0.0001})},
          {"cell", NdArray::from<double>({3, 3}, {1e15, 0, 0, 0, 1, 0, 0, 0, 1e-5})},
          {"pbc", NdArray::from<bool>({3}, {true, true, true})},
          {"info.x", 0.0001},
          {"info.y", 1e15},
          {"info.l", List{1e-5, std::numeric_limits<double>::quiet_NaN()}}};
    open_with(dir / "floats.xyz").extend({r});
    const std::string text = text_of(dir / "floats.xyz");
    for (const char* ase : {"Lattice=\"1000000000000000.0 0.0 0.0 0.0 1.0 0.0 0.0 0.0 1e-05\"", " x=0.0001 ",
                            " y=1000000000000000.0 ", " l=\"_JSON [1e-05, NaN]\" "})
        EXPECT_NE(text.find(ase), std::string::npos) << ase << " not in " << text;
}

TEST(ExtxyzWrite, RenamedResultKeysAreWhatTrainingCodesRead) {
    TempDir dir;
    const auto written = truth_rows(golden_dir() / "periodic.json");
    const std::map<std::string, std::string> mace = {
        {"energy_key", "REF_energy"}, {"forces_key", "REF_forces"}, {"stress_key", "REF_stress"}};
    open_with(dir / "mace.xyz", mace).extend({written[0]});
    const std::string text = text_of(dir / "mace.xyz");
    EXPECT_NE(text.find(" REF_energy="), std::string::npos) << text;
    EXPECT_NE(text.find(":REF_forces:R:3"), std::string::npos) << text;
    EXPECT_NE(text.find(" REF_stress=\""), std::string::npos) << text;
    EXPECT_EQ(text.find(" energy="), std::string::npos) << text;

    const Row renamed = *open_with(dir / "mace.xyz", mace).get(0);
    EXPECT_EQ(renamed.at("calc.energy"), written[0].at("calc.energy"));
    EXPECT_EQ(renamed.at("calc.forces"), written[0].at("calc.forces"));
    EXPECT_EQ(renamed.at("calc.stress"), written[0].at("calc.stress"));
    const Row plain = *open_with(dir / "mace.xyz").get(0);
    EXPECT_EQ(plain.count("calc.energy"), 0u);
    EXPECT_EQ(plain.at("info.REF_energy"), written[0].at("calc.energy"));
    EXPECT_EQ(plain.at("arrays.REF_forces"), written[0].at("calc.forces"));
}

TEST(ExtxyzWrite, EditsInPlaceAreNotSupportedAndSayWhichBackend) {
    TempDir dir;
    auto io = open_with(dir / "a.xyz");
    io.extend(truth_rows(golden_dir() / "periodic.json"));
    auto expect_not_supported = [](auto&& edit) {
        try {
            edit();
            ADD_FAILURE() << "no error";
        } catch (const NotSupportedError& e) {
            EXPECT_NE(std::string(e.what()).find("extxyz"), std::string::npos) << e.what();
        }
    };
    expect_not_supported([&] { io.set(0, Row{}); });
    expect_not_supported([&] { io.insert(0, Row{}); });
    expect_not_supported([&] { io.erase(0); });
    expect_not_supported([&] { io.update(0, Row{{"info.x", Value(1)}}); });
    expect_not_supported([&] { io.reserve(1); });
    EXPECT_EQ(io.size(), 20u);
}

TEST(ExtxyzWrite, ClearEmptiesTheFileAndRemoveDeletesIt) {
    TempDir dir;
    auto io = open_with(dir / "a.xyz");
    io.extend(truth_rows(golden_dir() / "periodic.json"));
    io.clear();
    EXPECT_EQ(io.size(), 0u);
    EXPECT_EQ(open_with(dir / "a.xyz").size(), 0u);
    io.remove();
    EXPECT_FALSE(fs::exists(dir / "a.xyz"));
}

TEST(ExtxyzWrite, ARowThatCannotBeWrittenLeavesTheFileUnchanged) {
    TempDir dir;
    auto io = open_with(dir / "a.xyz");
    const auto rows = truth_rows(golden_dir() / "periodic.json");
    io.extend({rows[0]});
    Row bad = rows[1];
    bad["arrays.weird"] = Value(NdArray::from<double>({1.0})); // not one value per atom
    EXPECT_THROW(io.extend({rows[1], bad}), TypeError);
    EXPECT_EQ(open_with(dir / "a.xyz").size(), 1u);
}

TEST(ExtxyzWrite, UnknownOptionsAndGroupsAreErrors) {
    TempDir dir;
    EXPECT_THROW(open_with(dir / "a.xyz", {{"energy", "x"}}), Error);
    OpenOptions group;
    group.group = "train";
    EXPECT_THROW(ObjectIO((dir / "a.xyz").string(), group), Error);
}

} // namespace
} // namespace asebytes::test
