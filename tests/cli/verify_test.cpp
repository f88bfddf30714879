// `asebytes verify`: every row decoded; the first bad one named, with a non-zero exit.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_runner.hpp"

namespace asebytes::test {
namespace {

TEST(CliVerify, GoodStoresPassWithExitZero) {
    const TempDir dir;
    for (const std::string& store :
         {copy_golden("groups.lmdb", dir).string(), (golden_dir() / "ethanol.xyz").string()}) {
        const CliResult r = run_cli({"verify", store});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find(": OK"), std::string::npos) << r.out;
    }
}

TEST(CliVerify, ReportsTheFirstBadRowAndExitsNonZero) {
    const TempDir dir;
    const auto path = dir / "bad.xyz";
    {
        std::ofstream out(path);
        out << "1\nProperties=species:S:1:pos:R:3\nH 0 0 0\n"
               "1\nProperties=species:S:1:pos:R:3\nH 0 0 0\n"
               "1\nProperties=species:S:1:pos:R:3\nH 0 zero 0\n"
               "1\nProperties=species:S:1:pos:R:3\nH 0 x 0\n";
    }
    const CliResult r = run_cli({"verify", path.string(), "--chunk-rows", "3"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("row 2 is bad"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(path.string() + ":9"), std::string::npos) << r.err;
}

TEST(CliVerify, MissingStoreFailsNamingThePath) {
    const CliResult r = run_cli({"verify", "/nonexistent/x.lmdb"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("/nonexistent/x.lmdb"), std::string::npos) << r.err;
}

} // namespace
} // namespace asebytes::test
