// The README's "ASE trajectories (.traj)" snippet, compiled and run (as tests/core/readme_test.cpp
// does for the others).
#include <gtest/gtest.h>

#include <asebytes/asebytes.hpp>

#include "golden.hpp"

using namespace asebytes;

TEST(Readme, TrajSnippetRuns) {
    asebytes::test::TempDir dir;
    const auto cwd = std::filesystem::current_path();
    std::filesystem::copy(asebytes::test::golden_dir() / "ethanol.traj", dir / "md.traj");
    std::filesystem::current_path(dir.path());
    {
        AtomsIO traj("md.traj"); // read only: writes are ReadOnlyError
        std::optional<Frame> last = traj[-1];
        ObjectIO rows("md.traj");                                      // rows as Python asebytes reads them
        Row r = *rows.get(0, Keys{"calc.energy", "arrays.positions"}); // only these arrays are read
        auto energies = rows.column("calc.energy").to_list();
        std::vector<Row> all;
        for (const auto& row : rows.rows())
            all.push_back(*row);
        ObjectIO("md.lmdb").extend(all); // the same as `asebytes convert md.traj md.lmdb`

        EXPECT_EQ(last->natoms(), 9u);
        EXPECT_EQ(r.size(), 2u);
        EXPECT_EQ(energies.size(), 4u);
        EXPECT_EQ(ObjectIO("md.lmdb").size(), 4u);
    }
    std::filesystem::current_path(cwd);
}
