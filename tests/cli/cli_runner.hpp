#pragma once
// Runs the built `asebytes` tool in a child process and captures what it prints.
#include <string>
#include <vector>

#include "golden.hpp"

namespace asebytes::test {

struct CliResult {
    int exit_code = -1;
    std::string out; ///< stdout
    std::string err; ///< stderr
};

/// Runs `asebytes <args...>` (each argument shell-quoted) and waits for it.
CliResult run_cli(const std::vector<std::string>& args);

/// stdout of a run that must succeed; fails the test (with stderr) otherwise.
std::string cli_output(const std::vector<std::string>& args);

/// `asebytes info --json <args...>`, parsed.
Json cli_info_json(const std::vector<std::string>& args);

} // namespace asebytes::test
