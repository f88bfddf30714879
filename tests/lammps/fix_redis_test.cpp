// fix asebytes into Redis (redis://) on a redis-server this test program starts: under mpirun
// like any store (gathered to rank 0), several simulations appending to one group at once, and
// the server killed mid-run ending the run with a LAMMPS ERROR that names the server.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"
#include "redis_server.hpp"
#include "store_rows.hpp"

namespace asebytes::test {
namespace {

std::vector<std::optional<Row>> rows_of_uri(const std::string& uri) {
    std::vector<std::optional<Row>> out;
    for (const auto& row : ObjectIO(uri))
        out.push_back(row);
    return out;
}

TEST(FixRedis, OneTwoAndFourRanksWriteTheFramesTheyWriteToLmdb) {
    for (int np : {1, 2, 4}) {
        SCOPED_TRACE("np " + std::to_string(np));
        TempDir dir;
        const std::string uri = test_redis_server().fresh_uri();
        const auto r = run_lammps(dir.path(),
                                  cu_system() +
                                      "fix a all asebytes 10 frames.lmdb elements Cu velocities yes\n"
                                      "fix b all asebytes 10 " +
                                      uri + " elements Cu velocities yes\nrun 30\n",
                                  np);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        const auto lmdb = rows_of(dir / "frames.lmdb");
        ASSERT_EQ(lmdb.size(), 4u);
        EXPECT_EQ(rows_of_uri(uri), lmdb);
    }
}

// Three simulations of different sizes (so each row tells whose it is) append to one group at
// the same time; each one's rows are its own LMDB rows, in order, once.
TEST(FixRedis, SimulationsAppendingToOneGroupAtOnceEachKeepEveryFrameInOrder) {
    const std::string uri = test_redis_server().fresh_uri();
    const std::vector<int> cells{2, 3, 4};
    std::vector<std::unique_ptr<TempDir>> dirs;
    std::vector<std::future<LammpsResult>> runs;
    for (int c : cells) {
        dirs.push_back(std::make_unique<TempDir>());
        const std::string input = cu_system(c) +
                                  "fix a all asebytes 2 own.lmdb elements Cu\n"
                                  "fix b all asebytes 2 " +
                                  uri + " elements Cu append yes store_group fleet\nrun 200\n";
        runs.push_back(std::async(std::launch::async, [input, c, d = dirs.back().get()] {
            return run_lammps(d->path(), input, c == 3 ? 2 : 1);
        }));
    }
    for (auto& r : runs) {
        const auto result = r.get();
        ASSERT_EQ(result.exit_code, 0) << result.output;
    }
    OpenOptions fleet;
    fleet.group = "fleet";
    std::map<std::size_t, std::vector<std::optional<Row>>> by_size;
    for (const auto& row : ObjectIO(uri, fleet))
        by_size[row->at("arrays.numbers").as_array().size()].push_back(row);
    for (std::size_t k = 0; k < cells.size(); ++k) {
        const std::size_t natoms = 4u * cells[k] * cells[k] * cells[k];
        SCOPED_TRACE(std::to_string(natoms) + " atoms");
        const auto own = rows_of(dirs[k]->path() / "own.lmdb");
        ASSERT_EQ(own.size(), 101u);
        EXPECT_EQ(by_size[natoms], own);
    }
}

TEST(FixRedis, AServerKilledMidRunEndsTheRunWithAnErrorNamingIt) {
    RedisServer server;
    TempDir dir;
    const std::string uri = server.uri();
    auto run = std::async(std::launch::async, [&] {
        return run_lammps(dir.path(),
                          cu_system() + "fix a all asebytes 10 " + uri +
                              " elements Cu buffer 1 option retries 1 option retry_delay 0.05\n"
                              "run 200000\n",
                          2);
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline &&
           std::stoll(server.text({"LLEN", "default:sort_keys"})) < 2)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    server.kill();
    ASSERT_EQ(run.wait_for(std::chrono::seconds(120)), std::future_status::ready) << "LAMMPS hangs";
    const auto r = run.get();
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(r.has("ERROR")) << r.output;
    EXPECT_TRUE(r.has(uri)) << r.output;
}

} // namespace
} // namespace asebytes::test
