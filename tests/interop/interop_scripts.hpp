#pragma once
// What the interop tests share: running the Python scripts next to this file, and the store edited
// in the middle that Python must read as the same rows written in one go.
#include <string>
#include <vector>

#include "python.hpp"

namespace asebytes::test {

/// Runs tests/interop/<script> with the given arguments.
PythonRun run_interop_script(const std::string& script, const std::vector<std::string>& arguments);

/// columnar_check.py (see its usage) with the given arguments.
inline PythonRun run_columnar_check(const std::vector<std::string>& arguments) {
    return run_interop_script("columnar_check.py", arguments);
}

/// Writes the golden periodic rows into store `ours`, then inserts, erases and erases a slice in
/// the middle of it; writes the rows that leaves into store `reference` in one go.
void write_edited_and_reference(const std::string& ours, const std::string& reference);

} // namespace asebytes::test
