// Bad input for the Redis backend: servers that refuse, do not answer or are not Redis, wrong
// credentials, keys of another program under a group's names, corrupt values, unknown options.
// Every one is an asebytes::Error naming the server (and group), never a crash or a hang.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "expect_error.hpp"
#include "foreign_listener.hpp"
#include "redis_server.hpp"

namespace asebytes::test {
namespace {

OpenOptions with(std::map<std::string, std::string> options, std::string group = "default",
                 bool readonly = false) {
    OpenOptions o;
    o.group = std::move(group);
    o.options = std::move(options);
    o.readonly = readonly;
    return o;
}

std::string local(int port, int db = 0) {
    return "redis://127.0.0.1:" + std::to_string(port) + "/" + std::to_string(db);
}

TEST(RedisErrors, NobodyListeningIsAnErrorNamingTheServerAfterItsRetries) {
    const std::string uri = local(unused_port());
    expect_error<BackendError>(
        [&] {
            ObjectIO(uri, with({{"retries", "2"}, {"retry_delay", "0.01"}}));
        },
        {"cannot connect to the Redis server " + uri, "refused", "after 3 attempts"});
}

TEST(RedisErrors, AServerThatIsNotRedisIsAnErrorSayingSo) {
    ForeignListener http("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    expect_error<BackendError>(
        [&] {
            ObjectIO(local(http.port()), with({{"retries", "0"}}));
        },
        {local(http.port()), "not a Redis reply", "is it a Redis server?"});
}

TEST(RedisErrors, APeerThatNeverAnswersIsAnErrorAfterTheConnectTimeout) {
    ForeignListener silent("");
    expect_error<BackendError>(
        [&] {
            ObjectIO(local(silent.port()), with({{"socket_connect_timeout", "0.3"}, {"retries", "0"}}));
        },
        {local(silent.port()), "did not answer within 0.3 s", "is it a Redis server?"});
}

TEST(RedisErrors, MalformedUrisAndUnknownOptionsAreErrors) {
    expect_error<Error>([] { ObjectIO("redis://127.0.0.1:notaport/0"); }, {"port 'notaport'"});
    expect_error<Error>([] { ObjectIO("redis://127.0.0.1:1/x"); }, {"database 'x'"});
    const std::string uri = test_redis_server().fresh_uri();
    expect_error<Error>(
        [&] {
            ObjectIO(uri, with({{"map_size", "1"}}));
        },
        {"unknown redis option(s): 'map_size'"});
    expect_error<Error>([&] { ObjectIO(uri + "?socket_timeout=soon"); },
                        {"'socket_timeout' needs a positive number of seconds, got 'soon'"});
    EXPECT_NO_THROW(ObjectIO(uri + "?socket_timeout=2&retries=1"));
}

TEST(RedisErrors, WrongOrMissingCredentialsAreRefusedWithTheServersWords) {
    RedisServer server({"--requirepass", "s3cret", "--user", "alice", "on", ">p@ss", "~*", "&*", "+@all"});
    const std::string at = "127.0.0.1:" + std::to_string(server.port());
    expect_error<BackendError>([&] { ObjectIO("redis://" + at + "/0"); },
                               {"redis://" + at + "/0 refused the connection", "NOAUTH"});
    expect_error<BackendError>([&] { ObjectIO("redis://:wrong@" + at + "/0"); },
                               {"refused the connection", "WRONGPASS"});
    ObjectIO(std::string("redis://:s3cret@") + at + "/2").extend({Row{{"a", 1}}});
    ObjectIO alice("redis://alice:p%40ss@" + at + "/3");
    alice.extend({Row{{"a", 2}}, Row{{"a", 3}}});
    EXPECT_EQ(ObjectIO("redis://:s3cret@" + at + "/2").size(), 1u); // databases are apart
    EXPECT_EQ(alice.size(), 2u);
}

TEST(RedisErrors, KeysOfAnotherKindUnderAGroupsNamesAreAnErrorNamingTheKey) {
    const std::string uri = test_redis_server().fresh_uri();
    const int db = std::stoi(uri.substr(uri.rfind('/') + 1));
    test_redis_server().query({"SET", "default:sort_keys", "not a list"}, db);
    expect_error<BackendError>([&] { ObjectIO{uri}; },
                               {uri, "group 'default'", "'default:sort_keys' is a string"});
    test_redis_server().query({"HSET", "g:next_sk", "a", "b"}, db);
    expect_error<BackendError>([&] { ObjectIO(uri, with({}, "g")); }, {"'g:next_sk' is a hash"});
}

TEST(RedisErrors, ACorruptValueInARowIsACorruptDataErrorNamingRowAndKey) {
    const std::string uri = test_redis_server().fresh_uri();
    const int db = std::stoi(uri.substr(uri.rfind('/') + 1));
    ObjectIO io(uri);
    io.extend({Row{{"calc.energy", -1.5}}, Row{{"calc.energy", -2.5}}});
    test_redis_server().query({"HSET", "default:row:1", "calc.energy", "\xc1\xff"}, db);
    EXPECT_EQ(io.get(0)->at("calc.energy"), Value(-1.5));
    expect_error<CorruptDataError>([&] { io.get(1); }, {uri, "group 'default'", "row 1", "calc.energy"});
    expect_error<CorruptDataError>([&] { AtomsIO(uri).get(1); }, {uri, "row 1"});
}

TEST(RedisErrors, ReadOnlyOpeningOfAGroupThatDoesNotExistIsAnError) {
    const std::string uri = test_redis_server().fresh_uri();
    expect_error<Error>([&] { ObjectIO(uri, with({}, "nothing", true)); }, {"no group 'nothing'", uri});
}

TEST(RedisErrors, IndexErrorsNameTheGroup) {
    const std::string uri = test_redis_server().fresh_uri();
    ObjectIO io(uri);
    io.extend({Row{{"a", 1}}});
    expect_error<IndexError>([&] { io.backend_ptr()->get(3); }, {"out of range", "group 'default'"});
}

} // namespace
} // namespace asebytes::test
