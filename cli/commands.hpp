#pragma once
// The subcommands of the `asebytes` tool. Each adds itself to the app with its options and
// runs from its CLI11 callback; failures are thrown as exceptions and reported by main().
#include <CLI/CLI.hpp>

namespace asebytes::cli {

/// `asebytes info STORE`: rows, groups and per-key dtype/shape of a store.
void add_info_command(CLI::App& app);
/// `asebytes convert IN OUT`: appends every row of IN to OUT, group by group.
void add_convert_command(CLI::App& app);
/// `asebytes formats`: every backend with its extensions or scheme and capabilities.
void add_formats_command(CLI::App& app);
/// `asebytes head STORE [-n N]`: the first rows, one line each.
void add_head_command(CLI::App& app);
/// `asebytes show STORE INDEX`: one row in full.
void add_show_command(CLI::App& app);
/// `asebytes verify STORE`: decode every row; the first bad one fails the command.
void add_verify_command(CLI::App& app);
/// `asebytes extract IN ...`: filtered, split training sets written to a directory.
void add_extract_command(CLI::App& app);
/// `asebytes report STORE`: one self-contained HTML page of plots and tables.
void add_report_command(CLI::App& app);

} // namespace asebytes::cli
