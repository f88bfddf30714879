#pragma once
// A program run in a child process (fork + exec) that a test can kill at a moment it chooses.
#include <sys/types.h>

#include <string>
#include <vector>

#include "golden.hpp"

namespace asebytes::test {

class ChildProcess {
public:
    /// Starts argv[0] with `argv` in directory `cwd`; stdout and stderr go to `output`. `env` adds
    /// NAME=VALUE entries to this process's environment for the child.
    ChildProcess(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& output,
                 const std::vector<std::string>& env = {});
    /// Kills (SIGKILL) and reaps a child still running.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// SIGKILL, then reaps it; true when it was still running (false: it had already exited).
    bool kill();
    /// Whether it has not ended yet.
    bool running();
    /// Waits for it to end: its exit status, or 128 + the signal that ended it.
    int wait();

private:
    pid_t pid_ = -1;
    int status_ = 0;
};

} // namespace asebytes::test
