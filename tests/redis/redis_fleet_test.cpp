// Many writers, one group: several processes append to one Redis group at once (as a fleet of
// simulations does); each gets its own rows, none lost or repeated, each writer's order kept, and
// a writer killed with SIGKILL loses at most the rows the server had not acknowledged.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "asebytes/asebytes.hpp"
#include "child_process.hpp"
#include "fleet_rows.hpp"
#include "redis_server.hpp"

namespace asebytes::test {
namespace {

// The last number a writer's acknowledgement log holds (0 when it holds none).
int last_acknowledged(const fs::path& log) {
    std::ifstream in(log);
    int n = 0, last = 0;
    while (in >> n)
        last = n;
    return last;
}

TEST(RedisFleet, FourWriterProcessesAppendToOneGroupAndAKilledOneLosesOnlyUnacknowledgedRows) {
    RedisServer server;
    TempDir dir;
    const std::string uri = server.uri(0);
    constexpr int kWriters = 4, kFrames = 4000, kBatch = 3;
    std::vector<std::unique_ptr<ChildProcess>> writers;
    for (int w = 0; w < kWriters; ++w) {
        const std::string log = (dir / ("ack-" + std::to_string(w))).string();
        writers.push_back(std::make_unique<ChildProcess>(
            std::vector<std::string>{ASEBYTES_FLEET_WRITER, uri, std::to_string(w), std::to_string(kFrames),
                                     std::to_string(kBatch), log},
            dir.path(), dir / ("out-" + std::to_string(w))));
    }
    // Writer 0 dies halfway through, mid-stream.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (last_acknowledged(dir / "ack-0") < kFrames / 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ASSERT_TRUE(writers[0]->kill()) << "writer 0 ended before it could be killed";
    for (int w = 1; w < kWriters; ++w)
        EXPECT_EQ(writers[w]->wait(), 0) << "writer " << w;

    const auto counts = fleet_counts(ObjectIO(uri));
    for (int w = 1; w < kWriters; ++w)
        EXPECT_EQ(counts.at(w), kFrames) << "writer " << w;
    EXPECT_GE(counts.at(0), last_acknowledged(dir / "ack-0"))
        << "acknowledged rows of the killed writer lost";
    EXPECT_LT(counts.at(0), kFrames);
    std::size_t total = 0;
    for (const auto& [w, n] : counts)
        total += static_cast<std::size_t>(n);
    EXPECT_EQ(ObjectIO(uri).size(), total);
    // The writers really wrote at the same time: their batches interleave.
    int switches = 0;
    std::optional<Value> previous;
    for (const auto& writer : ObjectIO(uri).column("writer").to_list()) {
        switches += previous && *previous != *writer;
        previous = writer;
    }
    EXPECT_GT(switches, 10 * kWriters) << "the writers did not overlap";
}

} // namespace
} // namespace asebytes::test
