#pragma once
// A real redis-server (Debian's package) for one test program: started on 127.0.0.1 with a free
// port in a temporary directory, stopped by its own pid. Never a shared or system server.
#include <memory>
#include <string>
#include <vector>

#include <hiredis/hiredis.h>

#include "child_process.hpp"
#include "golden.hpp"

namespace asebytes::test {

struct RedisReplyDeleter {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisTestReply = std::unique_ptr<redisReply, RedisReplyDeleter>;

class RedisServer {
public:
    /// An append-only file written and fsynced on every write: a restart keeps every
    /// acknowledged write.
    static inline const std::vector<std::string> kPersistent{"--appendonly", "yes", "--appendfsync",
                                                             "always"};

    /// Nothing is saved unless `config` (redis-server arguments, e.g. kPersistent) says so.
    explicit RedisServer(std::vector<std::string> config = {});
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    int port() const { return port_; }
    /// "redis://127.0.0.1:<port>/<db>".
    std::string uri(int db = 0) const;
    /// A database no other call of this server's fresh_uri() has given out.
    std::string fresh_uri();

    /// SIGKILL, as a crash would.
    void kill();
    /// Starts it again on the same port and directory (a persistent server reloads its data).
    void restart();

    /// One command on database `db`, for checking the keys a backend wrote.
    RedisTestReply query(const std::vector<std::string>& args, int db = 0) const;
    /// The command's reply as text: strings, numbers and statuses as they are, arrays as their
    /// elements' texts joined by '\n', nil as "(nil)".
    std::string text(const std::vector<std::string>& args, int db = 0) const;

private:
    void start();

    TempDir dir_;
    std::vector<std::string> config_;
    int port_ = 0;
    int next_db_ = 1;
    std::unique_ptr<ChildProcess> process_;
};

/// The server of this test program, started at first use and stopped at exit.
RedisServer& test_redis_server();

} // namespace asebytes::test
