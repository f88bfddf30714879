#include "progress.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include <fmt/core.h>
#include <unistd.h>

namespace asebytes::cli {

namespace {
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr auto kQuietStart = std::chrono::seconds(1); // short work shows no bar at all
constexpr std::size_t kBarWidth = 30;
bool quiet_everywhere = false;
} // namespace

void Progress::set_quiet(bool quiet) { quiet_everywhere = quiet; }

Progress::Progress(std::string label, std::size_t total)
    : label_(std::move(label)), total_(total), enabled_(!quiet_everywhere && isatty(fileno(stderr)) == 1) {}

Progress::~Progress() { finish(); }

void Progress::update(std::size_t done) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!drawn_ && now - started_ < kQuietStart) return;
    if (drawn_ && done < total_ && now - last_draw_ < kRedrawInterval) return;
    const std::size_t filled = total_ == 0 ? kBarWidth : std::min(kBarWidth, done * kBarWidth / total_);
    fmt::print(stderr, "\r{} [{}{}] {}/{} rows", label_, std::string(filled, '#'),
               std::string(kBarWidth - filled, ' '), done, total_);
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
