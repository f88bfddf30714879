#pragma once
// A one-line "\r" progress bar on stderr, shown only when stderr is a terminal (so that logs and
// pipes stay clean), not with --quiet, and only once the work has taken a second.
#include <chrono>
#include <cstddef>
#include <string>

namespace asebytes::cli {

class Progress {
public:
    /// A bar "<label> [####    ] done/total rows"; silent unless stderr is a terminal.
    Progress(std::string label, std::size_t total);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    /// Reports `done` rows; redraws at most every 100 ms, and always at the end.
    void update(std::size_t done);
    /// Ends the line, if one was drawn.
    void finish();
    /// No progress at all (--quiet), even on a terminal.
    static void set_quiet(bool quiet);

private:
    std::string label_;
    std::size_t total_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_draw_;
};

} // namespace asebytes::cli
