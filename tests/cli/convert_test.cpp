// `asebytes convert` between copies of the golden stores, checked by reading the result back.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "cli_runner.hpp"

namespace asebytes::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::vector<std::optional<Row>> read_all(const std::string& store, const std::string& group) {
    ObjectIO io(store, OpenOptions{group, true, {}});
    return io.rows().to_list();
}

std::vector<std::optional<Row>> as_optional(const std::vector<Row>& rows) {
    return std::vector<std::optional<Row>>(rows.begin(), rows.end());
}

TEST(CliConvert, CopiesEthanolRowsExactly) {
    const TempDir dir;
    const std::string out = (dir / "copy.lmdb").string();
    cli_output({"convert", copy_golden("ethanol.lmdb", dir).string(), out});
    const auto truth = truth_rows(golden_dir() / "ethanol.lmdb.default.read.json");
    EXPECT_EQ(read_all(out, "default"), as_optional(truth));
}

TEST(CliConvert, CopiesLmdbValuesByteForByte) {
    const TempDir dir;
    const std::string out = (dir / "copy.lmdb").string();
    cli_output({"convert", copy_golden("ethanol.lmdb", dir).string(), out});
    const auto python_bytes = truth_msgpack(golden_dir() / "ethanol.lmdb.default.read.json");
    BlobIO io(out, OpenOptions{std::string("default"), true, {}});
    ASSERT_EQ(io.size(), python_bytes.size());
    for (std::size_t i = 0; i < python_bytes.size(); ++i)
        EXPECT_EQ(io.get(static_cast<std::int64_t>(i)), python_bytes[i]) << "row " << i;
}

TEST(CliConvert, PrintsASummary) {
    const TempDir dir;
    const std::string text =
        cli_output({"convert", copy_golden("ethanol.lmdb", dir).string(), (dir / "copy.lmdb").string()});
    EXPECT_TRUE(contains(text, "20 rows (0 placeholders)")) << text;
    EXPECT_TRUE(contains(text, "converted 20 rows in 1 group(s)")) << text;
}

TEST(CliConvert, KeepsEveryGroup) {
    const TempDir dir;
    const std::string out = (dir / "copy.lmdb").string();
    cli_output({"convert", copy_golden("groups.lmdb", dir).string(), out});
    EXPECT_EQ(read_all(out, "train"), as_optional(truth_rows(golden_dir() / "groups.lmdb.train.read.json")));
    EXPECT_EQ(read_all(out, "test"), as_optional(truth_rows(golden_dir() / "groups.lmdb.test.read.json")));
}

TEST(CliConvert, GroupOptionCopiesOnlyThatGroup) {
    const TempDir dir;
    const std::string out = (dir / "copy.lmdb").string();
    cli_output({"convert", copy_golden("groups.lmdb", dir).string(), out, "--group", "test"});
    EXPECT_EQ(list_groups(out), std::vector<std::string>{"test"});
    EXPECT_EQ(read_all(out, "test").size(), 8u);
}

TEST(CliConvert, RunningTwiceAppends) {
    const TempDir dir;
    const std::string in = copy_golden("ethanol.lmdb", dir).string();
    const std::string out = (dir / "copy.lmdb").string();
    cli_output({"convert", in, out});
    cli_output({"convert", in, out});
    const auto rows = read_all(out, "default");
    ASSERT_EQ(rows.size(), 40u);
    EXPECT_EQ(rows[25], rows[5]);
}

TEST(CliConvert, SmallChunksGiveTheSameRows) {
    const TempDir dir;
    const std::string out = (dir / "copy.lmdb").string();
    cli_output({"convert", copy_golden("periodic.lmdb", dir).string(), out, "--chunk-rows", "3"});
    EXPECT_EQ(read_all(out, "default"),
              as_optional(truth_rows(golden_dir() / "periodic.lmdb.default.read.json")));
}

TEST(CliConvert, KeepsPlaceholderRows) {
    const TempDir dir;
    const std::string in = (dir / "holes.lmdb").string();
    const std::string out = (dir / "copy.lmdb").string();
    {
        ObjectIO io(in);
        io.reserve(1);
        io.extend({Row{{"calc.energy", Value(-2.0)}}});
        io.reserve(1);
    }
    cli_output({"convert", in, out});
    const auto rows = read_all(out, "default");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_FALSE(rows[0].has_value());
    EXPECT_EQ(rows[1], (Row{{"calc.energy", Value(-2.0)}}));
    EXPECT_FALSE(rows[2].has_value());
}

TEST(CliConvert, MissingInputFailsNamingThePath) {
    const TempDir dir;
    const std::string in = (dir / "absent.lmdb").string();
    const CliResult r = run_cli({"convert", in, (dir / "copy.lmdb").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "asebytes: error:")) << r.err;
    EXPECT_TRUE(contains(r.err, in)) << r.err;
    EXPECT_FALSE(fs::exists(dir / "copy.lmdb")) << "nothing is created when the input is missing";
}

TEST(CliConvert, UnknownOutputExtensionFailsNamingThePath) {
    const TempDir dir;
    const std::string out = (dir / "copy.unknown-format").string();
    const CliResult r = run_cli({"convert", copy_golden("ethanol.lmdb", dir).string(), out});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, out)) << r.err;
}

TEST(CliConvert, RefusesToAppendAStoreToItself) {
    const TempDir dir;
    const std::string store = copy_golden("ethanol.lmdb", dir).string();
    const CliResult r = run_cli({"convert", store, store});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, "same store")) << r.err;
    EXPECT_EQ(read_all(store, "default").size(), 20u);
}

} // namespace
} // namespace asebytes::test
