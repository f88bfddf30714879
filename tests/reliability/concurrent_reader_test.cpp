// A reader process iterating a store while a writer process appends to it sees a prefix of whole
// frames, growing, never a torn frame (LMDB: readers see only committed transactions). HDF5
// stores have no concurrent readers (no SWMR): a reader gets a clear error, not torn frames.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "asebytes/asebytes.hpp"
#include "child_process.hpp"
#include "crash_check.hpp"
#include "crash_frames.hpp"
#include "expect_error.hpp"

namespace asebytes::test {
namespace {

TEST(ConcurrentReader, SeesAGrowingPrefixOfWholeFramesWhileAnotherProcessAppends) {
    TempDir dir;
    const std::string store = (dir / "live.lmdb").string();
    ObjectIO(store).extend({}); // the store exists before the reader opens it
    constexpr std::size_t kFrames = 2000, kBatch = 8;
    ChildProcess writer({ASEBYTES_CRASH_WRITER, store, (dir / "flushed.log").string(), std::to_string(kBatch),
                         std::to_string(kFrames)},
                        dir.path(), dir / "writer.txt");
    OpenOptions readonly;
    readonly.readonly = true;
    ObjectIO reader(store, readonly);
    std::size_t last = 0;
    std::set<std::size_t> lengths;
    while (last < kFrames) {
        std::size_t i = 0;
        for (const auto& row : reader.rows()) { // 256 frames a read, while the writer goes on
            ASSERT_TRUE(row.has_value()) << "frame " << i;
            ASSERT_EQ(crash_frame_mismatch(i, *row), "") << "frame " << i;
            ++i;
        }
        ASSERT_GE(i, last) << "the store shrank";
        ASSERT_EQ(i % kBatch, 0u) << "a partly committed batch";
        last = i;
        lengths.insert(i);
    }
    EXPECT_EQ(writer.wait(), 0);
    EXPECT_GT(lengths.size(), 2u) << "the reader never overlapped the writer";
}

TEST(ConcurrentReader, OfAnH5mdFileAnotherProcessWritesGetsAnErrorSayingSo) {
    TempDir dir;
    const std::string store = (dir / "live.h5md").string();
    const fs::path log = dir / "flushed.log";
    ChildProcess writer({ASEBYTES_CRASH_WRITER, store, log.string(), "8", "1000000000"}, dir.path(),
                        dir / "writer.txt");
    while (last_logged_flush(log) == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    OpenOptions readonly;
    readonly.readonly = true;
    expect_error<BackendError>([&] { ObjectIO(store, readonly).size(); },
                               {store, "open for writing in another process"});
    EXPECT_TRUE(writer.kill()) << "the writer stopped early; see " << (dir / "writer.txt");
}

} // namespace
} // namespace asebytes::test
