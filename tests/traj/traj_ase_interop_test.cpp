// Files ASE writes (tests/traj/ase_writes_traj.py: varied content, 50 items, a big-endian file, a
// hand-made ULM file, the old AFFormat magic) read exactly as Python asebytes 0.3.1 reads them,
// and a .traj converted to LMDB by `asebytes convert` reads in Python as the .traj did.
#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "python.hpp"

namespace asebytes::test {
namespace {

// The files the script writes, written once for every test of this program.
struct Generated {
    TempDir dir;
    PythonRun run;
    std::vector<std::string> files;
};

Generated& generated() {
    static const std::unique_ptr<Generated> g = [] {
        auto out = std::make_unique<Generated>();
        out->run = run_python_script(fs::path(ASEBYTES_SOURCE_DIR) / "tests" / "traj" / "ase_writes_traj.py",
                                     {out->dir.path().string()});
        std::ifstream list(out->dir / "files.txt");
        for (std::string name; std::getline(list, name);)
            out->files.push_back((out->dir / name).string());
        return out;
    }();
    return *g;
}

std::vector<Row> we_read(const std::string& file) {
    ObjectIO io(file, opening(true));
    std::vector<Row> rows;
    for (const auto& r : io.rows())
        rows.push_back(*r);
    return rows;
}

// Typed equality, or, for NaN (never equal to itself), the same msgpack bytes.
::testing::AssertionResult same(const Value& ours, const Value& python) {
    if (ours == python || encode(ours) == encode(python)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "ours " << describe(ours) << ", Python " << describe(python);
}

TEST(TrajAse, EveryRowOfEveryFileEqualsWhatPythonAsebytesReads) {
    const Generated& g = generated();
    ASSERT_PYTHON_OK(g.run);
    ASSERT_EQ(g.files.size(), 6u);
    std::size_t rows = 0, keys = 0;
    for (const auto& file : g.files) {
        SCOPED_TRACE(file);
        const auto truth = truth_rows(file + ".json");
        const auto python_bytes = truth_msgpack(file + ".json");
        const auto ours = we_read(file);
        ASSERT_EQ(ours.size(), truth.size());
        for (std::size_t i = 0; i < truth.size(); ++i) {
            Keys our_keys, their_keys;
            for (const auto& kv : ours[i])
                our_keys.push_back(kv.first);
            for (const auto& kv : truth[i])
                their_keys.push_back(kv.first);
            EXPECT_EQ(our_keys, their_keys) << "row " << i;
            for (const auto& [key, value] : truth[i]) {
                if (!ours[i].count(key)) continue;
                EXPECT_TRUE(same(ours[i].at(key), value)) << "row " << i << " key " << key;
                // The bytes Python asebytes stores for the value, ours byte for byte; but Python
                // keeps the int dict key 1 of info.nested (jsonio makes "1" an int), a Map key is
                // a string here (docs/formats/traj.md).
                if (key != "info.nested") {
                    EXPECT_EQ(encode(ours[i].at(key)), python_bytes[i].at(key))
                        << "row " << i << " key " << key;
                }
                ++keys;
            }
            ++rows;
        }
    }
    std::cout << "[ traj ] compared " << g.files.size() << " files, " << rows << " rows, " << keys
              << " values with Python asebytes\n";
}

TEST(TrajAse, NanAndInfinitiesReadAsPythonAsebytesStoresThem) {
    const Generated& g = generated();
    ASSERT_PYTHON_OK(g.run);
    const std::string file = (g.dir / "nonfinite.traj").string();
    const Json truth = load_json(file + ".msgpack.json");
    const auto ours = we_read(file);
    ASSERT_EQ(ours.size(), truth.size());
    for (std::size_t i = 0; i < ours.size(); ++i) {
        EXPECT_EQ(ours[i].size(), truth[i].size()) << "row " << i;
        for (const auto& [key, bytes] : truth[i].items())
            EXPECT_EQ(encode(ours[i].at(key)), base64_decode(bytes.get<std::string>()))
                << "row " << i << " key " << key;
    }
    EXPECT_TRUE(std::isnan(ours[0].at("calc.energy").as_double()));
}

TEST(TrajAse, BigEndianArraysReadAsTheLittleEndianFileOfTheSameFrames) {
    const Generated& g = generated();
    ASSERT_PYTHON_OK(g.run);
    const auto big = we_read((g.dir / "big_endian.traj").string());
    const auto little = we_read((g.dir / "varied.traj").string());
    ASSERT_EQ(big.size(), little.size());
    for (std::size_t i = 0; i < big.size(); ++i)
        for (const auto& [key, value] : little[i])
            EXPECT_TRUE(same(big[i].at(key), value)) << "row " << i << " key " << key;
}

TEST(TrajAse, RowsReadInAnyOrderAreTheRowsReadInOrder) {
    const Generated& g = generated();
    ASSERT_PYTHON_OK(g.run);
    const std::string file = (g.dir / "long.traj").string();
    const auto truth = truth_rows(file + ".json");
    ObjectIO io(file, opening(true));
    ASSERT_EQ(io.size(), 50u);
    for (std::int64_t i : {5, 0, 49, 43, 42, 41, 1, 17, 5}) // across both moves of the table
        EXPECT_EQ(*io.get(i), truth[static_cast<std::size_t>(i)]) << "row " << i;
    EXPECT_EQ(*io.get(-1), truth.back());
    const Row some = *io.get(7, Keys{"calc.energy", "info.step"});
    EXPECT_EQ(some, (Row{{"calc.energy", truth[7].at("calc.energy")}, {"info.step", Value(7)}}));
}

#ifdef ASEBYTES_CLI
TEST(TrajAse, ConvertedToLmdbPythonReadsTheRowsOfTheTraj) {
    const Generated& g = generated();
    ASSERT_PYTHON_OK(g.run);
    TempDir out;
    for (const char* name : {"varied.traj", "big_endian.traj", "long.traj"}) {
        SCOPED_TRACE(name);
        const std::string traj = (g.dir / name).string();
        const std::string lmdb = (out / (std::string(name) + ".lmdb")).string();
        const std::string command = shell_quoted(ASEBYTES_CLI) + " convert " + shell_quoted(traj) + " " +
                                    shell_quoted(lmdb) + " >/dev/null";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
        const PythonRun check =
            run_python_script(fs::path(ASEBYTES_SOURCE_DIR) / "tests" / "interop" / "check_store.py",
                              {lmdb, "--objects", traj + ".json"});
        ASSERT_PYTHON_OK(check);
    }
}

TEST(TrajAse, ExtractSplitsATrajIntoPartsHoldingItsRows) {
    const Generated& g = generated();
    ASSERT_PYTHON_OK(g.run);
    TempDir out;
    const std::string traj = (g.dir / "long.traj").string();
    const std::string command = shell_quoted(ASEBYTES_CLI) + " extract " + shell_quoted(traj) +
                                " --split train=0.8,test=0.2 --seed 3 --format lmdb --out-dir " +
                                shell_quoted(out.path().string()) + " >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    const auto truth = truth_rows(traj + ".json");
    std::size_t rows = 0;
    for (const char* part : {"train.lmdb", "test.lmdb"}) {
        for (const auto& row : ObjectIO((out / part).string(), opening(true))) {
            ++rows;
            EXPECT_NE(std::find(truth.begin(), truth.end(), *row), truth.end())
                << part << ": a row not in the traj";
        }
    }
    EXPECT_EQ(rows, truth.size());
    EXPECT_EQ(ObjectIO((out / "train.lmdb").string(), opening(true)).size(), 40u);
}
#endif

} // namespace
} // namespace asebytes::test
