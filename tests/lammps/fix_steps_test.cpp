// Which steps become frames: a frame is left out only when it repeats the last stored frame
// (lammps-plugin/README.md, Steps); every other frame is stored and counted, also after
// reset_timestep, in a `run 0` loop that moves atoms, in another simulation appended to a
// store, and in every section of an input with `clear`.
#include <gtest/gtest.h>

#include <map>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"
#include "store_rows.hpp"

namespace asebytes::test {
namespace {

TEST(FixSteps, ResetTimestepStoresTheSecondRun) {
    TempDir dir;
    const auto r = run_lammps(
        dir.path(), cu_system() + "fix f all asebytes 10 f.lmdb\nrun 20\nreset_timestep 0\nrun 20\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{0, 10, 20, 0, 10, 20}));
    EXPECT_FALSE(r.has(" 0 frames this run")) << r.output;
}

TEST(FixSteps, TheRunBoundaryDuplicateIsSkippedAndCounted) {
    TempDir dir;
    const auto r = run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.lmdb\nrun 20\nrun 20\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{0, 10, 20, 30, 40}));
    EXPECT_TRUE(r.has("2 frames this run, 1 skipped (repeat of the last stored frame)")) << r.output;
}

TEST(FixSteps, ARunZeroLoopThatMovesAtomsStoresEveryConfigurationAsTheDumpHasIt) {
    TempDir dir;
    const auto r =
        run_lammps(dir.path(), cu_system() + "fix f all asebytes 1 f.lmdb\n"
                                             "variable i loop 3\nlabel again\n"
                                             "displace_atoms all move 0.05 0.0 0.0 units box\n"
                                             "run 0\n"
                                             // dump custom writes step 0 once; write_dump each state
                                             "write_dump all custom dump.txt id x y z modify sort id "
                                             "format float %.17g append yes\n"
                                             "next i\njump SELF again\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    AtomsIO io((dir / "f.lmdb").string());
    const auto dump = read_dump(dir / "dump.txt");
    ASSERT_EQ(io.size(), 3u);
    ASSERT_EQ(dump.size(), 3u);
    for (std::size_t k = 0; k < dump.size(); ++k) {
        const Frame f = *io.get(static_cast<std::int64_t>(k));
        EXPECT_EQ(f.info.at("step").as_int(), 0);
        for (std::size_t i = 0; i < f.natoms(); ++i)
            EXPECT_EQ(f.positions[3 * i], dump[k].columns.at("x")[i] - dump[k].lo[0])
                << "frame " << k << " atom " << i;
    }
}

TEST(FixSteps, AnotherSimulationAppendedStoresAllItsFrames) {
    TempDir dir;
    ASSERT_EQ(run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.lmdb\nrun 20\n").exit_code, 0);
    const auto r = run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.lmdb append yes\nrun 20\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // The same input again: step 0 differs from the last stored frame (step 20), so all three are new.
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{0, 10, 20, 0, 10, 20}));
}

TEST(FixSteps, AnInputWithClearSectionsWritesEachSectionsStore) {
    TempDir dir;
    std::string input;
    for (const char* store : {"a.lmdb", "b.lmdb", "c.lmdb"})
        input += cu_system(2) + "fix f all asebytes 5 " + store + "\nrun 10\nclear\n";
    const auto r = run_lammps(dir.path(), input);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* store : {"a.lmdb", "b.lmdb", "c.lmdb"})
        EXPECT_EQ(steps(dir / store), (std::vector<std::int64_t>{0, 5, 10})) << store;
}

TEST(FixSteps, ClearThenReadRestartContinuesTheStore) {
    TempDir dir;
    const auto r =
        run_lammps(dir.path(),
                   cu_system() + "fix f all asebytes 10 f.lmdb\nrun 20\nwrite_restart r.bin\nclear\n"
                                 "read_restart r.bin\npair_style eam\npair_coeff 1 1 Cu_u3.eam\n"
                                 "fix nve all nve\nfix f all asebytes 10 f.lmdb append yes\nrun 20\n",
                   2);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{0, 10, 20, 30, 40}));
}

// An MD run dumped every 5 steps to dump.txt, then a rerun of it with `fix asebytes 10` and a
// `dump custom 10` to rerun.txt: what LAMMPS itself holds during the rerun (read_dump wraps atoms
// into the box). `keywords` go to the rerun command.
void rerun_every_5_steps(const TempDir& dir, const std::string& keywords) {
    const auto md =
        run_lammps(dir.path(), cu_system() + "dump d all custom 5 dump.txt id type x y z\n"
                                             "dump_modify d sort id format float %.17g\nrun 20\n");
    ASSERT_EQ(md.exit_code, 0) << md.output;
    const auto r = run_lammps(dir.path(), cu_system() +
                                              "fix f all asebytes 10 f.lmdb\n"
                                              "dump r all custom 10 rerun.txt id x y z\n"
                                              "dump_modify r sort id format float %.17g\n"
                                              "rerun dump.txt " +
                                              keywords + "dump x y z\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
}

TEST(FixSteps, RerunStoresTheSnapshotsOnMultiplesOfN) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(rerun_every_5_steps(dir, ""));
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{0, 10, 20}));
    AtomsIO io((dir / "f.lmdb").string());
    const auto dump = read_dump(dir / "rerun.txt");
    ASSERT_EQ(dump.size(), 3u);
    for (std::size_t k = 0; k < io.size(); ++k) {
        const Frame f = *io.get(static_cast<std::int64_t>(k));
        const DumpFrame& d = dump[k];
        ASSERT_EQ(f.info.at("step").as_int(), d.step);
        for (std::size_t i = 0; i < f.natoms(); ++i)
            EXPECT_EQ(f.positions[3 * i + 1], d.columns.at("y")[i] - d.lo[1])
                << "frame " << k << " atom " << i;
    }
}

TEST(FixSteps, RerunStartingBetweenMultiplesOfNStoresOnlyTheMultiples) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(rerun_every_5_steps(dir, "first 5 "));
    // The first snapshot (step 5) is no multiple of 10: neither LAMMPS's dump nor the fix has it.
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{10, 20}));
    std::vector<std::int64_t> dumped;
    for (const auto& d : read_dump(dir / "rerun.txt"))
        dumped.push_back(d.step);
    EXPECT_EQ(dumped, (std::vector<std::int64_t>{10, 20}));
}

TEST(FixSteps, ARunWithPreNoStartsWithAFrameEqualToTheDump) {
    TempDir dir;
    // run 15 ends on step 15, no multiple of 10: the frame the next run starts with is new. The
    // dump every 5 steps has that state (at the end of the first run, which `pre no` keeps).
    const auto r = run_lammps(dir.path(), cu_system() + "fix f all asebytes 10 f.lmdb\n"
                                                        "dump d all custom 5 dump.txt id x y z fx fy fz\n"
                                                        "dump_modify d sort id format float %.17g\n"
                                                        "run 15\nrun 10 pre no\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{0, 10, 15, 20}));
    AtomsIO io((dir / "f.lmdb").string());
    std::map<long long, DumpFrame> dump;
    for (auto& d : read_dump(dir / "dump.txt"))
        dump.emplace(d.step, d);
    for (std::size_t k = 0; k < io.size(); ++k) {
        const Frame f = *io.get(static_cast<std::int64_t>(k));
        const DumpFrame& d = dump.at(f.info.at("step").as_int());
        const auto forces = *f.forces();
        for (std::size_t i = 0; i < f.natoms(); ++i) {
            EXPECT_EQ(f.positions[3 * i], d.columns.at("x")[i] - d.lo[0]) << "step " << d.step;
            EXPECT_EQ(forces[3 * i + 2], d.columns.at("fz")[i]) << "step " << d.step;
        }
    }
}

TEST(FixSteps, ARunWithPreNoRightAfterTheFixIsDefinedDoesItsSetup) {
    TempDir dir;
    const auto r =
        run_lammps(dir.path(), cu_system() + "run 5\nfix f all asebytes 5 f.lmdb\n"
                                             "dump d all custom 5 dump.txt id x y z\nrun 5 pre no\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(steps(dir / "f.lmdb"), (std::vector<std::int64_t>{5, 10}));
    EXPECT_EQ(read_dump(dir / "dump.txt").size(), 2u);
}

TEST(FixSteps, MinimizeStoresNoFramesAndSaysSo) {
    TempDir dir;
    const auto r = run_lammps(dir.path(), cu_system() + "fix f all asebytes 1 f.lmdb\n"
                                                        "minimize 0.0 1.0e-8 5 50\nrun 2\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(r.has("0 frames this run")) << r.output;
    EXPECT_TRUE(r.has("skipped (during minimize)")) << r.output;
    // The run after it starts where minimize stopped.
    const auto s = steps(dir / "f.lmdb");
    ASSERT_EQ(s.size(), 3u);
    EXPECT_GT(s.front(), 0);
}

} // namespace
} // namespace asebytes::test
