// Server faults under a writer: the server killed mid-stream is an error naming the server after
// the retries, not a hang; a server that persists keeps every acknowledged row across a restart;
// a restart within the retries is survived without a row lost or written twice; and a server that
// comes back empty is an error, not a silent loss.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "asebytes/asebytes.hpp"
#include "expect_error.hpp"
#include "fleet_rows.hpp"
#include "redis_server.hpp"

namespace asebytes::test {
namespace {

OpenOptions retrying(int retries, double delay) {
    OpenOptions o;
    o.options = {{"retries", std::to_string(retries)}, {"retry_delay", std::to_string(delay)}};
    return o;
}

std::vector<Row> batch(int first, int count) {
    std::vector<Row> rows;
    for (int i = first; i < first + count; ++i)
        rows.push_back(fleet_row(0, i));
    return rows;
}

TEST(RedisFaults, AServerKilledMidStreamIsAnErrorNamingItAndAcknowledgedRowsSurviveItsRestart) {
    RedisServer server(RedisServer::kPersistent);
    ObjectIO io(server.uri(), retrying(2, 0.05));
    int acknowledged = 0;
    for (; acknowledged < 50; acknowledged += 5)
        io.extend(batch(acknowledged, 5));
    server.kill();
    const auto start = std::chrono::steady_clock::now();
    expect_error<BackendError>([&] { io.extend(batch(acknowledged, 5)); },
                               {server.uri(), "gave up after 3 attempts"});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20)) << "no hang";
    server.restart();
    EXPECT_EQ(fleet_counts(ObjectIO(server.uri())).at(0), acknowledged);
}

TEST(RedisFaults, ARestartWithinTheRetriesLosesAndRepeatsNothing) {
    RedisServer server(RedisServer::kPersistent);
    ObjectIO io(server.uri(), retrying(10, 0.05));
    std::atomic<bool> restarted{false};
    std::thread restarter([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        server.kill();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        server.restart();
        restarted = true;
    });
    int rows = 0;
    try {
        for (; !restarted || rows < 300; rows += 3) // writing all along, and on after the restart
            io.extend(batch(rows, 3));
    } catch (const Error& e) {
        ADD_FAILURE() << "after " << rows << " rows: " << e.what();
    }
    restarter.join();
    EXPECT_EQ(fleet_counts(ObjectIO(server.uri())).at(0), rows);
    EXPECT_EQ(io.size(), static_cast<std::size_t>(rows));
}

TEST(RedisFaults, AServerThatComesBackEmptyIsAnErrorNotASilentLoss) {
    RedisServer server; // no persistence
    ObjectIO io(server.uri(), retrying(10, 0.05));
    io.extend(batch(0, 5));
    server.restart();
    expect_error<BackendError>([&] { io.extend(batch(5, 5)); }, {server.uri(), "lost rows"});
}

// Redis's "disk full": a server at its maxmemory refuses writes.
TEST(RedisFaults, AFullServerRefusesTheAppendWithAnErrorAndKeepsEarlierRows) {
    RedisServer server({"--maxmemory-policy", "noeviction"});
    const std::string info = server.text({"INFO", "memory"});
    const auto used = std::stoll(info.substr(info.find("used_memory:") + 12));
    server.text({"CONFIG", "SET", "maxmemory", std::to_string(used + (2 << 20))}); // room for ~2 MB more
    ObjectIO io(server.uri());
    int rows = 0;
    try {
        for (; rows < 100000; rows += 10)
            io.extend(batch(rows, 10));
        ADD_FAILURE() << "the server took " << rows << " rows";
    } catch (const BackendError& e) {
        EXPECT_NE(std::string(e.what()).find(server.uri()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("OOM"), std::string::npos) << e.what();
    }
    EXPECT_GT(rows, 0);
    EXPECT_EQ(fleet_counts(ObjectIO(server.uri())).at(0), rows);
}

} // namespace
} // namespace asebytes::test
