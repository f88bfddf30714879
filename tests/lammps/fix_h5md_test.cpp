// fix asebytes into H5MD (*.h5md): gathered to rank 0 through the BufferedWriter (the default), and
// under mpirun with `parallel yes` by every rank with parallel HDF5 (as for *.h5p); both read back
// exactly the frames the same run wrote into an LMDB store, with real steps and times.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"
#include "store_rows.hpp"

namespace asebytes::test {
namespace {

TEST(FixH5md, OneTwoAndFourRanksWriteH5mdEqualToLmdb) {
    const std::string input =
        cu_system() + "fix a all asebytes 10 frames.lmdb elements Cu velocities yes\n"
                      "fix b all asebytes 10 traj.h5md elements Cu velocities yes\n"
                      "fix c all asebytes 10 every.h5md elements Cu velocities yes parallel yes\nrun 30\n";
    for (int np : {1, 2, 4}) {
        SCOPED_TRACE("np " + std::to_string(np));
        TempDir dir;
        ASSERT_NO_FATAL_FAILURE(expect_stores_equal_to_lmdb(dir, input, np, {"traj.h5md", "every.h5md"}));
        EXPECT_EQ(steps(dir / "traj.h5md"), (std::vector<std::int64_t>{0, 10, 20, 30}));
        EXPECT_EQ(steps(dir / "every.h5md"), (std::vector<std::int64_t>{0, 10, 20, 30}));
    }
}

TEST(FixH5md, AppendsAcrossRuns) {
    TempDir dir;
    const auto r = run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.h5md\nrun 20\nrun 25\n", 2);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(ObjectIO((dir / "f.h5md").string()).size(), 5u);
}

} // namespace
} // namespace asebytes::test
