#pragma once
// A TCP listener on 127.0.0.1 that is not Redis: it answers every connection with fixed bytes
// (HTTP, say) or with nothing at all, for the tests of what a client does with such a peer.
#include <atomic>
#include <string>
#include <thread>

namespace asebytes::test {

class ForeignListener {
public:
    /// `answer` is sent on every accepted connection; empty: accept and stay silent.
    explicit ForeignListener(std::string answer);
    ~ForeignListener();
    ForeignListener(const ForeignListener&) = delete;
    ForeignListener& operator=(const ForeignListener&) = delete;
    int port() const { return port_; }

private:
    void serve();

    std::string answer_;
    int fd_ = -1, port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

/// A port of 127.0.0.1 nobody listens on.
int unused_port();

} // namespace asebytes::test
