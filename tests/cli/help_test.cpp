// `asebytes --help` and friends: they must teach the tool without a manual.
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace asebytes::test {
namespace {

TEST(CliHelp, ExitsZeroAndNamesEveryCommand) {
    const CliResult r = run_cli({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("info"), std::string::npos);
    EXPECT_NE(r.out.find("convert"), std::string::npos);
    EXPECT_NE(r.out.find("Examples:"), std::string::npos);
}

TEST(CliHelp, ConvertHelpShowsAnExample) {
    const CliResult r = run_cli({"convert", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("asebytes convert run.lmdb copy.lmdb"), std::string::npos) << r.out;
}

TEST(CliHelp, MissingSubcommandIsAUsageError) {
    const CliResult r = run_cli({});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.exit_code, 1) << "usage errors keep CLI11's exit codes, apart from runtime errors";
}

TEST(CliHelp, UnknownOptionIsAUsageError) {
    const CliResult r = run_cli({"info", "--no-such-option", "x.lmdb"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("--no-such-option"), std::string::npos) << r.err;
}

TEST(CliHelp, EveryCommandsHelpShowsExamples) {
    for (const char* command :
         {"formats", "info", "head", "show", "verify", "convert", "extract", "report"}) {
        const CliResult r = run_cli({command, "--help"});
        EXPECT_EQ(r.exit_code, 0) << command;
        EXPECT_NE(r.out.find("Examples:"), std::string::npos) << command << ":\n" << r.out;
        EXPECT_NE(r.out.find(std::string("asebytes ") + command + " "), std::string::npos) << command << ":\n"
                                                                                           << r.out;
    }
}

} // namespace
} // namespace asebytes::test
