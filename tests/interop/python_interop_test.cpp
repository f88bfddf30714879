// Interop with real Python asebytes 0.3.1 (never mocked): Python reads the LMDB stores we write
// exactly, we read the stores Python writes exactly, and both write the same LMDB keys and values
// for the same operations (docs/formats/lmdb.md). The Python side is tests/interop/*.py, run with
// Debian's /usr/bin/python3 and asebytes from ASEBYTES_PYTHONPATH (default: the copy in
// ../shared/third_party). Without them every test is skipped, saying what is missing, or fails
// when ASEBYTES_REQUIRE_INTEROP=1 (CI).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "interop_scripts.hpp"
#include "python.hpp"

namespace asebytes::test {
namespace {

// ---- stores and truth ------------------------------------------------------------------------

ObjectIO open_group(const std::string& store, const std::string& group = "default") {
    OpenOptions options;
    options.group = group;
    options.options = {{"sync", "false"}}; // speed only: the same data is written
    return ObjectIO(store, options);
}

ObjectIO open_readonly(const std::string& store, const std::string& group = "default") {
    OpenOptions options;
    options.group = group;
    options.readonly = true;
    return ObjectIO(store, options);
}

std::vector<Row> slice(const std::vector<Row>& rows, std::size_t begin, std::size_t end) {
    return {rows.begin() + static_cast<std::ptrdiff_t>(begin),
            rows.begin() + static_cast<std::ptrdiff_t>(end)};
}

// ---- 1. Python reads what we write -------------------------------------------------------------

class PythonReadsOurLmdb : public PythonTest {};

TEST_F(PythonReadsOurLmdb, EthanolFramesExactly) {
    AtomsIO(path("ethanol.lmdb")).extend(frames_of(truth_rows(golden_dir() / "ethanol.json")));
    ASSERT_PYTHON_OK((run_interop_script("check_store.py", {path("ethanol.lmdb"), "--groups", "default",
                                                            "--objects", golden("ethanol.json"), "--atoms",
                                                            golden("ethanol.lmdb.default.read.json"),
                                                            "--blobs", golden("ethanol.json")})));
}

TEST_F(PythonReadsOurLmdb, ACacheFilledOutOfOrderThroughCacheTo) {
    // The source: Python's own ethanol LMDB; rows read last to first, so LMDB pads the gap first.
    const AtomsIO cached = cache_to(AtomsIO(golden("ethanol.lmdb"), opening(true)), path("cache.lmdb"));
    for (std::int64_t i = static_cast<std::int64_t>(cached.size()) - 1; i >= 0; --i)
        cached[i];
    ASSERT_PYTHON_OK((run_interop_script("check_store.py", {path("cache.lmdb"), "--groups", "default",
                                                            "--objects", golden("ethanol.json"), "--atoms",
                                                            golden("ethanol.lmdb.default.read.json"),
                                                            "--blobs", golden("ethanol.json")})));
}

TEST_F(PythonReadsOurLmdb, PeriodicFramesWithVariableAtomCountsExactly) {
    AtomsIO(path("periodic.lmdb")).extend(frames_of(truth_rows(golden_dir() / "periodic.json")));
    ASSERT_PYTHON_OK((run_interop_script(
        "check_store.py", {path("periodic.lmdb"), "--objects", golden("periodic.json"), "--atoms",
                           golden("periodic.lmdb.default.read.json"), "--blobs", golden("periodic.json")})));
}

TEST_F(PythonReadsOurLmdb, ObjectRowsOfEveryValueTypeExactly) {
    open_group(path("objects.lmdb")).extend(truth_rows(golden_dir() / "objects.json"));
    ASSERT_PYTHON_OK(
        (run_interop_script("check_store.py", {path("objects.lmdb"), "--objects", golden("objects.json"),
                                               "--blobs", golden("objects.json")})));
}

TEST_F(PythonReadsOurLmdb, TrainAndTestGroupsOfOneStore) {
    const auto periodic = truth_rows(golden_dir() / "periodic.json");
    open_group(path("groups.lmdb"), "train").extend(slice(periodic, 0, 12));
    open_group(path("groups.lmdb"), "test").extend(slice(periodic, 12, periodic.size()));
    for (const std::string group : {"train", "test"}) {
        const std::string truth = golden("groups.lmdb." + group + ".read.json");
        ASSERT_PYTHON_OK(
            (run_interop_script("check_store.py", {path("groups.lmdb"), "--group", group, "--groups",
                                                   "test,train", "--atoms", truth, "--blobs", truth})));
    }
}

TEST_F(PythonReadsOurLmdb, StoreEditedWithInsertDeleteUpdateAndSet) {
    {
        auto db = open_group(path("edited.lmdb"));
        edit_like_make_golden(db);
    }
    ASSERT_PYTHON_OK(
        (run_interop_script("check_store.py", {path("edited.lmdb"), "--objects", golden("edited.json"),
                                               "--blobs", golden("edited.json")})));
}

// Python edits a store we wrote, and we read its edits.
TEST_F(PythonReadsOurLmdb, AndContinuesEditingItAndWeReadItsEdits) {
    {
        auto db = open_group(path("edited.lmdb"));
        edit_like_make_golden(db);
    }
    const std::string truth = path("python-edited.json");
    ASSERT_PYTHON_OK((run_interop_script("python_edits.py", {path("edited.lmdb"), truth})));
    expect_rows(open_readonly(path("edited.lmdb")), truth_with_placeholders(truth));
}

// ---- 2. we read what Python writes -------------------------------------------------------------

// python_writes.py runs once for these tests; its stores are only read.
class WeReadPythonLmdb : public PythonTest {
protected:
    struct Stores {
        TempDir dir;
        PythonRun run;
    };
    static const Stores& stores() {
        static const std::unique_ptr<Stores> stores = [] {
            auto s = std::make_unique<Stores>();
            s->run = run_interop_script("python_writes.py", {s->dir.path().string()});
            return s;
        }();
        return *stores;
    }
    void SetUp() override {
        PythonTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        ASSERT_PYTHON_OK(stores().run);
    }
    static std::string store(const std::string& name) { return (stores().dir / name).string(); }
    static std::vector<std::optional<Row>> truth(const std::string& store, const std::string& group) {
        return truth_with_placeholders(stores().dir / (store + "." + group + ".truth.json"));
    }
};

TEST_F(WeReadPythonLmdb, ItsGroups) {
    EXPECT_EQ(ObjectIO::list_groups(store("frames.lmdb")), (std::vector<std::string>{"default", "relaxed"}));
    EXPECT_EQ(ObjectIO::list_groups(store("objects.lmdb")), (std::vector<std::string>{"default"}));
}

TEST_F(WeReadPythonLmdb, FrameRowsWithConstraintsUnicodeNumpyScalarsAndPlaceholdersExactly) {
    for (const std::string group : {"default", "relaxed"}) {
        SCOPED_TRACE("group " + group);
        expect_rows(open_readonly(store("frames.lmdb"), group), truth("frames.lmdb", group));
    }
}

TEST_F(WeReadPythonLmdb, FramesThroughAtomsIO) {
    OpenOptions options;
    options.readonly = true;
    AtomsIO io(store("frames.lmdb"), options);
    const auto rows = truth("frames.lmdb", "default");
    ASSERT_EQ(io.size(), rows.size());
    std::set<std::size_t> natoms;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto frame = io.get(static_cast<std::int64_t>(i));
        ASSERT_EQ(frame.has_value(), rows[i].has_value()) << "row " << i;
        if (!frame) continue;
        EXPECT_EQ(*frame, Frame::from_row(*rows[i])) << "row " << i;
        natoms.insert(frame->natoms());
    }
    EXPECT_EQ(natoms, (std::set<std::size_t>{3, 8, 9, 32}));
    EXPECT_TRUE(io.get(0)->constraints.has_value());
}

TEST_F(WeReadPythonLmdb, ObjectValuesOfEveryKindExactly) {
    expect_rows(open_readonly(store("objects.lmdb")), truth("objects.lmdb", "default"));
}

// Python writes {"meta": {b"raw": 1, b"more": [1, 2]}} and reads it back unchanged (msgpack
// allows str and bytes map keys); our decoder must not refuse it.
TEST_F(WeReadPythonLmdb, DictsWithBytesKeys) {
    const auto io = open_readonly(store("bytes_keys.lmdb"));
    std::optional<Row> row;
    ASSERT_NO_THROW(row = io.get(0));
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->count("meta"), 1u);
}

// Our writer re-encodes every value Python wrote here, byte for byte.
TEST_F(WeReadPythonLmdb, AndPythonReadsOurCopyOfItExactly) {
    for (const std::string name : {"frames.lmdb", "objects.lmdb"}) {
        auto copy = open_group(path("copy.lmdb"), name);
        for (const auto& row : truth(name, "default")) {
            if (row)
                copy.append(*row);
            else
                copy.reserve(1);
        }
    }
    for (const std::string name : {"frames.lmdb", "objects.lmdb"}) {
        const std::string truth_file = (stores().dir / (name + ".default.truth.json")).string();
        ASSERT_PYTHON_OK(
            (run_interop_script("check_store.py", {path("copy.lmdb"), "--group", name, "--objects",
                                                   truth_file, "--blobs", truth_file})));
    }
}

// ---- 3. the same keys and values as Python -----------------------------------------------------
// Each test runs a scenario here and same_bytes.py runs its Python twin (same name), then compares
// every LMDB (key, value) pair of every group.

class SameBytesAsPython : public PythonTest {
protected:
    void expect_same_bytes(const std::string& scenario) {
        ASSERT_PYTHON_OK(
            (run_interop_script("same_bytes.py", {scenario, path("ours.lmdb"), golden_dir().string()})));
    }
};

TEST_F(SameBytesAsPython, ForTheEditSequenceOfMakeGolden) {
    {
        auto db = open_group(path("ours.lmdb"));
        edit_like_make_golden(db);
    }
    expect_same_bytes("edited");
}

std::vector<Row> numbered(int first, int count, const Row& extra = {}) {
    std::vector<Row> rows;
    for (int i = first; i < first + count; ++i) {
        Row r = extra;
        r["i"] = i;
        rows.push_back(std::move(r));
    }
    return rows;
}

TEST_F(SameBytesAsPython, WhenBlocksSplitEmptyAndGrow) {
    {
        auto db = open_group(path("ours.lmdb"));
        db.extend(numbered(0, 1024));
        db.extend(numbered(1024, 5, {{"tail", true}})); // blocks [1024, 5]
        db.insert(0, Row{{"i", -1}, {"s", "first"}});   // block 0 overflows: [512, 513, 5]
        for (int k = 0; k < 513; ++k)
            db.erase(512); // the middle block empties
        db.insert(static_cast<std::int64_t>(db.size()), Row{{"i", -2}});
        db.extend(numbered(5000, 1100));
    }
    expect_same_bytes("blocks");
}

TEST_F(SameBytesAsPython, ForPlaceholdersDropAndClear) {
    {
        auto db = open_group(path("ours.lmdb"));
        db.extend({Row{{"a", 1}, {"b", "x"}}, Row{{"a", 2}, {"b", "y"}, {"c", List{1, 2}}}, Row{{"b", "z"}}});
        db.drop({"b"});
        db.set(6, Row{{"a", 6}});
        db.reserve(2);
        db.set(7, Row{{"a", 7.5}});
        db.insert(1, std::nullopt);
        db.set(0, std::nullopt);
        db.update(1, {{"a", 1}});
        db.update(2, {{"d", NdArray::from<std::int64_t>({0, 1})}, {"\u00e9", "non-ASCII key"}, {"Z", 0}});
        auto cleared = open_group(path("ours.lmdb"), "cleared");
        cleared.extend({Row{{"x", 1}}, Row{{"x", 2}}, Row{{"y", 3}}});
        cleared.clear();
        cleared.extend({Row{{"x", 4}}});
    }
    expect_same_bytes("placeholders");
}

TEST_F(SameBytesAsPython, ForBatchedWritesThroughViews) {
    {
        auto db = open_group(path("ours.lmdb"));
        std::vector<Row> rows;
        for (int i = 0; i < 2100; ++i)
            rows.push_back({{"i", i}, {"s", std::to_string(i)}});
        db.extend(rows);                    // blocks [1024, 1024, 52]
        db.rows(Slice(1000, 2030)).erase(); // across three blocks; the middle one empties
        db.rows(Slice(10, 15))
            .set({Row{{"i", 0}}, Row{{"i", -1}}, Row{{"i", -2}}, Row{{"i", -3}}, Row{{"i", -4}}});
        db.rows(Slice(20, 25)).update({{"flag", true}});
        db.rows(Slice(30, 33)).column("col").set({30.0, 31.0, 32.0});
        db.rows(Slice(40, 45)).drop({"s"});
        db.rows(std::vector<std::int64_t>{50, 52}).update({{"odd", nullptr}});
    }
    expect_same_bytes("views");
}

TEST_F(SameBytesAsPython, ForTheGoldenRowsInFourGroups) {
    const auto periodic = truth_rows(golden_dir() / "periodic.json");
    open_group(path("ours.lmdb"), "ethanol").extend(truth_rows(golden_dir() / "ethanol.json"));
    open_group(path("ours.lmdb"), "objects").extend(truth_rows(golden_dir() / "objects.json"));
    open_group(path("ours.lmdb"), "train").extend(slice(periodic, 0, 12));
    open_group(path("ours.lmdb"), "test").extend(slice(periodic, 12, periodic.size()));
    expect_same_bytes("golden_groups");
}

} // namespace
} // namespace asebytes::test
