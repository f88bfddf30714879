// A full disk, simulated with a file-size limit (RLIMIT_FSIZE) in a forked child that ignores
// SIGXFSZ, so that writes past the limit fail with EFBIG as on a full filesystem: the writer gets
// an asebytes::Error naming the store, the frames flushed before it are intact, and the store
// still opens and takes more frames once there is room again.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "asebytes/asebytes.hpp"
#include "crash_check.hpp"
#include "crash_frames.hpp"

namespace asebytes::test {
namespace {

struct FullDisk {
    std::size_t flushed = 0; // the store's length after the last flush that returned
    std::string error;       // what the writer caught ("" if it never failed)
};

// In a child limited to `limit` bytes per file: batches of 32 frames, each flushed, until a write
// fails. The child reports through a small file (well under the limit).
FullDisk write_until_full(const std::string& store, const OpenOptions& options, rlim_t limit,
                          const fs::path& report) {
    const pid_t child = fork();
    if (child == 0) {
        signal(SIGXFSZ, SIG_IGN);
        const rlimit cap{limit, limit};
        setrlimit(RLIMIT_FSIZE, &cap);
        std::size_t flushed = 0;
        std::string error = "no error";
        try {
            ObjectIO io(store, options);
            for (std::size_t next = io.size();;) {
                std::vector<Row> batch;
                for (int k = 0; k < 32; ++k)
                    batch.push_back(crash_frame(next++));
                io.extend(batch);
                io.flush();
                flushed = io.size();
            }
        } catch (const Error& e) {
            error = e.what();
        } catch (const std::exception& e) {
            error = std::string("not an asebytes::Error: ") + e.what();
        }
        std::ofstream(report) << flushed << "\n" << error << std::endl;
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "the writer crashed (status " << status << ")";
    FullDisk out;
    std::ifstream in(report);
    in >> out.flushed;
    in.ignore();
    std::getline(in, out.error, '\0'); // HDF5's messages span lines
    return out;
}

void expect_clean_failure_on_full_disk(const std::string& name, rlim_t limit,
                                       const OpenOptions& options = {}) {
    TempDir dir;
    const std::string store = (dir / name).string();
    const FullDisk full = write_until_full(store, options, limit, dir / "report.txt");
    EXPECT_GT(full.flushed, 0u) << full.error;
    EXPECT_NE(full.error.find(store), std::string::npos)
        << "the error does not name the store: " << full.error;
    EXPECT_TRUE(full.error.find("File too large") != std::string::npos ||
                full.error.find("disk full") != std::string::npos)
        << "the error hides the cause: " << full.error;
    EXPECT_EQ(full.error.find("not an asebytes::Error"), std::string::npos) << full.error;
    expect_store_survived(store, full.flushed, crash_frame_mismatch);
    ObjectIO io(store, options); // room again: the store takes more frames
    const std::size_t n = io.size();
    io.extend({crash_frame(n)});
    io.flush();
    EXPECT_EQ(crash_frame_mismatch(n, *ObjectIO(store).get(static_cast<std::int64_t>(n))), "");
}

TEST(DiskFull, LmdbReportsTheStoreAndKeepsEveryFlushedFrame) {
    expect_clean_failure_on_full_disk("full.lmdb", 512 * 1024);
}

// Uncompressed, as the crash guarantee of HDF5 stores (README, Reliability).
TEST(DiskFull, UncompressedH5mdReportsTheStoreAndKeepsEveryFlushedFrame) {
    OpenOptions uncompressed;
    uncompressed.options["compression"] = "none";
    expect_clean_failure_on_full_disk("full.h5md", 2 << 20, uncompressed); // a flush reserves 1 MiB
}

} // namespace
} // namespace asebytes::test
