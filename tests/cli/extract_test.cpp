// `asebytes extract`: filtered, split training sets, checked by reading the parts back.
#include <gtest/gtest.h>

#include <set>

#include "asebytes/asebytes.hpp"
#include "cli_runner.hpp"

namespace asebytes::test {
namespace {

std::string golden(const std::string& name) { return (golden_dir() / name).string(); }

std::vector<Row> read_all(const fs::path& store) {
    ObjectIO io(store.string(), OpenOptions{std::nullopt, true, {}});
    std::vector<Row> out;
    for (const auto& r : io.rows())
        out.push_back(*r);
    return out;
}

// Which golden ethanol rows a part holds, by info.step (steps are 0, 10, 20, ...).
std::multiset<std::int64_t> steps_of(const std::vector<Row>& rows) {
    std::multiset<std::int64_t> out;
    for (const auto& r : rows)
        out.insert(r.at("info.step").as_int());
    return out;
}

TEST(CliExtract, SplitsAreDisjointCompleteAndReproducibleForASeed) {
    const TempDir dir;
    const std::vector<std::string> args = {
        "extract",  golden("ethanol.xyz"), "--split", "train=0.8,valid=0.1,test=0.1", "--seed", "42",
        "--out-dir"};
    auto with = [&](const std::string& out) {
        auto a = args;
        a.push_back(out);
        return a;
    };
    cli_output(with((dir / "a").string()));
    cli_output(with((dir / "b").string()));
    std::multiset<std::int64_t> all;
    for (const char* part : {"train", "valid", "test"}) {
        const auto a = read_all(dir / "a" / (std::string(part) + ".xyz"));
        const auto b = read_all(dir / "b" / (std::string(part) + ".xyz"));
        EXPECT_EQ(a, b) << part << " differs between runs with the same seed";
        const auto s = steps_of(a);
        all.insert(s.begin(), s.end());
    }
    EXPECT_EQ(read_all(dir / "a" / "train.xyz").size(), 16u);
    std::multiset<std::int64_t> want;
    for (std::int64_t i = 0; i < 20; ++i)
        want.insert(10 * i);
    EXPECT_EQ(all, want) << "parts overlap or miss rows";
}

TEST(CliExtract, FiltersAndStrideSelectExactlyTheMatchingRows) {
    const TempDir dir;
    cli_output({"extract", golden("periodic.xyz"), "--filter", "info.config_type=bulk", "--filter",
                "natoms=:16", "--stride", "2", "--format", "lmdb", "--out-dir", dir.path().string()});
    const auto truth = truth_rows(golden_dir() / "periodic.xyz.read.json");
    std::vector<Row> want;
    for (std::size_t i = 0; i < truth.size(); i += 2)
        if (truth[i].at("info.config_type").as_string() == "bulk" &&
            truth[i].at("arrays.numbers").as_array().size() <= 16)
            want.push_back(truth[i]);
    EXPECT_EQ(read_all(dir / "selected.lmdb"), want);
}

TEST(CliExtract, EveryWritableBackendIsAnOutputFormat) {
    for (const std::string format : {"h5", "h5p", "h5md", "lmdb"}) {
        const TempDir dir;
        const auto source = copy_golden("periodic.lmdb", dir);
        cli_output({"extract", source.string(), "--split", "train=15,test=5", "--seed", "3", "--format",
                    format, "--out-dir", dir.path().string()});
        const auto train = read_all(dir / ("train." + format)), test = read_all(dir / ("test." + format));
        EXPECT_EQ(train.size(), 15u) << format;
        EXPECT_EQ(test.size(), 5u) << format;
    }
}

TEST(CliExtract, OptionsRenameResultsForTrainingCodes) {
    const TempDir dir;
    cli_output({"extract", golden("periodic.xyz"), "--split", "train=2", "--option", "energy_key=REF_energy",
                "--option", "forces_key=REF_forces", "--out-dir", dir.path().string()});
    const auto rows = read_all(dir / "train.xyz");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[0].count("info.REF_energy"));
    EXPECT_TRUE(rows[0].count("arrays.REF_forces"));
}

TEST(CliExtract, BadSplitsFiltersAndFormatsAreOneClearError) {
    const TempDir dir;
    for (const auto& bad : std::vector<std::vector<std::string>>{{"--split", "train=0.9,test=0.2"},
                                                                 {"--filter", "energy_per_atom=x:1"},
                                                                 {"--filter", "colour=red"},
                                                                 {"--format", "pdb"}}) {
        std::vector<std::string> args = {"extract", golden("ethanol.xyz"), "--out-dir", dir.path().string()};
        args.insert(args.end(), bad.begin(), bad.end());
        const CliResult r = run_cli(args);
        EXPECT_EQ(r.exit_code, 1) << bad[1];
        EXPECT_EQ(r.err.rfind("asebytes: error: ", 0), 0u) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST(CliExtract, DeepmdFormatWritesOneDirectoryPerPartWithItsSystems) {
    const TempDir dir;
    const std::string out =
        cli_output({"extract", golden("ethanol.xyz"), "--split", "train=0.5,test=0.5", "--seed", "1",
                    "--format", "deepmd", "--out-dir", dir.path().string()});
    for (const char* part : {"train", "test"}) {
        const fs::path system = dir / part / "C2H6O";
        EXPECT_TRUE(fs::exists(dir / part / "type_map.raw")) << out;
        EXPECT_TRUE(fs::exists(system / "type.raw")) << out;
        EXPECT_TRUE(fs::exists(system / "nopbc")) << out;
        for (const char* array : {"coord.npy", "box.npy", "energy.npy", "force.npy"})
            EXPECT_TRUE(fs::exists(system / "set.000" / array)) << part << " " << array;
        EXPECT_FALSE(fs::exists(system / "set.000" / "virial.npy"))
            << "a molecule without a cell has no virial";
    }
    EXPECT_NE(out.find("C2H6O"), std::string::npos) << out;
}

TEST(CliExtract, RefusesToOverwriteAnExistingPart) {
    const TempDir dir;
    const std::vector<std::string> args = {"extract", golden("ethanol.xyz"), "--out-dir",
                                           dir.path().string()};
    cli_output(args);
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
}

TEST(CliConvertOptions, StrideKeysAndBackendOptionsShapeTheCopy) {
    const TempDir dir;
    const std::string out = (dir / "every5.xyz").string();
    cli_output(
        {"convert", golden("periodic.xyz"), out, "--stride", "5", "--option", "energy_key=REF_energy"});
    const auto rows = read_all(out);
    const auto truth = truth_rows(golden_dir() / "periodic.xyz.read.json");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[1].at("info.REF_energy"), truth[5].at("calc.energy"));

    const std::string light = (dir / "light.lmdb").string();
    cli_output({"convert", golden("periodic.xyz"), light, "--keys", "arrays.numbers,calc.energy"});
    const auto slim = read_all(light);
    ASSERT_EQ(slim.size(), 20u);
    EXPECT_EQ(slim[3], (Row{{"arrays.numbers", truth[3].at("arrays.numbers")},
                            {"calc.energy", truth[3].at("calc.energy")}}));
}

TEST(CliConvertOptions, AMisspeltKeyIsOneClearErrorAndWritesNothing) {
    const TempDir dir;
    const std::string out = (dir / "x.lmdb").string();
    const CliResult r = run_cli({"convert", golden("ethanol.xyz"), out, "--keys", "calc.energy,calc.enrgy"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no key 'calc.enrgy'"), std::string::npos) << r.err;
    EXPECT_EQ(ObjectIO(out).size(), 0u);
}

TEST(CliConvertOptions, AKeyFirstHeldByALaterRowIsNoMisspelling) {
    const TempDir dir;
    const std::string in = (dir / "late.lmdb").string();
    {
        ObjectIO io(in);
        for (int i = 0; i < 40; ++i)
            io.append(i < 30 ? Row{{"info.step", Value(i)}}
                             : Row{{"info.step", Value(i)}, {"info.late", Value(i)}});
    }
    const std::string out = (dir / "late-only.lmdb").string();
    cli_output({"convert", in, out, "--keys", "info.late"});
    ObjectIO copy(out, OpenOptions{std::nullopt, true, {}});
    ASSERT_EQ(copy.size(), 40u);
    EXPECT_EQ(copy.get(35), (Row{{"info.late", Value(35)}}));
}

TEST(CliExtract, AFilterOnAKeyNoRowHasIsOneClearError) {
    const TempDir dir;
    const CliResult r = run_cli(
        {"extract", golden("ethanol.xyz"), "--filter", "info.stepp=10", "--out-dir", dir.path().string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no row of"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'info.stepp'"), std::string::npos) << r.err;
}

TEST(CliConvertOptions, BadBackendOptionIsOneClearError) {
    const TempDir dir;
    const CliResult r =
        run_cli({"convert", golden("ethanol.xyz"), (dir / "x.xyz").string(), "--option", "colour=red"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("unknown extxyz option(s): 'colour'"), std::string::npos) << r.err;
}

TEST(CliQuiet, QuietWorksBeforeAndAfterTheSubcommand) {
    EXPECT_EQ(run_cli({"--quiet", "verify", golden("ethanol.xyz")}).exit_code, 0);
    EXPECT_EQ(run_cli({"verify", golden("ethanol.xyz"), "--quiet"}).exit_code, 0);
}

} // namespace
} // namespace asebytes::test
