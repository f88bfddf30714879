// The asebytes tool on redis:// stores (a redis-server this test program starts): convert in and
// out, info, head, verify and extract, as on files.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "cli_runner.hpp"
#include "redis_server.hpp"

namespace asebytes::test {
namespace {

std::vector<std::optional<Frame>> frames_in(const std::string& store, const std::string& group) {
    OpenOptions o;
    o.group = group;
    std::vector<std::optional<Frame>> out;
    for (const auto& f : AtomsIO(store, o))
        out.push_back(f);
    return out;
}

TEST(CliRedis, ConvertInfoHeadVerifyAndExtractWorkOnARedisStore) {
    const TempDir dir;
    const std::string uri = test_redis_server().fresh_uri();
    const std::string golden = copy_golden("groups.lmdb", dir).string();
    EXPECT_NE(cli_output({"convert", golden, uri}).find("converted"), std::string::npos);
    const Json info = cli_info_json({uri});
    EXPECT_EQ(info["backend"], "redis");
    EXPECT_EQ(info["groups"].size(), 2u) << info.dump();

    const auto frames = frames_in(golden, "train");
    EXPECT_EQ(frames_in(uri, "train"), frames);

    EXPECT_NE(cli_output({"head", uri, "--group", "train", "-n", "2"}).find("(2 of "), std::string::npos);
    EXPECT_NE(cli_output({"verify", uri}).find(": OK"), std::string::npos);

    const std::string back = (dir / "back.h5").string();
    cli_output({"convert", uri, back});
    EXPECT_EQ(frames_in(back, "train"), frames);

    cli_output({"extract", uri, "--group", "train", "--split", "a=0.5,b=0.5", "--seed", "1", "--format",
                "lmdb", "-o", (dir / "parts").string()});
    EXPECT_EQ(AtomsIO((dir / "parts" / "a.lmdb").string()).size() +
                  AtomsIO((dir / "parts" / "b.lmdb").string()).size(),
              frames.size());
}

TEST(CliRedis, AServerThatIsNotThereIsAnErrorNamingIt) {
    const CliResult r = run_cli({"info", "redis://127.0.0.1:1/0"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot connect to the Redis server redis://127.0.0.1:1/0"), std::string::npos)
        << r.err;
}

} // namespace
} // namespace asebytes::test
