// Async facades (asebytes/async.hpp): futures that hold what the synchronous facade returns, in
// the order the operations were issued; prefetching that overlaps reading with the caller's
// work, stays bounded, stops when abandoned and rethrows read errors where the rows would be.
#include <gtest/gtest.h>

#include <atomic>

#include "asebytes/asebytes.hpp"
#include "asebytes/async.hpp"
#include "asebytes/backends/memory.hpp"
#include "golden.hpp"
#include "recording_backend.hpp"

namespace asebytes::test {
namespace {

using namespace std::chrono_literals;

class Async : public ::testing::Test {
protected:
    // A source of `n` ethanol frames whose reads are recorded (and slowed when asked).
    std::shared_ptr<RecordingBackend> source(std::size_t n) {
        auto inner = std::make_shared<MemoryBackend>("memory://async-" + std::to_string(n), "default");
        inner->clear();
        for (std::size_t i = 0; i < n; ++i)
            inner->extend({truth[i % truth.size()]});
        return std::make_shared<RecordingBackend>(inner);
    }
    Frame frame(std::size_t i) const { return Frame::from_row(truth[i % truth.size()]); }
    std::vector<Row> truth = truth_rows(golden_dir() / "ethanol.json");
};

TEST_F(Async, FuturesHoldWhatTheFacadeReturnsInTheOrderIssued) {
    AsyncAtomsIO io{AtomsIO(source(0))};
    // Nobody waits for the writes: the reads after them still see them.
    auto appended = io.extend({frame(0), frame(1), frame(2)});
    io.set(1, frame(7));
    auto size = io.size();
    auto last = io.get(-1);
    auto energy = io.get(1, Keys{"calc.energy"});
    auto keys = io.keys(0);
    EXPECT_EQ(appended.get(), 3u);
    EXPECT_EQ(size.get(), 3u);
    EXPECT_EQ(last.get()->to_row(), frame(2).to_row());
    EXPECT_EQ(energy.get()->calc.at("energy"), truth[7].at("calc.energy"));
    Keys expected;
    for (const auto& field : frame(0).to_row())
        expected.push_back(field.first);
    EXPECT_EQ(keys.get(), expected);
}

TEST_F(Async, ErrorsSurfaceWhereTheFutureIsRead) {
    AsyncAtomsIO io{AtomsIO(source(3))};
    auto missing = io.get(5);
    auto refused = io.update(0, Row{{"velocity", Value(1.0)}}); // not an atoms key
    auto fine = io.size();
    EXPECT_THROW(missing.get(), IndexError);
    EXPECT_THROW(refused.get(), Error);
    EXPECT_EQ(fine.get(), 3u);
}

TEST_F(Async, ViewsMaterialiseAndWriteOnTheStrand) {
    AsyncAtomsIO io{AtomsIO(source(6))};
    const auto tail = io.rows(Slice(-2, std::nullopt)).to_list().get();
    ASSERT_EQ(tail.size(), 2u);
    EXPECT_EQ(tail[1]->to_row(), frame(5).to_row());
    io.rows({0, 2}).update(Row{{"info.split", Value(std::string("train"))}}).get();
    const auto split = io.column("info.split").to_list().get();
    ASSERT_EQ(split.size(), 6u);
    EXPECT_EQ(*split[0], Value(std::string("train")));
    EXPECT_FALSE(split[1]);
    const auto energies = io.rows(Slice(1, 3)).column("calc.energy").to_list().get();
    EXPECT_EQ(*energies[0], truth[1].at("calc.energy"));
    io.rows(Slice(0, 3)).erase().get();
    EXPECT_EQ(io.size().get(), 3u);
}

TEST_F(Async, PrefetchReadsTheNextChunksWhileTheCallerWorks) {
    auto slow = source(32);
    slow->read_delay = 25ms;
    AsyncAtomsIO io{AtomsIO(slow)};
    std::vector<Interval> work;
    std::size_t i = 0;
    for (const auto& f : io.prefetch(2, 4)) {
        const Interval w{Clock::now(), {}};
        EXPECT_EQ(f->to_row(), frame(i++).to_row());
        std::this_thread::sleep_for(10ms); // the caller's work on this row
        work.push_back({w.begin, Clock::now()});
    }
    EXPECT_EQ(i, 32u);
    // Every read but the first ran while the caller was working on earlier rows.
    const auto reads = slow->reads();
    ASSERT_EQ(reads.size(), 8u);
    std::size_t overlapped = 0;
    for (const auto& read : reads)
        overlapped +=
            std::any_of(work.begin(), work.end(), [&](const Interval& w) { return w.overlaps(read.second); });
    EXPECT_GE(overlapped, 6u);
}

TEST_F(Async, PrefetchStaysWithinItsDepthAndStopsWhenAbandoned) {
    auto src = source(40);
    AsyncAtomsIO io{AtomsIO(src)};
    {
        auto range = io.prefetch(2, 4);
        auto it = range.begin();
        EXPECT_TRUE(*it);
        std::this_thread::sleep_for(100ms); // room for the reads ahead to finish
        // Chunk 0 handed out, chunks 1 and 2 waiting: nothing beyond the depth was read.
        EXPECT_LE(src->reads().size(), 3u);
    }
    std::this_thread::sleep_for(100ms);
    EXPECT_LE(src->reads().size(), 3u);
    EXPECT_EQ(io.size().get(), 40u); // the store is still usable
}

TEST_F(Async, PrefetchRethrowsAReadErrorAtTheRowsItWouldHaveRead) {
    auto src = source(12);
    src->fail_read = 2;
    AsyncAtomsIO io{AtomsIO(src)};
    std::size_t handed_out = 0;
    try {
        for (const auto& f : io.prefetch(3, 4)) {
            EXPECT_TRUE(f);
            ++handed_out;
        }
        FAIL() << "no error";
    } catch (const BackendError& e) {
        EXPECT_NE(std::string(e.what()).find("read 2 failed"), std::string::npos) << e.what();
    }
    EXPECT_EQ(handed_out, 8u);
}

TEST_F(Async, WorkIssuedBeforeTheFacadeGoesAwayStillHappens) {
    TempDir dir;
    const std::string file = (dir / "async.lmdb").string();
    std::vector<std::future<std::size_t>> pending;
    {
        AsyncAtomsIO io(file);
        for (std::size_t i = 0; i < 10; ++i)
            pending.push_back(io.extend({frame(i)}));
    }
    for (std::size_t i = 0; i < pending.size(); ++i)
        EXPECT_EQ(pending[i].get(), i + 1);
    AtomsIO reopened(file, opening(true));
    ASSERT_EQ(reopened.size(), 10u);
    EXPECT_EQ(reopened[9]->to_row(), frame(9).to_row());
}

TEST_F(Async, StoresShareThePoolWithoutWaitingForEachOther) {
    TaskPool pool(2);
    auto stuck = source(8);
    std::promise<void> release;
    auto released = release.get_future().share();
    stuck->before_read = [released] { released.wait(); };
    AsyncAtomsIO busy(AtomsIO(stuck), pool);
    AsyncAtomsIO other(AtomsIO(std::make_shared<MemoryBackend>("memory://async-other", "default")), pool);
    auto waiting = busy.get(0);
    // The other store's work runs while the first one's read is held; were it queued behind,
    // this would wait forever (the bound only keeps a broken build from hanging).
    auto quick = other.size();
    ASSERT_EQ(quick.wait_for(60s), std::future_status::ready);
    release.set_value();
    EXPECT_TRUE(waiting.get());
}

} // namespace
} // namespace asebytes::test
