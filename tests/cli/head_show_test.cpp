// `asebytes head` and `asebytes show`: a store's rows, readable.
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace asebytes::test {
namespace {

std::string golden(const std::string& name) { return (golden_dir() / name).string(); }

std::size_t lines_in(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(CliHead, ShowsTheFirstRowsOneLineEach) {
    const std::string out = cli_output({"head", golden("ethanol.xyz"), "-n", "3"});
    EXPECT_EQ(lines_in(out), 5u) << out; // header, three rows, "(3 of 20 rows)"
    EXPECT_NE(out.find("C2H6O"), std::string::npos) << out;
    EXPECT_NE(out.find("-971.360399"), std::string::npos) << out;
    EXPECT_NE(out.find("(3 of 20 rows)"), std::string::npos) << out;
}

TEST(CliHead, AskingForMoreRowsThanThereAreShowsThemAll) {
    const TempDir dir;
    const std::string out = cli_output({"head", copy_golden("periodic.lmdb", dir).string(), "-n", "100"});
    EXPECT_NE(out.find("(20 of 20 rows)"), std::string::npos) << out;
}

TEST(CliShow, ShowsOneRowWithItsAtomTable) {
    const std::string out = cli_output({"show", golden("periodic.xyz"), "6"});
    EXPECT_NE(out.find("row 6 of"), std::string::npos) << out;
    EXPECT_NE(out.find("info.config_type = 'slab'"), std::string::npos) << out;
    EXPECT_NE(out.find("pbc = [True, True, False]"), std::string::npos) << out;
    EXPECT_NE(out.find("arrays.positions"), std::string::npos) << out;
    EXPECT_NE(out.find("calc.forces"), std::string::npos) << out;
}

TEST(CliShow, NegativeIndexCountsFromTheEnd) {
    const std::string out = cli_output({"show", golden("ethanol.xyz"), "-1"});
    EXPECT_NE(out.find("row 19 of"), std::string::npos) << out;
    EXPECT_NE(out.find("'éthanol-19'"), std::string::npos) << out;
}

TEST(CliShow, IndexOutOfRangeIsOneClearError) {
    const CliResult r = run_cli({"show", golden("ethanol.xyz"), "20"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("asebytes: error: index 20 out of range"), std::string::npos) << r.err;
}

} // namespace
} // namespace asebytes::test
