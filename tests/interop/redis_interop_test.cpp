// Interop with real Python asebytes 0.3.1 on a real redis-server this test program starts
// (tests/support/redis_server.hpp): Python reads the Redis rows we write exactly, we read the rows
// Python writes exactly, and both leave the same keys, types and values for the same operations
// (docs/formats/redis.md). The Python side is redis_interop.py.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "interop_scripts.hpp"
#include "python.hpp"
#include "redis_server.hpp"

namespace asebytes::test {
namespace {

OpenOptions in_group(const std::string& group, bool readonly = false) {
    OpenOptions o;
    o.group = group;
    o.readonly = readonly;
    return o;
}

class RedisInterop : public PythonTest {
protected:
    // One database of the test program's server per test.
    void SetUp() override {
        PythonTest::SetUp();
        uri_ = test_redis_server().fresh_uri();
    }
    PythonRun check(std::vector<std::string> arguments) {
        arguments.insert(arguments.begin(), {"check", uri_});
        return run_interop_script("redis_interop.py", arguments);
    }
    std::string uri_;
};

// ---- 1. Python reads what we write -----------------------------------------------------------

using PythonReadsOurRedis = RedisInterop;

TEST_F(PythonReadsOurRedis, EthanolFramesExactly) {
    AtomsIO(uri_).extend(frames_of(truth_rows(golden_dir() / "ethanol.json")));
    ASSERT_PYTHON_OK((check({"--groups", "default", "--objects", golden("ethanol.json"), "--atoms",
                             golden("ethanol.lmdb.default.read.json"), "--blobs", golden("ethanol.json")})));
}

TEST_F(PythonReadsOurRedis, PeriodicFramesWithVariableAtomCountsExactly) {
    AtomsIO(uri_).extend(frames_of(truth_rows(golden_dir() / "periodic.json")));
    ASSERT_PYTHON_OK(
        (check({"--objects", golden("periodic.json"), "--atoms", golden("periodic.lmdb.default.read.json"),
                "--blobs", golden("periodic.json")})));
}

TEST_F(PythonReadsOurRedis, ObjectRowsOfEveryValueTypeExactly) {
    ObjectIO(uri_).extend(truth_rows(golden_dir() / "objects.json"));
    ASSERT_PYTHON_OK((check({"--objects", golden("objects.json"), "--blobs", golden("objects.json")})));
}

TEST_F(PythonReadsOurRedis, TrainAndTestGroupsOfOneDatabase) {
    const auto periodic = truth_rows(golden_dir() / "periodic.json");
    ObjectIO(uri_, in_group("train")).extend({periodic.begin(), periodic.begin() + 12});
    ObjectIO(uri_, in_group("test")).extend({periodic.begin() + 12, periodic.end()});
    for (const std::string group : {"train", "test"}) {
        const std::string truth = golden("groups.lmdb." + group + ".read.json");
        ASSERT_PYTHON_OK(
            (check({"--group", group, "--groups", "test,train", "--atoms", truth, "--blobs", truth})));
    }
}

TEST_F(PythonReadsOurRedis, RowsEditedWithInsertDeleteUpdateAndSet) {
    ObjectIO db(uri_);
    edit_like_make_golden(db);
    ASSERT_PYTHON_OK((check({"--objects", golden("edited.json"), "--blobs", golden("edited.json")})));
}

// Python edits rows we wrote (views, reserve, drop included), and we read its edits.
TEST_F(PythonReadsOurRedis, AndContinuesEditingThemAndWeReadItsEdits) {
    ObjectIO db(uri_);
    edit_like_make_golden(db);
    const std::string truth = path("python-edited.json");
    ASSERT_PYTHON_OK((run_interop_script("redis_interop.py", {"edit", uri_, truth})));
    expect_rows(ObjectIO(uri_, in_group("default", true)), truth_with_placeholders(truth));
}

// ---- 2. we read what Python writes -----------------------------------------------------------

class WeReadPythonRedis : public RedisInterop {
protected:
    void SetUp() override {
        RedisInterop::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        ASSERT_PYTHON_OK((run_interop_script("redis_interop.py", {"write", uri_, dir_.path().string()})));
    }
    std::vector<std::optional<Row>> truth(const std::string& group) const {
        return truth_with_placeholders(dir_ / (group + ".truth.json"));
    }
};

TEST_F(WeReadPythonRedis, ItsGroupsAndEveryRowExactly) {
    EXPECT_EQ(ObjectIO::list_groups(uri_), (std::vector<std::string>{"default", "objects", "relaxed"}));
    for (const std::string group : {"default", "relaxed", "objects"}) {
        SCOPED_TRACE("group " + group);
        expect_rows(ObjectIO(uri_, in_group(group, true)), truth(group));
    }
}

TEST_F(WeReadPythonRedis, FramesThroughAtomsIO) {
    AtomsIO io(uri_, in_group("default", true));
    const auto rows = truth("default");
    ASSERT_EQ(io.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto frame = io.get(static_cast<std::int64_t>(i));
        ASSERT_EQ(frame.has_value(), rows[i].has_value()) << "row " << i;
        if (!frame) continue;
        EXPECT_EQ(*frame, Frame::from_row(*rows[i])) << "row " << i;
    }
}

// ---- 3. the same keys as Python ---------------------------------------------------------------
// Each test runs a scenario here; redis_interop.py runs its Python twin (same name) into another
// database of the same server and compares every key of the two.

class SameRedisKeysAsPython : public RedisInterop {
protected:
    void expect_same_keys(const std::string& scenario) {
        ASSERT_PYTHON_OK(
            (run_interop_script("redis_interop.py", {"keys", scenario, uri_, test_redis_server().fresh_uri(),
                                                     golden_dir().string()})));
    }
};

TEST_F(SameRedisKeysAsPython, ForEditsWithInsertDeleteUpdateAndSet) {
    {
        ObjectIO db(uri_);
        edit_like_make_golden(db);
        db.insert(0, std::nullopt);
        db.insert(static_cast<std::int64_t>(db.size()), Row{{"idx", -2}});
    }
    expect_same_keys("edited");
}

TEST_F(SameRedisKeysAsPython, ForBatchedWritesThroughViewsAndDrop) {
    {
        ObjectIO db(uri_);
        std::vector<Row> rows;
        for (int i = 0; i < 50; ++i)
            rows.push_back({{"i", i}, {"s", std::to_string(i)}});
        db.extend(rows);
        db.rows(Slice(30, 40)).erase();
        db.rows(Slice(10, 15))
            .set({Row{{"i", 0}}, Row{{"i", -1}}, Row{{"i", -2}}, Row{{"i", -3}}, Row{{"i", -4}}});
        db.rows(Slice(20, 25)).update({{"flag", true}});
        db.rows(Slice(0, 3)).column("col").set({30.0, 31.0, 32.0});
        db.rows(Slice(40, 45)).drop({"s"});
        db.reserve(3);
        db.drop({"i"});
    }
    expect_same_keys("views");
}

TEST_F(SameRedisKeysAsPython, ForTheGoldenRowsInGroupsAndAClearedGroup) {
    const auto periodic = truth_rows(golden_dir() / "periodic.json");
    ObjectIO(uri_, in_group("ethanol")).extend(truth_rows(golden_dir() / "ethanol.json"));
    ObjectIO(uri_, in_group("objects")).extend(truth_rows(golden_dir() / "objects.json"));
    ObjectIO(uri_, in_group("train")).extend({periodic.begin(), periodic.begin() + 12});
    ObjectIO(uri_, in_group("test")).extend({periodic.begin() + 12, periodic.end()});
    ObjectIO cleared(uri_, in_group("cleared"));
    cleared.extend({Row{{"x", 1}}, Row{{"x", 2}}});
    cleared.clear();
    cleared.extend({Row{{"x", 3}}});
    expect_same_keys("golden_groups");
}

} // namespace
} // namespace asebytes::test
