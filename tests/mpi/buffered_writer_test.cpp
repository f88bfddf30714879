// The writers: order and completeness, bounded memory against a slow backend, errors surfacing on
// the producer's thread, and flushed frames surviving a SIGKILL (LMDB).
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "asebytes/asebytes.hpp"
#include "asebytes/backends/memory.hpp"
#include "asebytes/mpi/buffered_writer.hpp"
#include "asebytes/mpi/synchronous_writer.hpp"
#include "golden.hpp"

namespace asebytes::mpi {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

Row frame(int i, std::size_t atoms = 8) {
    std::vector<double> pos(3 * atoms, static_cast<double>(i));
    return Row{{"info.i", Value(i)},
               {"arrays.positions", NdArray::from<double>({static_cast<std::int64_t>(atoms), 3}, pos)}};
}

std::shared_ptr<ObjectReadWriteBackend> memory_store(const std::string& name) {
    return std::make_shared<MemoryBackend>("memory://" + name, "default");
}

// A backend that takes its time (or fails) on extend, to exercise the queue.
class ScriptedBackend : public MemoryBackend {
public:
    ScriptedBackend(const std::string& name, std::chrono::milliseconds delay, int fail_on_call = -1)
        : MemoryBackend("memory://" + name, "default"), delay_(delay), fail_on_(fail_on_call) {}
    std::size_t extend(const std::vector<MaybeRow>& rows) override {
        std::this_thread::sleep_for(delay_);
        if (++calls_ == fail_on_) throw BackendError("scripted failure: disk on fire");
        return MemoryBackend::extend(rows);
    }

private:
    std::chrono::milliseconds delay_;
    int fail_on_;
    std::atomic<int> calls_{0};
};

TEST(BufferedWriter, FramesArriveInOrderAndComplete) {
    auto backend = memory_store("order");
    {
        WriterLimits limits;
        limits.max_frames = 4;
        limits.batch_frames = 3;
        BufferedWriter w(backend, limits);
        for (int i = 0; i < 500; ++i)
            w.write(frame(i));
        w.close();
        EXPECT_EQ(w.stats().frames, 500u);
        EXPECT_GE(w.stats().batches, 167u); // at most 3 frames per transaction
    }
    ObjectIO io(backend);
    ASSERT_EQ(io.size(), 500u);
    for (int i = 0; i < 500; ++i)
        ASSERT_EQ(*io.get(i), frame(i)) << i;
}

TEST(BufferedWriter, MemoryStaysWithinTheBoundWhileTheBackendIsSlow) {
    auto backend = std::make_shared<ScriptedBackend>("slow", std::chrono::milliseconds(5));
    const std::uint64_t one = payload_bytes(frame(0, 4096)); // ~100 KB per frame
    WriterLimits limits;
    limits.max_bytes = 6 * one;
    limits.max_frames = 1000;
    limits.batch_frames = 2;
    BufferedWriter w(backend, limits);
    for (int i = 0; i < 60; ++i)
        w.write(frame(i, 4096));
    w.flush();
    const WriterStats s = w.stats();
    EXPECT_LE(s.peak_queued_bytes, limits.max_bytes);
    EXPECT_GE(s.peak_queued_bytes, 2 * one);
    EXPECT_GT(s.blocked_seconds, 0.0) << "the producer must have waited for room";
    EXPECT_EQ(s.frames, 60u);
    EXPECT_EQ(ObjectIO(std::shared_ptr<ObjectReadBackend>(backend)).size(), 60u);
}

TEST(BufferedWriter, AFrameLargerThanTheByteLimitStillPassesAlone) {
    auto backend = memory_store("large");
    WriterLimits limits;
    limits.max_bytes = 1000;
    BufferedWriter w(backend, limits);
    w.write(frame(0, 1000)); // 24 KB
    w.write(frame(1, 1000));
    w.close();
    EXPECT_EQ(backend->size(), 2u);
}

TEST(BufferedWriter, ABackendErrorSurfacesOnTheProducersNextCall) {
    auto backend = std::make_shared<ScriptedBackend>("failing", std::chrono::milliseconds(0), 3);
    WriterLimits limits;
    limits.batch_frames = 1;
    BufferedWriter w(backend, limits);
    try {
        for (int i = 0; i < 1000; ++i)
            w.write(frame(i));
        w.flush();
        FAIL() << "the error was lost";
    } catch (const BackendError& e) {
        EXPECT_NE(std::string(e.what()).find("disk on fire"), std::string::npos) << e.what();
    }
    EXPECT_THROW(w.write(frame(0)), BackendError); // and again on every later call
    EXPECT_THROW(w.close(), BackendError);
    EXPECT_EQ(backend->size(), 2u); // the two batches before the failure
}

TEST(BufferedWriter, FlushWaitsUntilEverythingIsWritten) {
    auto backend = std::make_shared<ScriptedBackend>("flush", std::chrono::milliseconds(2));
    BufferedWriter w(backend);
    for (int i = 0; i < 50; ++i)
        w.write(frame(i));
    w.flush();
    EXPECT_EQ(backend->size(), 50u);
    w.write(frame(50));
    w.flush();
    EXPECT_EQ(backend->size(), 51u);
}

TEST(BufferedWriter, DestructionFlushesWhatIsQueued) {
    auto backend = std::make_shared<ScriptedBackend>("dtor", std::chrono::milliseconds(1));
    {
        BufferedWriter w(backend);
        for (int i = 0; i < 40; ++i)
            w.write(frame(i));
    }
    EXPECT_EQ(backend->size(), 40u);
}

TEST(SynchronousWriter, WritesInBatchesOnTheCallingThread) {
    auto backend = memory_store("sync");
    SynchronousWriter w(backend, 10);
    for (int i = 0; i < 25; ++i)
        w.write(frame(i));
    EXPECT_EQ(backend->size(), 20u); // two full batches, five pending
    w.flush();
    EXPECT_EQ(backend->size(), 25u);
    EXPECT_EQ(w.stats().batches, 3u);
}

// A child streams frames to LMDB through a BufferedWriter, flushing every 7 frames and logging the
// flushed count; the parent kills it at a seeded random moment. Every logged frame must be there.
TEST(BufferedWriter, FlushedFramesSurviveSigkill) {
    std::mt19937 rng(2026);
    for (int round = 0; round < 5; ++round) {
        TempDir dir;
        const std::string store = (dir / "run.lmdb").string();
        const std::string log = (dir / "flushed.log").string();
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            try {
                auto backend = open_object_backend(store);
                BufferedWriter w(std::dynamic_pointer_cast<ObjectReadWriteBackend>(backend));
                for (int i = 0;; ++i) {
                    w.write(frame(i, 64));
                    if (i % 7 == 6) {
                        w.flush();
                        std::ofstream(log + ".tmp", std::ios::trunc) << i + 1 << std::endl;
                        fs::rename(log + ".tmp", log); // atomic: the parent never sees half a count
                    }
                }
            } catch (...) {
                _exit(3);
            }
        }
        // Kill at a random moment after the first flush (a loaded machine may take a while to start).
        for (int waited = 0; !fs::exists(log) && waited < 10000; waited += 5)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 200));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped on its own (status " << status << ")";
        std::size_t flushed = 0;
        std::ifstream(log) >> flushed;
        ObjectIO io(store);
        EXPECT_GE(io.size(), flushed) << "round " << round;
        EXPECT_GT(flushed, 0u) << "round " << round << ": the writer never flushed";
        const auto values = io.column("info.i").to_list();
        for (std::size_t i = 0; i < values.size(); ++i)
            ASSERT_EQ(*values[i], Value(static_cast<int>(i)));
    }
}

// Records the CPUs the writer thread may run on when it writes.
class AffinityRecordingBackend : public MemoryBackend {
public:
    explicit AffinityRecordingBackend(const std::string& name)
        : MemoryBackend("memory://" + name, "default") {}
    std::size_t extend(const std::vector<MaybeRow>& rows) override {
        cpu_set_t set;
        CPU_ZERO(&set);
        if (sched_getaffinity(0, sizeof(set), &set) == 0) writer_cpus = CPU_COUNT(&set);
        return MemoryBackend::extend(rows);
    }
    std::atomic<int> writer_cpus{0};
};

// mpirun binds each rank to one core; the writer thread must not stay confined to it.
int writer_cpus_when_started_from_one_core(bool writer_on_any_cpu) {
    auto backend = std::make_shared<AffinityRecordingBackend>(writer_on_any_cpu ? "any" : "inherit");
    std::thread bound_rank([&] {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(sched_getcpu(), &one);
        if (sched_setaffinity(0, sizeof(one), &one) != 0) return; // leaves writer_cpus at 0
        WriterLimits limits;
        limits.writer_on_any_cpu = writer_on_any_cpu;
        BufferedWriter w(backend, limits);
        w.write(frame(0));
        w.close();
    });
    bound_rank.join();
    return backend->writer_cpus;
}

TEST(BufferedWriter, WriterThreadLeavesTheCoreItsRankIsBoundTo) {
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
    if (CPU_COUNT(&allowed) < 2) GTEST_SKIP() << "this process may use one CPU only";
    EXPECT_EQ(writer_cpus_when_started_from_one_core(false), 1);
    EXPECT_EQ(writer_cpus_when_started_from_one_core(true), CPU_COUNT(&allowed));
}

} // namespace
} // namespace asebytes::mpi
