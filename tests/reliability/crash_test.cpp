// SIGKILL at 20 seeded random moments while frames stream into a store: after every
// kill the store opens, `asebytes verify` passes, every frame logged as flushed is there and every
// frame holds what was written. Writers: the plain crash_writer (which resumes the killed store,
// so each store is killed 20 times) and LAMMPS with `fix asebytes ... flushlog`.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "asebytes/asebytes.hpp"
#include "child_process.hpp"
#include "crash_check.hpp"
#include "crash_frames.hpp"
#ifdef ASEBYTES_LMP
#include "lammps_run.hpp"
#endif

namespace asebytes::test {
namespace {

constexpr int kKills = 20;
constexpr unsigned kSeed = 20261125;

using Seconds = std::chrono::duration<double>;

void kill_crash_writer_repeatedly(const std::string& name, const std::vector<std::string>& options = {}) {
    TempDir dir;
    const std::string store = (dir / name).string();
    const fs::path log = dir / "flushed.log";
    KillMoments moments(kSeed, 0.02, 0.25);
    for (int k = 0; k < kKills; ++k) {
        SCOPED_TRACE("kill " + std::to_string(k) + " of " + store);
        {
            std::vector<std::string> argv{ASEBYTES_CRASH_WRITER, store, log.string(), "8", "1000000000"};
            argv.insert(argv.end(), options.begin(), options.end());
            ChildProcess writer(argv, dir.path(), dir / "writer.txt");
            std::this_thread::sleep_for(Seconds(moments.next()));
            EXPECT_TRUE(writer.kill()) << "the writer stopped before the kill; see " << (dir / "writer.txt");
        }
        const std::size_t flushed = last_logged_flush(log);
        if (flushed == 0 && list_groups(store).empty()) continue; // killed before its first commit
        expect_store_survived(store, flushed, crash_frame_mismatch);
        if (::testing::Test::HasFatalFailure()) return;
    }
    EXPECT_GT(last_logged_flush(log), 0u) << "no kill came after a flush";
}

TEST(CrashWriter, LmdbKeepsEveryFlushedFrameThroughTwentyKills) {
    kill_crash_writer_repeatedly("crash.lmdb");
}

// HDF5 rewrites a compressed chunk elsewhere whenever it grows and may reuse the space it
// leaves, so a kill can leave the last flush's index pointing at other bytes: the guarantee
// holds for uncompressed stores (README, Reliability).
TEST(CrashWriter, UncompressedH5mdKeepsEveryFlushedFrameThroughTwentyKills) {
    kill_crash_writer_repeatedly("crash.h5md", {"compression=none"});
}

// Zarr writes each chunk file under a temporary name and renames it, and the group's zarr.json
// (n_frames) after the chunks: compressed (the default) too.
TEST(CrashWriter, ZarrKeepsEveryFlushedFrameThroughTwentyKills) {
    kill_crash_writer_repeatedly("crash.zarr");
}

TEST(CrashWriter, PaddedZarrKeepsEveryFlushedFrameThroughTwentyKills) {
    kill_crash_writer_repeatedly("crash.zarrp");
}

#ifdef ASEBYTES_LMP
// LAMMPS on one process is deterministic: an uninterrupted run of the same input gives the frames
// every killed run must hold.
void kill_lammps_repeatedly(const std::string& name, const std::string& keywords = "") {
    const std::string input = cu_system() + "fix f all asebytes 5 " + name +
                              " elements Cu flush 10 flushlog flushed.log" + keywords + "\nrun 600\n";
    TempDir reference_dir;
    const auto start = std::chrono::steady_clock::now();
    const auto run = run_lammps(reference_dir.path(), input);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const double seconds = Seconds(std::chrono::steady_clock::now() - start).count();
    const auto reference = ObjectIO((reference_dir / name).string()).rows().to_list();
    ASSERT_EQ(reference.size(), 121u);
    const FrameCheck same_as_reference = [&](std::size_t i, const Row& row) -> std::string {
        if (i >= reference.size()) return "a frame beyond the uninterrupted run's";
        return row == *reference[i] ? "" : "differs from the uninterrupted run";
    };
    KillMoments moments(kSeed, 0.1 * seconds, 0.9 * seconds);
    for (int k = 0; k < kKills; ++k) {
        SCOPED_TRACE("kill " + std::to_string(k) + " of LAMMPS writing " + name);
        TempDir dir;
        std::ofstream(dir / "in.lmp") << input;
        {
            ChildProcess lammps({ASEBYTES_LMP, "-in", "in.lmp", "-log", "log.lammps"}, dir.path(),
                                dir / "screen.txt");
            std::this_thread::sleep_for(Seconds(moments.next()));
            lammps.kill(); // a run that ended first must hold every frame too
        }
        const std::size_t flushed = last_logged_flush(dir / "flushed.log");
        // Killed before the store's first commit: nothing was promised, and it has no group yet.
        if (flushed == 0 && list_groups((dir / name).string()).empty()) continue;
        expect_store_survived((dir / name).string(), flushed, same_as_reference);
        if (::testing::Test::HasFatalFailure()) return;
    }
}

TEST(CrashLammps, LmdbKeepsEveryFlushedFrameThroughTwentyKills) { kill_lammps_repeatedly("crash.lmdb"); }

// H5MD written by LAMMPS: CrashPrefix.LammpsUncompressedH5md (crash_prefix_test.cpp) checks every
// state a kill can leave. A random kill there can tear one of HDF5's larger metadata writes, which
// can lose the last flush (README, Reliability), so it is not left to chance here.
#endif

} // namespace
} // namespace asebytes::test
