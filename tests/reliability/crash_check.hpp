#pragma once
// What a user checks after a writer was killed: the store opens, `asebytes verify` passes, it
// holds every frame the writer logged as flushed, and every frame it holds is what was written.
#include <functional>
#include <random>
#include <string>

#include "golden.hpp"

namespace asebytes::test {

/// The last count a flush log holds (0 when it is missing or empty).
std::size_t last_logged_flush(const fs::path& log);

/// Empty when row `index` is what was written, else what differs.
using FrameCheck = std::function<std::string(std::size_t index, const Row& row)>;

/// Empty when the store at `path` holds at least `flushed` frames, each passing `check`, else what
/// is wrong (naming the frame). With `first_only`, only the first `flushed` frames are read. An
/// asebytes::Error from reading propagates.
std::string frames_problem(const std::string& path, std::size_t flushed, const FrameCheck& check,
                           bool first_only = false);

/// Checks the store after a kill as above (gtest failures name the store and frame).
void expect_store_survived(const std::string& store, std::size_t flushed, const FrameCheck& check);

/// Seeded random kill moments, in seconds, uniform in [earliest, latest].
class KillMoments {
public:
    KillMoments(unsigned seed, double earliest, double latest) : rng_(seed), moments_(earliest, latest) {}
    double next() { return moments_(rng_); }

private:
    std::mt19937 rng_;
    std::uniform_real_distribution<double> moments_;
};

} // namespace asebytes::test
