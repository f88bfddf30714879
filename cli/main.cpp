// Entry point of the `asebytes` tool: builds the command line and turns every failure into
// "asebytes: error: <message>" and exit code 1.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "asebytes/error.hpp"
#include "commands.hpp"
#include "progress.hpp"

namespace {

constexpr const char* kDescription =
    "asebytes: inspect, check, convert and extract training sets from asebytes stores (LMDB, "
    "extended XYZ and the other registered backends), compatible with Python asebytes 0.3.1.";

constexpr const char* kExamples = R"(
Examples:
  asebytes info run.lmdb                 rows, groups, keys with dtype and shape
  asebytes info run.lmdb --json          the same as JSON
  asebytes info data.lmdb --group train  one group only
  asebytes convert run.lmdb copy.lmdb    append every group of run.lmdb to copy.lmdb
  asebytes convert run.lmdb run.xyz --stride 10
  asebytes formats                       every backend and what it can do
  asebytes head run.lmdb -n 5            the first rows, one line each
  asebytes show run.lmdb -1              the last row in full
  asebytes verify run.lmdb               decode every row; non-zero exit on the first bad one
  asebytes extract run.lmdb --split train=0.8,valid=0.1,test=0.1 --seed 42 --out-dir data
  asebytes report run.lmdb -o report.html   histograms, composition, outliers as one HTML page

Run 'asebytes <command> --help' for the options of a command.)";

int report_error(const char* message) {
    fmt::print(stderr, "asebytes: error: {}\n", message);
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{kDescription, "asebytes"};
    app.footer(kExamples);
    app.set_version_flag("--version", ASEBYTES_VERSION);
    app.require_subcommand(1);
    // Set as soon as it is parsed, before any command runs; subcommands made after fallthrough()
    // pass it up, so it may come before or after the command.
    app.add_flag_callback(
           "-q,--quiet", [] { asebytes::cli::Progress::set_quiet(true); }, "No progress bars")
        ->trigger_on_parse();
    app.fallthrough();
    asebytes::cli::add_info_command(app);
    asebytes::cli::add_convert_command(app);
    asebytes::cli::add_extract_command(app);
    asebytes::cli::add_formats_command(app);
    asebytes::cli::add_head_command(app);
    asebytes::cli::add_show_command(app);
    asebytes::cli::add_verify_command(app);
    asebytes::cli::add_report_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e); // --help, --version and usage errors keep CLI11's exit codes
    } catch (const asebytes::Error& e) {
        return report_error(e.what());
    } catch (const std::exception& e) {
        return report_error(e.what());
    }
    return 0;
}
