// The map grows on demand; readers in another process see a consistent prefix while one writes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "asebytes/asebytes.hpp"
#include "asebytes/backends/lmdb.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

Row payload_row(int i, std::size_t doubles) {
    std::vector<double> data(doubles, static_cast<double>(i));
    return Row{{"i", Value(i)}, {"arrays.data", NdArray::from<double>(data)}};
}

TEST(LmdbGrowth, WritesFarPastTheInitialMapSize) {
    TempDir dir;
    const auto path = (dir / "grow.lmdb").string();
    OpenOptions o;
    o.options["map_size"] = std::to_string(256 * 1024); // 256 KiB to start
    ObjectIO io(path, o);
    // 40 batches of 25 rows x 8 KiB = 8 MiB, and one batch (4 MiB) larger than the map itself.
    for (int b = 0; b < 40; ++b) {
        std::vector<Row> batch;
        for (int i = 0; i < 25; ++i)
            batch.push_back(payload_row(b * 25 + i, 1024));
        io.extend(batch);
    }
    std::vector<Row> big;
    for (int i = 0; i < 8; ++i)
        big.push_back(payload_row(1000 + i, 64 * 1024));
    io.extend(big);
    ASSERT_EQ(io.size(), 1008u);
    auto blob = std::dynamic_pointer_cast<LmdbObjectBackend>(io.backend_ptr());
    ASSERT_TRUE(blob);
    const auto& lmdb = dynamic_cast<LmdbBlobBackend&>(*blob->inner());
    EXPECT_GE(lmdb.map_size(), std::size_t{8} << 20);
    EXPECT_EQ(io.get(999)->at("i"), Value(999));
    EXPECT_EQ(io.get(-1)->at("arrays.data").as_array().size(), 64u * 1024);
    ObjectIO reopened(path);
    EXPECT_EQ(reopened.size(), 1008u);
}

TEST(LmdbConcurrency, AReaderInAnotherProcessSeesOnlyWholeCommittedBatches) {
    TempDir dir;
    const auto path = (dir / "live.lmdb").string();
    ObjectIO(path).extend({}); // creates the store directory before both sides open it
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // Writer: 60 batches of 5 rows; every row of a batch carries the batch's size.
        int status = 0;
        try {
            ObjectIO io(path);
            for (int b = 0; b < 60; ++b) {
                std::vector<Row> batch;
                for (int i = 0; i < 5; ++i)
                    batch.push_back(Row{{"i", Value(b * 5 + i)}, {"n", Value((b + 1) * 5)}});
                io.extend(batch);
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        } catch (...) {
            status = 1;
        }
        _exit(status);
    }
    OpenOptions ro;
    ro.readonly = true;
    ObjectIO reader(path, ro);
    std::size_t last = 0;
    int observations = 0;
    for (;;) {
        const auto rows = reader.rows().to_list();
        EXPECT_EQ(rows.size() % 5, 0u) << "a torn batch";
        EXPECT_GE(rows.size(), last);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            ASSERT_TRUE(rows[i].has_value());
            ASSERT_EQ(rows[i]->at("i"), Value(static_cast<int>(i)));
        }
        last = rows.size();
        ++observations;
        int status = 0;
        if (waitpid(child, &status, WNOHANG) == child) {
            EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
            break;
        }
    }
    EXPECT_EQ(reader.size(), 300u);
    EXPECT_GT(observations, 1);
}

TEST(LmdbConcurrency, TwoStoresOnOneDirectoryInOneProcessShareTheEnvironment) {
    // LMDB forbids opening an environment twice in a process; backends on one directory share it.
    TempDir dir;
    const auto path = (dir / "shared.lmdb").string();
    OpenOptions small;
    small.options["map_size"] = "65536";
    auto writer = std::make_unique<ObjectIO>(path, small);
    OpenOptions ro;
    ro.readonly = true;
    writer->extend({Row{{"i", Value(0)}}});
    ObjectIO reader(path, ro);
    writer->extend({Row{{"i", Value(1)}}});
    EXPECT_EQ(reader.size(), 2u);
    ObjectIO second_writer(path);
    std::vector<Row> big(20, Row{{"data", NdArray::from<double>(std::vector<double>(4096, 1.0))}});
    second_writer.extend(big); // 640 KiB: the shared 64 KiB map grows while the reader is open
    writer.reset();            // closing one backend leaves the others working
    EXPECT_EQ(reader.size(), 22u);
    EXPECT_EQ(reader.get(1)->at("i"), Value(1));
    EXPECT_THROW(reader.extend({Row{}}), ReadOnlyError);
}

} // namespace
} // namespace asebytes::test
