// fix asebytes into columnar HDF5 stores (*.h5, *.h5p) under mpirun: the frames are gathered to
// one writer rank (BufferedWriter), as for LMDB; both stores read back exactly the frames the same
// run wrote into an LMDB store.
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

TEST(FixColumnar, OneTwoAndFourRanksWriteH5AndH5pEqualToLmdb) {
    const std::string input = cu_system() +
                              "fix a all asebytes 10 frames.lmdb elements Cu velocities yes\n"
                              "fix b all asebytes 10 frames.h5 elements Cu velocities yes\n"
                              "fix c all asebytes 10 frames.h5p elements Cu velocities yes\nrun 30\n";
    for (int np : {1, 2, 4}) {
        SCOPED_TRACE("np " + std::to_string(np));
        TempDir dir;
        const auto r = run_lammps(dir.path(), input, np);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        const auto lmdb = rows_of(dir / "frames.lmdb");
        ASSERT_EQ(lmdb.size(), 4u);
        EXPECT_EQ(rows_of(dir / "frames.h5"), lmdb);
        EXPECT_EQ(rows_of(dir / "frames.h5p"), lmdb);
    }
}

}  // namespace
}  // namespace asebytes::test
