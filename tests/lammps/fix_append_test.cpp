// Appending: across two runs, across a restart, and into a store that already has the steps.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"
#include "store_rows.hpp"

namespace asebytes::test {
namespace {

TEST(FixAppend, TwoRunsWriteEveryStepOnce) {
    TempDir dir;
    const auto r = run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.lmdb\nrun 20\nrun 25\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // The second run starts at step 20 (already written) and ends at 45 (not a multiple of 10).
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{0, 10, 20, 30, 40}));
}

TEST(FixAppend, ARestartContinuesTheStoreWithoutDuplicates) {
    TempDir dir;
    const auto first =
        run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.lmdb\nrun 30\nwrite_restart r.bin\n");
    ASSERT_EQ(first.exit_code, 0) << first.output;
    const auto second = run_lammps(
        dir.path(), "read_restart r.bin\npair_style eam\npair_coeff 1 1 Cu_u3.eam\nfix nve all nve\n"
                    "fix f all asebytes 10 f.lmdb append yes\nrun 30\n");
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{0, 10, 20, 30, 40, 50, 60}));
}

TEST(FixAppend, OverwriteReplacesTheFrames) {
    TempDir dir;
    ASSERT_EQ(run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.lmdb\nrun 30\n").exit_code, 0);
    const auto r =
        run_lammps(dir.path(), cu_system() + "fix f all asebytes 5 f.lmdb overwrite yes\nrun 10\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{0, 5, 10}));
}

TEST(FixAppend, PythonWrittenFramesCanBeAppendedTo) {
    TempDir dir;
    const auto store = dir / "f.lmdb";
    const auto golden = truth_rows(golden_dir() / "periodic.json");
    ObjectIO(store.string()).extend({golden[0], golden[1]}); // no info.step: everything is new
    const auto r = run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.lmdb append yes\nrun 10\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ObjectIO io(store.string());
    ASSERT_EQ(io.size(), 4u);
    EXPECT_EQ(*io.get(0), golden[0]);
    EXPECT_EQ(io.get(3)->at("info.step"), Value(10));
}

} // namespace
} // namespace asebytes::test
