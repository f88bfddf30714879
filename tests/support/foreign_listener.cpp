#include "foreign_listener.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace asebytes::test {
namespace {

int bound_socket(int& port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("cannot bind a TCP socket on 127.0.0.1");
    port = ntohs(addr.sin_port);
    return fd;
}

} // namespace

int unused_port() {
    int port = 0;
    close(bound_socket(port)); // bound, never listening: connections are refused
    return port;
}

ForeignListener::ForeignListener(std::string answer) : answer_(std::move(answer)) {
    fd_ = bound_socket(port_);
    if (listen(fd_, 8) != 0) throw std::runtime_error("cannot listen on 127.0.0.1");
    thread_ = std::thread([this] { serve(); });
}

ForeignListener::~ForeignListener() {
    stop_ = true;
    thread_.join();
    close(fd_);
}

void ForeignListener::serve() {
    std::vector<int> clients;
    while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) continue;
        const int client = accept(fd_, nullptr, nullptr);
        if (client < 0) continue;
        if (!answer_.empty() && write(client, answer_.data(), answer_.size()) < 0) {
        }
        clients.push_back(client); // kept open: the peer sees an answer, or silence, not a close
    }
    for (int c : clients)
        close(c);
}

} // namespace asebytes::test
