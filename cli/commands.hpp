#pragma once
// The subcommands of the `asebytes` tool. Each adds itself to the app with its options and
// runs from its CLI11 callback; failures are thrown as exceptions and reported by main().
#include <CLI/CLI.hpp>

namespace asebytes::cli {

/// `asebytes info STORE`: rows, groups and per-key dtype/shape of a store.
void add_info_command(CLI::App& app);
/// `asebytes convert IN OUT`: appends every row of IN to OUT, group by group.
void add_convert_command(CLI::App& app);

} // namespace asebytes::cli
