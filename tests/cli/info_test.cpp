// `asebytes info` on copies of the golden stores written by Python asebytes.
#include <algorithm>

#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "cli_runner.hpp"

namespace asebytes::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

Json default_keys(const Json& info) { return info.at("group_info").at("default").at("keys"); }

TEST(CliInfo, TableShowsEthanolRowsAndKeyShapes) {
    const TempDir dir;
    const std::string out = cli_output({"info", copy_golden("ethanol.lmdb", dir).string()});
    EXPECT_TRUE(contains(out, "backend: lmdb")) << out;
    EXPECT_TRUE(contains(out, "group 'default': 20 rows, 0 placeholders")) << out;
    EXPECT_TRUE(contains(out, "arrays.positions")) << out;
    EXPECT_TRUE(contains(out, "(9, 3)")) << out;
    EXPECT_TRUE(contains(out, "float64")) << out;
}

TEST(CliInfo, JsonCountsEthanolRowsInTheDefaultGroup) {
    const TempDir dir;
    const Json info = cli_info_json({copy_golden("ethanol.lmdb", dir).string()});
    EXPECT_EQ(info.at("backend"), "lmdb");
    EXPECT_EQ(info.at("rows"), 20);
    EXPECT_EQ(info.at("groups"), Json::array({"default"}));
    EXPECT_EQ(info.at("group_info").at("default").at("placeholders"), 0);
}

TEST(CliInfo, JsonGivesDtypeAndShapeOfArrays) {
    const TempDir dir;
    const Json keys = default_keys(cli_info_json({copy_golden("ethanol.lmdb", dir).string()}));
    EXPECT_EQ(keys.at("arrays.numbers").at("dtype"), "int64");
    EXPECT_EQ(keys.at("arrays.numbers").at("shape"), Json::array({9}));
    EXPECT_EQ(keys.at("arrays.positions").at("dtype"), "float64");
    EXPECT_EQ(keys.at("arrays.positions").at("shape"), Json::array({9, 3}));
    EXPECT_EQ(keys.at("pbc").at("dtype"), "bool");
}

TEST(CliInfo, JsonGivesPythonTypesOfScalars) {
    const TempDir dir;
    const Json keys = default_keys(cli_info_json({copy_golden("ethanol.lmdb", dir).string()}));
    EXPECT_EQ(keys.at("calc.energy").at("type"), "float");
    EXPECT_TRUE(keys.at("calc.energy").at("shape").is_null());
    EXPECT_EQ(keys.at("info.label").at("type"), "str");
    EXPECT_EQ(keys.at("info.label").at("rows"), 20);
}

TEST(CliInfo, ShowsAVaryingAtomCountAsN) {
    const TempDir dir;
    const std::string store = copy_golden("periodic.lmdb", dir).string();
    const Json keys = default_keys(cli_info_json({store}));
    EXPECT_EQ(keys.at("arrays.positions").at("shape"), Json::array({"N", 3}));
    EXPECT_EQ(keys.at("arrays.numbers").at("shape"), Json::array({"N"}));
    EXPECT_EQ(keys.at("cell").at("shape"), Json::array({3, 3}));
    EXPECT_TRUE(contains(cli_output({"info", store}), "(N, 3)"));
}

TEST(CliInfo, DescribesEveryGroupOfAStore) {
    const TempDir dir;
    const Json info = cli_info_json({copy_golden("groups.lmdb", dir).string()});
    auto groups = info.at("groups").get<std::vector<std::string>>();
    std::sort(groups.begin(), groups.end());
    EXPECT_EQ(groups, (std::vector<std::string>{"test", "train"}));
    EXPECT_EQ(info.at("group_info").at("train").at("rows"), 12);
    EXPECT_EQ(info.at("group_info").at("test").at("rows"), 8);
    EXPECT_EQ(info.at("rows"), 20);
}

TEST(CliInfo, GroupOptionDescribesOnlyThatGroup) {
    const TempDir dir;
    const Json info = cli_info_json({copy_golden("groups.lmdb", dir).string(), "--group", "test"});
    EXPECT_EQ(info.at("rows"), 8);
    EXPECT_EQ(info.at("group_info").size(), 1u);
    EXPECT_EQ(info.at("groups").size(), 2u) << "the store's group list stays complete";
}

TEST(CliInfo, CountsPlaceholderRows) {
    const TempDir dir;
    const std::string store = (dir / "holes.lmdb").string();
    {
        ObjectIO io(store);
        io.extend({Row{{"calc.energy", Value(1.5)}}});
        io.reserve(2);
    }
    const Json info = cli_info_json({store});
    EXPECT_EQ(info.at("rows"), 3);
    EXPECT_EQ(info.at("group_info").at("default").at("placeholders"), 2);
    EXPECT_EQ(default_keys(info).at("calc.energy").at("rows"), 1);
}

TEST(CliInfo, MissingStoreFailsNamingThePath) {
    const TempDir dir;
    const std::string store = (dir / "absent.lmdb").string();
    const CliResult r = run_cli({"info", store});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "asebytes: error:")) << r.err;
    EXPECT_TRUE(contains(r.err, store)) << r.err;
}

TEST(CliInfo, UnknownExtensionFailsNamingThePath) {
    const CliResult r = run_cli({"info", "frames.unknown-format"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "frames.unknown-format")) << r.err;
}

} // namespace
} // namespace asebytes::test
