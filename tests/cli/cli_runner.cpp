#include "cli_runner.hpp"

#include <cstdlib>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "python.hpp"

namespace asebytes::test {

CliResult run_cli(const std::vector<std::string>& args) {
    const TempDir capture;
    std::string command = shell_quoted(ASEBYTES_CLI);
    for (const auto& a : args)
        command += " " + shell_quoted(a);
    command +=
        " >" + shell_quoted((capture / "out").string()) + " 2>" + shell_quoted((capture / "err").string());
    const int status = std::system(command.c_str());
    CliResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_bytes(capture / "out");
    result.err = read_bytes(capture / "err");
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
