#pragma once
// redis://[user:password@]host[:port][/db][?name=value&...]: Python asebytes' reading of a Redis
// URI (docs/formats/redis.md), with a clear error where redis-py would guess.
#include <map>
#include <string>

namespace asebytes {

struct RedisAddress {
    std::string host = "localhost";
    int port = 6379;
    int db = 0;
    /// Percent-decoded credentials, used as redis-py uses them: AUTH user password when there is a
    /// user, AUTH password when there is only a password, no AUTH without either.
    std::string user, password;
    /// The query's other arguments (socket_timeout=...), for the backend's options.
    std::map<std::string, std::string> query;

    /// "redis://host:port/db", without credentials: what messages name.
    std::string display() const;
};

/// Parses `uri`. As Python asebytes does, only the first path segment is the database and the
/// rest is ignored ("redis://h/0/x" is db 0); `?db=N` wins over the path. Error naming the URI
/// and the part that is wrong: another scheme, a bad port, a database that is not a number.
RedisAddress parse_redis_uri(const std::string& uri);

} // namespace asebytes
