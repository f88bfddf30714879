// Stores Python asebytes wrote: we read them exactly, and writing the same rows reproduces them
// key for key and byte for byte (docs/formats/lmdb.md).
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "golden_checks.hpp"
#include "raw_lmdb.hpp"

namespace asebytes::test {
namespace {

struct GoldenGroup {
    std::string store, group;
};
void PrintTo(const GoldenGroup& g, std::ostream* os) { *os << g.store << " group " << g.group; }

class LmdbGolden : public ::testing::TestWithParam<GoldenGroup> {};

TEST_P(LmdbGolden, ReadsEveryRowExactlyAsPythonDoes) {
    TempDir dir;
    const auto path = copy_golden(GetParam().store, dir);
    OpenOptions ro;
    ro.readonly = true;
    ro.group = GetParam().group;
    ObjectIO io(path.string(), ro);
    const auto truth = truth_rows(golden_dir() / (GetParam().store + "." + GetParam().group + ".read.json"));
    expect_rows(io, truth);
}

TEST_P(LmdbGolden, ReadsColumnsAndSlicesInStoredOrder) {
    TempDir dir;
    const auto path = copy_golden(GetParam().store, dir);
    OpenOptions o;
    o.group = GetParam().group;
    ObjectIO io(path.string(), o);
    const auto truth = truth_rows(golden_dir() / (GetParam().store + "." + GetParam().group + ".read.json"));
    const std::string key = truth.front().begin()->first;
    expect_column_backwards(io, truth, key);
}

INSTANTIATE_TEST_SUITE_P(
    Python, LmdbGolden,
    ::testing::Values(GoldenGroup{"ethanol.lmdb", "default"}, GoldenGroup{"periodic.lmdb", "default"},
                      GoldenGroup{"objects.lmdb", "default"}, GoldenGroup{"edited.lmdb", "default"},
                      GoldenGroup{"groups.lmdb", "train"}, GoldenGroup{"groups.lmdb", "test"}),
    [](const auto& i) { return test_identifier(i.param.store + "_" + i.param.group); });

TEST(LmdbGoldenStore, ListsGroupsAsPythonDoes) {
    EXPECT_EQ(list_groups((golden_dir() / "groups.lmdb").string()),
              (std::vector<std::string>{"test", "train"}));
    EXPECT_EQ(list_groups((golden_dir() / "ethanol.lmdb").string()), (std::vector<std::string>{"default"}));
    EXPECT_TRUE(list_groups((golden_dir() / "nothing-here.lmdb").string()).empty());
}

TEST(LmdbGoldenStore, AtomsIOReadsFramesWithConstraintsAndVariableSizes) {
    TempDir dir;
    AtomsIO eth(copy_golden("ethanol.lmdb", dir).string());
    EXPECT_TRUE(eth.get(3)->constraints.has_value());
    EXPECT_FALSE(eth.get(2)->constraints.has_value());
    AtomsIO per(copy_golden("periodic.lmdb", dir).string());
    expect_periodic_frames(per);
}

// Writing what Python wrote gives the same LMDB content. Page layout and free pages may differ
// (LMDB's own business); every key and value must not.
void expect_same_content(const fs::path& ours, const fs::path& python) {
    const auto a = dump_lmdb(ours), b = dump_lmdb(python);
    EXPECT_EQ(a.size(), b.size());
    for (const auto& [k, v] : b) {
        auto it = a.find(k);
        if (it == a.end()) {
            ADD_FAILURE() << "missing key " << k;
            continue;
        }
        EXPECT_TRUE(it->second == v) << "value of key " << k << " differs";
    }
    for (const auto& kv : a)
        if (!b.count(kv.first)) ADD_FAILURE() << "extra key " << kv.first;
}

TEST(LmdbWrites, ExtendReproducesPythonsStoresKeyForKey) {
    for (const char* name : {"ethanol", "periodic", "objects"}) {
        TempDir dir;
        const auto path = dir / (std::string(name) + ".lmdb");
        ObjectIO(path.string()).extend(truth_rows(golden_dir() / (std::string(name) + ".json")));
        SCOPED_TRACE(name);
        expect_same_content(path / "default", golden_dir() / (std::string(name) + ".lmdb") / "default");
    }
}

TEST(LmdbWrites, GroupsReproducePythonsGroupDirectories) {
    TempDir dir;
    const auto path = dir / "groups.lmdb";
    const auto rows = truth_rows(golden_dir() / "periodic.json");
    OpenOptions train, test;
    train.group = "train";
    test.group = "test";
    ObjectIO(path.string(), train).extend(std::vector<Row>(rows.begin(), rows.begin() + 12));
    ObjectIO(path.string(), test).extend(std::vector<Row>(rows.begin() + 12, rows.end()));
    for (const char* g : {"train", "test"})
        expect_same_content(path / g, golden_dir() / "groups.lmdb" / g);
}

TEST(LmdbWrites, EditsInPlaceReproducePythonsEditedStore) {
    // The sequence make_golden.py ran: extend, insert, delete, update, replace.
    TempDir dir;
    const auto path = dir / "edited.lmdb";
    ObjectIO db(path.string());
    std::vector<Row> rows;
    for (int i = 0; i < 10; ++i)
        rows.push_back(Row{{"idx", Value(i)}, {"sq", Value(double(i * i))}});
    db.extend(rows);
    db.insert(3, Row{{"idx", Value(100)}, {"sq", Value(-1.0)}, {"extra", Value("inserted")}});
    db.erase(6);
    db.update(0, Row{{"sq", Value(0.5)}, {"tag", Value("updated")}});
    db.set(1, Row{{"idx", Value(11)}, {"replaced", Value(true)}});
    expect_same_content(path / "default", golden_dir() / "edited.lmdb" / "default");
    const auto truth = truth_rows(golden_dir() / "edited.json");
    for (std::size_t i = 0; i < truth.size(); ++i)
        EXPECT_EQ(*db.get(static_cast<std::int64_t>(i)), truth[i]);
}

TEST(LmdbWrites, BlockSplitsAndEmptiedBlocksKeepTheIndexConsistent) {
    TempDir dir;
    const auto path = (dir / "big.lmdb").string();
    std::vector<Row> rows;
    for (int i = 0; i < 2100; ++i)
        rows.push_back(Row{{"i", Value(i)}});
    {
        ObjectIO io(path);
        io.extend(rows);                      // blocks of 1024, 1024, 52
        io.insert(10, Row{{"i", Value(-1)}}); // block 0 overflows: split into 512 + 513
        io.rows(Slice(2000, 2101)).erase();   // empties the last block
    }
    const auto raw = dump_lmdb(fs::path(path) / "default");
    const std::string count = raw.at("__blk_count__");
    EXPECT_EQ(static_cast<unsigned char>(count[0]), 3u) << "1024-block split in two, last block removed";
    EXPECT_FALSE(raw.count(std::string("__blk__\x03\x00\x00\x00", 8)));
    EXPECT_EQ(raw.at("__meta__count"), "2000");
    ObjectIO io(path); // the index reloads from disk
    ASSERT_EQ(io.size(), 2000u);
    EXPECT_EQ(io.get(10)->at("i"), Value(-1));
    EXPECT_EQ(io.get(11)->at("i"), Value(10));
    EXPECT_EQ(io.get(-1)->at("i"), Value(1998));
}

} // namespace
} // namespace asebytes::test
