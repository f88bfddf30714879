#pragma once
// Running Debian's /usr/bin/python3 with Python asebytes 0.3.1 (ASEBYTES_PYTHONPATH, default the
// copy in ../shared/third_party) for interop tests. Without them a test is skipped, saying what is
// missing, or fails when ASEBYTES_REQUIRE_INTEROP=1 (CI).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "golden.hpp"

namespace asebytes::test {

// Python scripts exit with this status when Python asebytes 0.3.1 cannot be imported.
constexpr int kPythonUnavailable = 77;

struct PythonRun {
    std::string command;
    std::string output; // stdout and stderr, interleaved
    bool ok = false;
    bool unavailable = false;
};

std::string shell_quoted(const std::string& s);
fs::path asebytes_pythonpath();
bool interop_required();
/// Why Python asebytes cannot be used, as far as files tell; empty when it may be.
std::string missing_python();
/// Runs `script` (a path) with arguments; -B: no __pycache__, -s: no user site-packages.
/// `launcher` goes before the interpreter (such as "mpirun -np 2").
PythonRun run_python_script(const fs::path& script, const std::vector<std::string>& arguments,
                            const std::string& launcher = "");
::testing::AssertionResult python_succeeded(const PythonRun& run);

// Stops the test unless the Python run succeeded: skipped when Python asebytes is unavailable
// (failed instead under ASEBYTES_REQUIRE_INTEROP=1), failed with the script's output otherwise.
#define ASSERT_PYTHON_OK(run_expression)                                                                     \
    do {                                                                                                     \
        const ::asebytes::test::PythonRun& python_run = (run_expression);                                    \
        if (python_run.unavailable && !::asebytes::test::interop_required())                                 \
            GTEST_SKIP() << "Python interop skipped: " << python_run.output;                                 \
        ASSERT_TRUE(::asebytes::test::python_succeeded(python_run));                                         \
    } while (false)

/// A test that needs Python asebytes: SetUp skips (or fails under ASEBYTES_REQUIRE_INTEROP=1)
/// when it is missing; a temporary directory for the files.
class PythonTest : public ::testing::Test {
protected:
    void SetUp() override;
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    /// A copy of golden store `name` in the temporary directory: Python asebytes opens HDF5 files
    /// read-write, and two tests opening the same golden file at once collide on HDF5's file lock
    /// (and golden files must never change).
    std::string golden(const std::string& name) const {
        const fs::path copy = dir_ / "golden" / name;
        if (!fs::exists(copy)) {
            fs::create_directories(copy.parent_path());
            fs::copy(golden_dir() / name, copy, fs::copy_options::recursive);
        }
        return copy.string();
    }

    TempDir dir_;
};

} // namespace asebytes::test
