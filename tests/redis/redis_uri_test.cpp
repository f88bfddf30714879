// redis:// URIs read as Python asebytes reads them (docs/formats/redis.md), and malformed ones
// refused with the part that is wrong.
#include <gtest/gtest.h>

#include "asebytes/error.hpp"
#include "backends/redis_uri.hpp"
#include "expect_error.hpp"

namespace asebytes::test {
namespace {

TEST(RedisUri, DefaultsAreLocalhostPort6379AndDatabase0) {
    const auto a = parse_redis_uri("redis://");
    EXPECT_EQ(a.host, "localhost");
    EXPECT_EQ(a.port, 6379);
    EXPECT_EQ(a.db, 0);
    EXPECT_TRUE(a.user.empty() && a.password.empty());
}

TEST(RedisUri, HostPortAndDatabaseFromThePath) {
    const auto a = parse_redis_uri("redis://db.example.org:6380/3");
    EXPECT_EQ(a.host, "db.example.org");
    EXPECT_EQ(a.port, 6380);
    EXPECT_EQ(a.db, 3);
}

// Python asebytes keeps only the first path segment: its own tests write redis://h:6379/0/name.
TEST(RedisUri, OnlyTheFirstPathSegmentIsTheDatabase) {
    EXPECT_EQ(parse_redis_uri("redis://h:6379/0/mygroup").db, 0);
    EXPECT_EQ(parse_redis_uri("redis://h:6379/7/").db, 7);
}

TEST(RedisUri, TheDbQueryArgumentWinsOverThePath) { EXPECT_EQ(parse_redis_uri("redis://h/2?db=5").db, 5); }

TEST(RedisUri, CredentialsArePercentDecoded) {
    const auto a = parse_redis_uri("redis://alice:p%40ss%3Aw@h:1/0");
    EXPECT_EQ(a.user, "alice");
    EXPECT_EQ(a.password, "p@ss:w");
    EXPECT_EQ(a.host, "h");
    const auto b = parse_redis_uri("redis://:secret@h");
    EXPECT_EQ(b.user, "");
    EXPECT_EQ(b.password, "secret");
}

TEST(RedisUri, Ipv6HostsInBrackets) {
    const auto a = parse_redis_uri("redis://[::1]:6390/1");
    EXPECT_EQ(a.host, "::1");
    EXPECT_EQ(a.port, 6390);
    EXPECT_EQ(a.display(), "redis://[::1]:6390/1");
}

TEST(RedisUri, OtherQueryArgumentsAreKeptAsOptions) {
    const auto a = parse_redis_uri("redis://h?socket_timeout=2.5&retries=1");
    EXPECT_EQ(a.query, (std::map<std::string, std::string>{{"retries", "1"}, {"socket_timeout", "2.5"}}));
}

TEST(RedisUri, WhatMessagesShowNeverHoldsThePassword) {
    const std::string shown = parse_redis_uri("redis://alice:hunter2@h:7/4").display();
    EXPECT_EQ(shown, "redis://h:7/4");
}

TEST(RedisUri, MalformedUrisAreErrorsNamingTheWrongPart) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"redis://h:abc/0", "port 'abc'"},          {"redis://h:70000", "port '70000'"},
        {"redis://h/zero", "database 'zero'"},      {"redis://h?db=-1", "database '-1'"},
        {"rediss://h", "must start with redis://"}, {"redis://u:p%zz@h", "'%'"},
        {"redis://[::1:6379", "'[' without ']'"},   {"redis://h?verbose", "'verbose' is not name=value"},
    };
    for (const auto& c : cases) {
        const std::string& uri = c.first;
        SCOPED_TRACE(uri);
        expect_error<Error>([&] { parse_redis_uri(uri); }, {uri, c.second});
    }
}

} // namespace
} // namespace asebytes::test
