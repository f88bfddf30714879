// fix asebytes into H5MD (*.h5md): serially through the BufferedWriter, under mpirun with parallel
// HDF5 (every rank writes its own atoms, as for *.h5p); the store reads back exactly the frames the
// same run wrote into an LMDB store (gathered to rank 0), with real steps and times.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"

namespace asebytes::test {
namespace {

std::vector<std::optional<Row>> rows_of(const fs::path& store) {
    std::vector<std::optional<Row>> out;
    for (const auto& row : ObjectIO(store.string())) out.push_back(row);
    return out;
}

TEST(FixH5md, OneTwoAndFourRanksWriteH5mdEqualToLmdb) {
    const std::string input = cu_system() +
                              "fix a all asebytes 10 frames.lmdb elements Cu velocities yes\n"
                              "fix b all asebytes 10 traj.h5md elements Cu velocities yes\nrun 30\n";
    for (int np : {1, 2, 4}) {
        SCOPED_TRACE("np " + std::to_string(np));
        TempDir dir;
        const auto r = run_lammps(dir.path(), input, np);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        EXPECT_EQ(r.has("every rank writing its own atoms (parallel HDF5)"), np > 1) << r.output;
        const auto lmdb = rows_of(dir / "frames.lmdb");
        ASSERT_EQ(lmdb.size(), 4u);
        EXPECT_EQ(rows_of(dir / "traj.h5md"), lmdb);
        std::vector<std::int64_t> steps;
        for (const auto& v : ObjectIO((dir / "traj.h5md").string()).column("info.step").to_list())
            steps.push_back(v->as_int());
        EXPECT_EQ(steps, (std::vector<std::int64_t>{0, 10, 20, 30}));
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
