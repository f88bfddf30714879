// fix asebytes into columnar HDF5 stores (*.h5, *.h5p): gathered to rank 0 and written through the
// BufferedWriter (the default), and under mpirun with `parallel yes` by every rank with parallel
// HDF5; every store reads back exactly the frames the same run wrote into an LMDB store. The Zarr
// stores (*.zarr, *.zarrp) are gathered to rank 0.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"
#include "store_rows.hpp"

namespace asebytes::test {
namespace {

TEST(FixColumnar, OneTwoAndFourRanksWriteH5AndH5pEqualToLmdb) {
    const std::string input = cu_system() +
                              "fix a all asebytes 10 frames.lmdb elements Cu velocities yes\n"
                              "fix b all asebytes 10 frames.h5 elements Cu velocities yes\n"
                              "fix c all asebytes 10 frames.h5p elements Cu velocities yes\n"
                              "fix d all asebytes 10 every.h5 elements Cu velocities yes parallel yes\n"
                              "fix e all asebytes 10 every.h5p elements Cu velocities yes parallel yes\n"
                              "fix z all asebytes 10 frames.zarr elements Cu velocities yes\n"
                              "fix p all asebytes 10 frames.zarrp elements Cu velocities yes\nrun 30\n";
    for (int np : {1, 2, 4}) {
        SCOPED_TRACE("np " + std::to_string(np));
        TempDir dir;
        ASSERT_NO_FATAL_FAILURE(expect_stores_equal_to_lmdb(
            dir, input, np,
            {"frames.h5", "frames.h5p", "every.h5", "every.h5p", "frames.zarr", "frames.zarrp"}));
    }
}

TEST(FixColumnar, ParallelWritesAppendAcrossRunsAndOverwrite) {
    TempDir dir;
    const auto two_runs =
        run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.h5p parallel yes\nrun 20\nrun 25\n", 2);
    ASSERT_EQ(two_runs.exit_code, 0) << two_runs.output;
    EXPECT_EQ(steps(dir / "f.h5p"), (std::vector<std::int64_t>{0, 10, 20, 30, 40}));
    const auto again = run_lammps(
        dir.path(), cu_system() + "fix f all asebytes 5 f.h5p overwrite yes parallel yes\nrun 10\n", 4);
    ASSERT_EQ(again.exit_code, 0) << again.output;
    EXPECT_EQ(steps(dir / "f.h5p"), (std::vector<std::int64_t>{0, 5, 10}));
    const auto more = run_lammps(
        dir.path(), cu_system() + "fix f all asebytes 5 f.h5p append yes parallel yes\nrun 20\n", 2);
    ASSERT_EQ(more.exit_code, 0) << more.output;
    // Another simulation appended: all its frames are new, even at steps the store already has.
    EXPECT_EQ(steps(dir / "f.h5p"), (std::vector<std::int64_t>{0, 5, 10, 0, 5, 10, 15, 20}));
}

} // namespace
} // namespace asebytes::test
