#include "python.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace asebytes::test {
namespace {
const char* const kPython = "/usr/bin/python3";
}

std::string shell_quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

fs::path asebytes_pythonpath() {
    if (const char* p = std::getenv("ASEBYTES_PYTHONPATH"); p && *p) return p;
    return fs::path(ASEBYTES_SOURCE_DIR) / ".." / "shared" / "third_party" / "asebytes-0.3.1";
}

bool interop_required() {
    const char* v = std::getenv("ASEBYTES_REQUIRE_INTEROP");
    return v && std::string(v) == "1";
}

std::string missing_python() {
    if (access(kPython, X_OK) != 0) return std::string(kPython) + " is not available";
    const fs::path pkg = asebytes_pythonpath();
    if (!fs::is_directory(pkg / "asebytes"))
        return "no asebytes package in " + pkg.string() + " (set ASEBYTES_PYTHONPATH)";
    return "";
}

namespace {
PythonRun run_shell(const std::string& command) {
    PythonRun run;
    run.command = command;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) {
        run.output = "popen failed";
        return run;
    }
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        run.output.append(buffer, n);
    const int status = pclose(pipe);
    const bool exited = status != -1 && WIFEXITED(status);
    run.ok = exited && WEXITSTATUS(status) == 0;
    run.unavailable = exited && WEXITSTATUS(status) == kPythonUnavailable;
    return run;
}
} // namespace

PythonRun run_python_script(const fs::path& script, const std::vector<std::string>& arguments,
                            const std::string& launcher) {
    std::string command = "PYTHONPATH=" + shell_quoted(asebytes_pythonpath().string()) +
                          " PYTHONDONTWRITEBYTECODE=1 " + (launcher.empty() ? "" : launcher + " ") + kPython +
                          " -B -s " + shell_quoted(script.string());
    for (const auto& a : arguments)
        command += " " + shell_quoted(a);
    return run_shell(command);
}

::testing::AssertionResult python_succeeded(const PythonRun& run) {
    if (run.ok) return ::testing::AssertionSuccess();
    if (run.unavailable)
        return ::testing::AssertionFailure()
               << "ASEBYTES_REQUIRE_INTEROP=1 but Python asebytes 0.3.1 is unavailable: " << run.output;
    return ::testing::AssertionFailure() << "Python failed: " << run.command << "\n" << run.output;
}

void PythonTest::SetUp() {
    const std::string problem = missing_python();
    if (problem.empty()) return;
    if (interop_required()) FAIL() << "ASEBYTES_REQUIRE_INTEROP=1 but " << problem;
    GTEST_SKIP() << "Python interop skipped: " << problem;
}

} // namespace asebytes::test
