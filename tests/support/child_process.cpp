#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace asebytes::test {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& output,
                           const std::vector<std::string>& env) {
    std::vector<char*> args, envp;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (char** e = environ; *e; ++e)
        envp.push_back(*e);
    for (const auto& e : env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        // Only async-signal-safe calls between fork and exec.
        const int fd = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0 || chdir(cwd.c_str()) != 0) _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        execve(args[0], args.data(), envp.data());
        _exit(127);
    }
}

ChildProcess::~ChildProcess() { kill(); }

bool ChildProcess::kill() {
    if (pid_ < 0) return false;
    const bool running = waitpid(pid_, &status_, WNOHANG) == 0;
    if (running) {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, &status_, 0);
    }
    pid_ = -1;
    return running;
}

bool ChildProcess::running() {
    if (pid_ < 0) return false;
    if (waitpid(pid_, &status_, WNOHANG) == 0) return true;
    pid_ = -1;
    return false;
}

int ChildProcess::wait() {
    if (pid_ >= 0) waitpid(pid_, &status_, 0);
    pid_ = -1;
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

} // namespace asebytes::test
