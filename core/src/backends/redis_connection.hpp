#pragma once
// A checked, owning connection to one Redis server over hiredis (Debian's libhiredis-dev): as
// lmdbxx wraps LMDB, a thin layer that turns hiredis' error codes into asebytes errors naming the
// server. Used by the Redis backend (redis.cpp) only.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "redis_uri.hpp"

#include "asebytes/error.hpp"

struct redisContext;
struct redisReply;

namespace asebytes {

struct RedisSettings {
    double connect_timeout = 5; ///< seconds to connect and for the server's first answer
    double timeout = 30;        ///< seconds to wait for any later answer
    int retries = 3;            ///< reconnections after a lost connection before an error
    double retry_delay = 0.2;   ///< seconds before the first reconnection; doubles after each
};

/// The connection broke (refused, reset, closed, timed out): the operation may be retried on a
/// new connection if repeating it is harmless.
class RedisConnectionLost : public BackendError {
public:
    RedisConnectionLost(const std::string& message, bool timed_out = false)
        : BackendError(message), timed_out_(timed_out) {}
    /// The server did not answer in time (rather than closing or refusing the connection).
    bool timed_out() const { return timed_out_; }

private:
    bool timed_out_;
};

struct ReplyDeleter {
    void operator()(redisReply* r) const;
};
using RedisReply = std::unique_ptr<redisReply, ReplyDeleter>;

/// One command's arguments, binary-safe. arg() keeps a view into the caller's data, which must
/// outlive the command; own() keeps a copy (numbers, keys made on the fly), so a command can be
/// copied and moved freely.
class RedisCommand {
public:
    RedisCommand() = default;
    RedisCommand(std::initializer_list<std::string_view> args) {
        for (auto a : args)
            arg(a);
    }
    RedisCommand& arg(std::string_view view) {
        parts_.push_back({view, kBorrowed});
        return *this;
    }
    RedisCommand& own(std::string text) {
        owned_.push_back(std::move(text));
        parts_.push_back({{}, owned_.size() - 1});
        return *this;
    }
    RedisCommand& number(long long n) { return own(std::to_string(n)); }
    std::size_t size() const { return parts_.size(); }
    std::string_view operator[](std::size_t i) const {
        const Part& p = parts_[i];
        return p.owned == kBorrowed ? p.view : std::string_view(owned_[p.owned]);
    }

private:
    static constexpr std::size_t kBorrowed = static_cast<std::size_t>(-1);
    struct Part {
        std::string_view view;
        std::size_t owned; // index into owned_, or kBorrowed
    };
    std::vector<Part> parts_;
    std::vector<std::string> owned_;
};

class RedisConnection {
public:
    /// Connects, authenticates and selects the database. Error naming the server when it refuses,
    /// does not answer, rejects the credentials, or does not speak Redis.
    RedisConnection(RedisAddress address, RedisSettings settings);
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    /// Sends every command in one round trip and returns the replies in order (error replies
    /// included: see check()). RedisConnectionLost when the connection breaks.
    std::vector<RedisReply> pipeline(const std::vector<RedisCommand>& commands);
    RedisReply command(const RedisCommand& command);

    /// Runs `f(*this)`, reconnecting and running it again after a lost connection, up to
    /// settings.retries times; then an error naming the server. Only for idempotent work.
    template <class F> auto retrying(F&& f) {
        for (int attempt = 0;; ++attempt) {
            try {
                if (!context_) reconnect();
                return f(*this);
            } catch (const RedisConnectionLost& e) {
                context_.reset();
                give_up_or_wait(attempt, e);
            }
        }
    }

    const RedisAddress& address() const { return address_; }
    /// "redis://host:port/db" for messages (never the password).
    std::string server() const { return address_.display(); }

private:
    struct ContextDeleter {
        void operator()(redisContext* c) const;
    };
    void reconnect();
    void handshake();
    void give_up_or_wait(int attempt, const RedisConnectionLost& e);
    [[noreturn]] void lost(const std::string& doing);

    RedisAddress address_;
    RedisSettings settings_;
    std::unique_ptr<redisContext, ContextDeleter> context_;
};

/// The reply as an error when it is one: IndexError when the server's message says so (the Lua
/// scripts' bounds checks), BackendError naming `where` otherwise.
void check(const redisReply& reply, const std::string& where);
/// The reply's integer; error naming `where` for any other kind of reply.
long long integer_of(const redisReply& reply, const std::string& where);
/// The bytes of a string reply.
std::string_view text_of(const redisReply& reply, const std::string& where);

} // namespace asebytes
