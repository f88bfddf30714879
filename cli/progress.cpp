#include "progress.hpp"

#include <cstdio>

#include <fmt/core.h>
#include <unistd.h>

namespace asebytes::cli {

namespace {
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
}

Progress::Progress(std::string label, std::size_t total)
    : label_(std::move(label)), total_(total), enabled_(isatty(fileno(stderr)) == 1) {}

Progress::~Progress() { finish(); }

void Progress::update(std::size_t done) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && done < total_ && now - last_draw_ < kRedrawInterval) return;
    fmt::print(stderr, "\r{}: {}/{} rows", label_, done, total_);
    std::fflush(stderr);
    drawn_ = true;
    last_draw_ = now;
}

void Progress::finish() {
    if (!drawn_) return;
    fmt::print(stderr, "\n");
    drawn_ = false;
}

} // namespace asebytes::cli
