#include "redis_server.hpp"

#include "foreign_listener.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace asebytes::test {
namespace {

constexpr const char* kRedisServer = "/usr/bin/redis-server";
constexpr int kDatabases = 10000; // fresh_uri() hands out one per store

struct ContextDeleter {
    void operator()(redisContext* c) const { redisFree(c); }
};

std::string reply_text(const redisReply& r) {
    switch (r.type) {
    case REDIS_REPLY_INTEGER:
        return std::to_string(r.integer);
    case REDIS_REPLY_NIL:
        return "(nil)";
    case REDIS_REPLY_ARRAY: {
        std::string out;
        for (std::size_t i = 0; i < r.elements; ++i)
            out += (i ? "\n" : "") + reply_text(*r.element[i]);
        return out;
    }
    default:
        return std::string(r.str, r.len);
    }
}

} // namespace

RedisServer::RedisServer(std::vector<std::string> config) : config_(std::move(config)) {
    for (int attempt = 0; attempt < 5 && !process_; ++attempt) {
        port_ = unused_port();
        start();
    }
    if (!process_)
        throw std::runtime_error("redis-server did not start: see " + (dir_ / "redis.log").string());
}

RedisServer::~RedisServer() = default; // ChildProcess kills and reaps it

std::string RedisServer::uri(int db) const {
    return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db);
}

std::string RedisServer::fresh_uri() {
    if (next_db_ >= kDatabases) throw std::runtime_error("the test Redis server has no fresh database left");
    return uri(next_db_++);
}

void RedisServer::start() {
    std::vector<std::string> argv{kRedisServer, "--bind", "127.0.0.1", "--port", std::to_string(port_)};
    argv.insert(argv.end(), {"--dir", dir_.path().string(), "--databases", std::to_string(kDatabases)});
    argv.insert(argv.end(),
                {"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"});
    argv.insert(argv.end(), config_.begin(), config_.end()); // later arguments win
    process_ = std::make_unique<ChildProcess>(argv, dir_.path(), dir_ / "redis.log");
    for (int i = 0; i < 200; ++i) { // until it answers at all (or exits: its port was taken)
        try {
            query({"PING"});
            return;
        } catch (const std::exception&) {
        }
        if (!process_->running()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    process_.reset();
}

void RedisServer::kill() {
    if (process_) process_->kill();
}

void RedisServer::restart() {
    kill();
    start();
    if (!process_)
        throw std::runtime_error("redis-server did not restart: see " + (dir_ / "redis.log").string());
}

RedisTestReply RedisServer::query(const std::vector<std::string>& args, int db) const {
    timeval tv{5, 0};
    std::unique_ptr<redisContext, ContextDeleter> c(redisConnectWithTimeout("127.0.0.1", port_, tv));
    if (!c || c->err) throw std::runtime_error("cannot connect to the test Redis server");
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    const std::string select_db = std::to_string(db);
    const char* select[] = {"SELECT", select_db.c_str()};
    RedisTestReply selected(static_cast<redisReply*>(redisCommandArgv(c.get(), 2, select, nullptr)));
    if (!selected) throw std::runtime_error("the test Redis server did not answer SELECT");
    for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    RedisTestReply r(static_cast<redisReply*>(
        redisCommandArgv(c.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
    if (!r) throw std::runtime_error("the test Redis server did not answer");
    return r;
}

std::string RedisServer::text(const std::vector<std::string>& args, int db) const {
    return reply_text(*query(args, db));
}

RedisServer& test_redis_server() {
    static RedisServer server;
    return server;
}

} // namespace asebytes::test
