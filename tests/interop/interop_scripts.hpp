#pragma once
// What the interop tests share: running the Python scripts next to this file, and the store edited
// in the middle that Python must read as the same rows written in one go.
#include <optional>
#include <string>
#include <vector>

#include "asebytes/asebytes.hpp"

#include "python.hpp"

namespace asebytes::test {

/// Runs tests/interop/<script> with the given arguments.
PythonRun run_interop_script(const std::string& script, const std::vector<std::string>& arguments);

/// columnar_check.py (see its usage) with the given arguments.
inline PythonRun run_columnar_check(const std::vector<std::string>& arguments) {
    return run_interop_script("columnar_check.py", arguments);
}

/// Frames made from rows.
std::vector<Frame> frames_of(const std::vector<Row>& rows);
/// A truth file of the interop scripts: like golden truth, and a null row is a placeholder.
std::vector<std::optional<Row>> truth_with_placeholders(const fs::path& file);
/// gtest expectations that `io` holds exactly `truth` (placeholders, keys and values).
void expect_rows(const ObjectIO& io, const std::vector<std::optional<Row>>& truth);
/// make_golden.py's edited.lmdb sequence: extend, insert, delete, update, set.
void edit_like_make_golden(ObjectIO& db);

/// Writes the golden periodic rows into store `ours`, then inserts, erases and erases a slice in
/// the middle of it; writes the rows that leaves into store `reference` in one go.
void write_edited_and_reference(const std::string& ours, const std::string& reference);

} // namespace asebytes::test
