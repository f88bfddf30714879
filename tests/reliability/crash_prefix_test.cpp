// A process killed by SIGKILL leaves on disk a prefix of the writes it made: the kernel keeps every
// write that returned, and a large write the kill interrupts keeps its first pages.
// Python asebytes reads a sample of the HDF5 states too (killed_store_check.py).
// Random kills (crash_test.cpp) hit a few of those states; here one uninterrupted run records all
// of its file operations (write_journal.cpp, an LD_PRELOAD library), and the store that every
// prefix leaves is checked as after a kill: it reads, it holds every frame flushed before, and
// every frame it holds is what was written.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>

#include "asebytes/asebytes.hpp"
#include "child_process.hpp"
#include "cli_runner.hpp"
#include "crash_check.hpp"
#include "crash_frames.hpp"
#include "golden.hpp"
#include "python.hpp"
#include "write_journal.hpp"
#ifdef ASEBYTES_LMP
#include "lammps_run.hpp"
#endif

namespace asebytes::test {
namespace {

constexpr std::size_t kPage = 4096;

// frames_problem (crash_check.hpp), with a failed reading as its text. Before the first flush there
// is nothing to lose: a store that does not open (with an asebytes::Error) is fine.
std::string store_problem(const std::string& path, std::size_t flushed, const FrameCheck& check,
                          bool first_only = false) {
    try {
        return frames_problem(path, flushed, check, first_only);
    } catch (const Error& e) {
        return flushed == 0 ? "" : e.what();
    }
}

/// Runs `argv` in `dir` to its end, recording its operations on the files whose path contains
/// `name`, and its writes to flushed.log as marks.
std::vector<JournalEntry> run_journaled(const std::vector<std::string>& argv, const TempDir& dir,
                                        const std::string& name) {
    ChildProcess run(argv, dir.path(), dir / "output.txt",
                     {"LD_PRELOAD=" ASEBYTES_WRITE_JOURNAL_LIB,
                      "ASEBYTES_WRITE_JOURNAL=" + (dir / "journal").string(),
                      "ASEBYTES_WRITE_JOURNAL_MATCH=" + name, "ASEBYTES_WRITE_JOURNAL_MARK=flushed.log"});
    const int status = run.wait();
    if (status != 0) {
        ADD_FAILURE() << argv[0] << " ended with status " << status << ", see " << (dir / "output.txt");
        return {};
    }
    return read_journal((dir / "journal").string());
}

/// What the states a kill can leave show: how many there are, which fail and how.
struct PrefixReport {
    std::size_t whole = 0, torn = 0; ///< states after a whole write, inside a torn one
    std::vector<std::string> whole_failures, torn_failures;
    std::vector<std::string> torn_earlier_failures; ///< those that spoil frames of earlier flushes too
    std::size_t flushes = 0;

    static std::string list(const std::vector<std::string>& failures) {
        std::string shown;
        for (std::size_t i = 0; i < std::min<std::size_t>(failures.size(), 5); ++i)
            shown += "\n  " + failures[i];
        return shown;
    }
};

/// Replays `journal` into `file` (the store's file; `store` is what opens) and checks the store each
/// prefix leaves, and each write of more than a page torn at its page boundaries. A flush is done
/// when the writer has logged its count (a mark); a file written under a temporary name (HDF5)
/// is a store once renamed.
/// A state between two writes, once checked: the store's file, its place in the journal and the
/// frames flushed by then.
using StateVisit = std::function<void(const fs::path& file, std::size_t k, std::size_t flushed)>;

PrefixReport replay_every_prefix(const std::vector<JournalEntry>& journal, const fs::path& store,
                                 const fs::path& file, const FrameCheck& check,
                                 const StateVisit& visit = {}) {
    fs::create_directories(file.parent_path());
    const bool renamed_later = std::any_of(journal.begin(), journal.end(),
                                           [](const JournalEntry& e) { return e.op == JournalOp::Rename; });
    PrefixReport report;
    std::string bytes, log;
    bool named = !renamed_later;
    std::size_t flushed = 0, flushed_before = 0; // after the last logged flush, and the one before
    const auto check_state = [&](const std::string& state, std::size_t k, bool torn) {
        std::ofstream(file, std::ios::binary | std::ios::trunc)
            .write(state.data(), static_cast<std::streamsize>(state.size()));
        ++(torn ? report.torn : report.whole);
        const std::string problem = store_problem(store.string(), flushed, check);
        if (problem.empty()) return;
        const std::string where = "killed " + std::string(torn ? "in the middle of" : "after") +
                                  " operation " + std::to_string(k + 1) + " of " +
                                  std::to_string(journal.size()) + " (" + std::to_string(flushed) +
                                  " frames flushed): ";
        (torn ? report.torn_failures : report.whole_failures).push_back(where + problem);
        const std::string earlier = torn ? store_problem(store.string(), flushed_before, check, true) : "";
        if (!earlier.empty())
            report.torn_earlier_failures.push_back(where + "frames of earlier flushes: " + earlier);
    };
    for (std::size_t k = 0; k < journal.size(); ++k) {
        const JournalEntry& e = journal[k];
        // A kill tears a write at a page boundary (the kernel copies page by page and stops at a
        // fatal signal): the state at each boundary, up to 16 pages in.
        for (std::uint64_t end = (e.a / kPage + 1) * kPage;
             named && e.op == JournalOp::Write && end < e.a + e.b && end <= e.a + 16 * kPage; end += kPage) {
            JournalEntry part = e;
            part.b = end - e.a;
            part.data.resize(part.b);
            std::string cut = bytes;
            part.apply(cut);
            check_state(cut, k, true);
        }
        e.apply(bytes);
        if (e.op == JournalOp::Mark) {
            log += e.data;
            const auto end = log.rfind('\n'); // the newest whole line holds the count
            const auto start =
                end == 0 || end == std::string::npos ? std::string::npos : log.rfind('\n', end - 1);
            if (e.data.find('\n') != std::string::npos) {
                flushed_before = flushed;
                flushed = std::stoul(log.substr(start == std::string::npos ? 0 : start + 1));
                report.flushes = static_cast<std::size_t>(std::count(log.begin(), log.end(), '\n'));
            }
            continue;
        }
        if (e.op == JournalOp::Rename) named = true;
        if (named && e.op != JournalOp::Sync) {
            check_state(bytes, k, false);
            if (visit) visit(file, k, flushed);
        }
    }
    return report;
}

// Every state between two writes must hold every flushed frame. A torn write is the one way to
// lose them; LMDB must survive even that (its commit ends in a single-page meta write). HDF5
// rewrites its chunk index in place and cannot (README, Reliability): a torn state may spoil the
// frames in the chunks the last flush wrote to (some of them may be of earlier flushes, sharing a
// chunk). Those states are counted and shown; they must not crash the reader (that ends the test).
void expect_prefixes_hold(const PrefixReport& report, const std::string& name, std::size_t flushes,
                          bool torn_writes_lose_nothing) {
    EXPECT_EQ(report.flushes, flushes);
    EXPECT_GT(report.whole, 4 * flushes) << "the journal holds too few writes to test anything";
    EXPECT_TRUE(report.whole_failures.empty())
        << report.whole_failures.size() << " of " << report.whole
        << " states between two writes fail:" << PrefixReport::list(report.whole_failures);
    if (torn_writes_lose_nothing) {
        EXPECT_TRUE(report.torn_failures.empty())
            << report.torn_failures.size() << " of " << report.torn
            << " torn writes fail:" << PrefixReport::list(report.torn_failures);
    }
    std::cout << name << ": " << report.whole << " states between two writes; " << report.torn_failures.size()
              << " of " << report.torn << " torn writes spoil flushed frames, "
              << report.torn_earlier_failures.size() << " of them frames of flushes before the last"
              << PrefixReport::list(report.torn_failures) << PrefixReport::list(report.torn_earlier_failures)
              << "\n";
    ::testing::Test::RecordProperty("torn_writes_losing_frames", std::to_string(report.torn_failures.size()) +
                                                                     "/" + std::to_string(report.torn));
}

// `python_every` > 0: every python_every-th state between two writes is also read by Python
// asebytes (HDF5 stores: a single file), which must find the same flushed frames.
void check_crash_writer(const std::string& name, const std::string& file_in_store,
                        const std::vector<std::string>& options, bool torn_writes_lose_nothing,
                        std::size_t python_every = 0) {
    TempDir dir;
    std::vector<std::string> argv{ASEBYTES_CRASH_WRITER, (dir / name).string(), "flushed.log", "4", "48"};
    argv.insert(argv.end(), options.begin(), options.end());
    const auto journal = run_journaled(argv, dir, name);
    const fs::path store = dir / "prefix" / name;
    std::vector<std::string> for_python; // STATE_FILE=FLUSHED
    fs::create_directories(dir / "for-python");
    const StateVisit keep_for_python = [&](const fs::path& file, std::size_t k, std::size_t flushed) {
        if (python_every == 0 || k % python_every != 0) return;
        const fs::path copy = dir / "for-python" / (std::to_string(k) + "-" + name);
        fs::copy_file(file, copy);
        for_python.push_back(copy.string() + "=" + std::to_string(flushed));
    };
    const auto report =
        replay_every_prefix(journal, store, file_in_store.empty() ? store : store / file_in_store,
                            crash_frame_mismatch, keep_for_python);
    expect_prefixes_hold(report, name, 12, torn_writes_lose_nothing);
    if (python_every > 0) {
        // As a user would: `asebytes verify --repair` first (Python asebytes reads whole index
        // datasets, which a kill can leave longer than the committed frames).
        ASSERT_GT(for_python.size(), 20u);
        for (const auto& state : for_python) {
            const std::string file = state.substr(0, state.rfind('='));
            const CliResult repair = run_cli({"verify", "--repair", file});
            ASSERT_EQ(repair.exit_code, 0)
                << "asebytes verify --repair " << file << ": " << repair.out << repair.err;
        }
        ASSERT_PYTHON_OK(
            run_python_script(fs::path(ASEBYTES_RELIABILITY_DIR) / "killed_store_check.py", for_python));
    }
}

TEST(CrashPrefix, LmdbReadsAfterEveryPrefixOfItsWritesTornOrNot) {
    check_crash_writer("crash.lmdb", "default/data.mdb", {}, true);
}

TEST(CrashPrefix, UncompressedH5mdReadsAfterEveryPrefixOfItsWrites) {
    check_crash_writer("crash.h5md", "", {"compression=none"}, false, 10);
}

TEST(CrashPrefix, UncompressedColumnarH5ReadsAfterEveryPrefixOfItsWrites) {
    check_crash_writer("crash.h5", "", {"compression=none"}, false, 10);
}

#ifdef ASEBYTES_LMP
// LAMMPS's writer thread and its batches, as in CrashLammps (crash_test.cpp).
TEST(CrashPrefix, LammpsUncompressedH5mdReadsAfterEveryPrefixOfItsWrites) {
    TempDir dir;
    std::ofstream(dir / "in.lmp")
        << cu_system() + "fix f all asebytes 5 crash.h5md elements Cu flush 10 flushlog flushed.log"
                         " option compression none\nrun 300\n";
    const auto journal =
        run_journaled({ASEBYTES_LMP, "-in", "in.lmp", "-log", "log.lammps"}, dir, "crash.h5md");
    const auto reference = ObjectIO((dir / "crash.h5md").string()).rows().to_list();
    ASSERT_EQ(reference.size(), 61u);
    const FrameCheck same_as_reference = [&](std::size_t i, const Row& row) -> std::string {
        if (i >= reference.size()) return "a frame beyond the finished run's";
        return row == *reference[i] ? "" : "differs from the finished run";
    };
    const fs::path store = dir / "prefix" / "crash.h5md";
    expect_prefixes_hold(replay_every_prefix(journal, store, store, same_as_reference), "LAMMPS crash.h5md",
                         31, false);
}
#endif

} // namespace
} // namespace asebytes::test
