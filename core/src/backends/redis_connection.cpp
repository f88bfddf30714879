#include "redis_connection.hpp"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <thread>

#include <hiredis/hiredis.h>

namespace asebytes {
namespace {

timeval as_timeval(double seconds) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(seconds);
    tv.tv_usec = static_cast<suseconds_t>((seconds - std::floor(seconds)) * 1e6);
    return tv;
}

std::string seconds_text(double s) {
    std::string t = std::to_string(s);
    while (t.back() == '0')
        t.pop_back();
    if (t.back() == '.') t.pop_back();
    return t + " s";
}

// hiredis reports a timeout as an I/O error with errno EAGAIN.
bool timed_out(const redisContext& c) {
    return c.err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINPROGRESS);
}

} // namespace

void ReplyDeleter::operator()(redisReply* r) const { freeReplyObject(r); }
void RedisConnection::ContextDeleter::operator()(redisContext* c) const { redisFree(c); }

RedisConnection::RedisConnection(RedisAddress address, RedisSettings settings)
    : address_(std::move(address)), settings_(settings) {
    retrying([](RedisConnection&) { return 0; });
}

RedisConnection::~RedisConnection() = default;

void RedisConnection::reconnect() {
    context_.reset(
        redisConnectWithTimeout(address_.host.c_str(), address_.port, as_timeval(settings_.connect_timeout)));
    if (!context_) throw BackendError(server() + ": out of memory for a connection");
    if (context_->err) {
        const std::string why = context_->errstr;
        context_.reset();
        throw RedisConnectionLost("cannot connect to the Redis server " + server() + ": " + why);
    }
    handshake();
}

// AUTH and SELECT as redis-py sends them, then PING: the first answer tells whether the peer
// speaks Redis at all.
void RedisConnection::handshake() {
    redisSetTimeout(context_.get(), as_timeval(settings_.connect_timeout));
    std::vector<RedisCommand> hello;
    if (!address_.user.empty())
        hello.push_back({"AUTH", address_.user, address_.password});
    else if (!address_.password.empty())
        hello.push_back({"AUTH", address_.password});
    if (address_.db != 0) hello.push_back(RedisCommand{"SELECT"}.number(address_.db));
    hello.push_back({"PING"});
    std::vector<RedisReply> replies;
    try {
        replies = pipeline(hello);
    } catch (const RedisConnectionLost& e) {
        if (e.timed_out())
            throw BackendError(server() + " accepted the connection but did not answer within " +
                               seconds_text(settings_.connect_timeout) + ": is it a Redis server?");
        throw;
    }
    for (const auto& r : replies) {
        if (r->type != REDIS_REPLY_ERROR) continue;
        const std::string text(r->str, r->len);
        // A server that has just started answers LOADING until its data set is in memory; redis-py
        // retries that as a lost connection (BusyLoadingError), and so do we.
        if (text.rfind("LOADING", 0) == 0) {
            context_.reset();
            throw RedisConnectionLost("the Redis server " + server() + " is still loading its data: " + text);
        }
        throw BackendError("the Redis server " + server() + " refused the connection: " + text);
    }
    const redisReply& pong = *replies.back();
    if (pong.type != REDIS_REPLY_STATUS || std::string_view(pong.str, pong.len) != "PONG")
        throw BackendError(server() + " answered PING with something else than PONG: not a Redis server");
    redisSetTimeout(context_.get(), as_timeval(settings_.timeout));
}

void RedisConnection::give_up_or_wait(int attempt, const RedisConnectionLost& e) {
    if (attempt >= settings_.retries)
        throw BackendError(
            std::string(e.what()) +
            (settings_.retries > 0 ? " (gave up after " + std::to_string(attempt + 1) + " attempts)" : ""));
    std::this_thread::sleep_for(
        std::chrono::duration<double>(settings_.retry_delay * std::pow(2.0, attempt)));
}

void RedisConnection::lost(const std::string& doing) {
    const std::string why = context_->errstr;
    const int err = context_->err;
    const bool timeout = timed_out(*context_);
    std::string message = "lost the connection to the Redis server " + server() + " while " + doing + ": ";
    if (timeout)
        message += "no answer within " + seconds_text(settings_.timeout);
    else
        message += why;
    if (err == REDIS_ERR_PROTOCOL) {
        context_.reset();
        throw BackendError(server() + " sent something that is not a Redis reply (" + why +
                           "): is it a Redis server?");
    }
    context_.reset(); // hiredis cannot use a context after an error: the next call reconnects
    if (err == REDIS_ERR_OOM || err == REDIS_ERR_OTHER) throw BackendError(message);
    throw RedisConnectionLost(message, timeout);
}

std::vector<RedisReply> RedisConnection::pipeline(const std::vector<RedisCommand>& commands) {
    if (!context_) reconnect();
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& c : commands) {
        argv.clear();
        lengths.clear();
        for (std::size_t i = 0; i < c.size(); ++i) {
            argv.push_back(c[i].data());
            lengths.push_back(c[i].size());
        }
        if (redisAppendCommandArgv(context_.get(), static_cast<int>(argv.size()), argv.data(),
                                   lengths.data()) != REDIS_OK)
            lost("sending a command");
    }
    std::vector<RedisReply> replies;
    replies.reserve(commands.size());
    for (std::size_t i = 0; i < commands.size(); ++i) {
        void* reply = nullptr;
        if (redisGetReply(context_.get(), &reply) != REDIS_OK || !reply) lost("waiting for its answer");
        replies.emplace_back(static_cast<redisReply*>(reply));
    }
    return replies;
}

RedisReply RedisConnection::command(const RedisCommand& command) {
    return std::move(pipeline({command}).front());
}

void check(const redisReply& reply, const std::string& where) {
    if (reply.type != REDIS_REPLY_ERROR) return;
    const std::string message(reply.str, reply.len);
    if (message.find("IndexError") != std::string::npos) throw IndexError(message + " in " + where);
    if (message.rfind("WRONGTYPE", 0) == 0)
        throw BackendError(where +
                           ": a key of this group holds another kind of value than asebytes "
                           "stores (" +
                           message + ")");
    throw BackendError(where + ": the Redis server answered " + message);
}

long long integer_of(const redisReply& reply, const std::string& where) {
    check(reply, where);
    if (reply.type != REDIS_REPLY_INTEGER)
        throw BackendError(where + ": the Redis server sent another kind of reply than a number");
    return reply.integer;
}

std::string_view text_of(const redisReply& reply, const std::string& where) {
    check(reply, where);
    if (reply.type != REDIS_REPLY_STRING && reply.type != REDIS_REPLY_STATUS)
        throw BackendError(where + ": the Redis server sent another kind of reply than a string");
    return {reply.str, reply.len};
}

} // namespace asebytes
