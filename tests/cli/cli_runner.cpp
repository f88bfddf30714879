#include "cli_runner.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <sys/wait.h>

namespace asebytes::test {

namespace {

// Single quotes keep every character literal in sh; a single quote itself is closed, escaped
// and reopened.
std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

CliResult run_cli(const std::vector<std::string>& args) {
    const TempDir capture;
    std::string command = shell_quote(ASEBYTES_CLI);
    for (const auto& a : args)
        command += " " + shell_quote(a);
    command +=
        " >" + shell_quote((capture / "out").string()) + " 2>" + shell_quote((capture / "err").string());
    const int status = std::system(command.c_str());
    CliResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(capture / "out");
    result.err = read_file(capture / "err");
    return result;
}

std::string cli_output(const std::vector<std::string>& args) {
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << "stderr: " << r.err;
    return r.out;
}

Json cli_info_json(const std::vector<std::string>& args) {
    std::vector<std::string> full{"info", "--json"};
    full.insert(full.end(), args.begin(), args.end());
    return Json::parse(cli_output(full));
}

} // namespace asebytes::test
