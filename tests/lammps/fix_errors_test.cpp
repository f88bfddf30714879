// Every bad argument ends in a LAMMPS error naming it, and no store is damaged.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"

namespace asebytes::test {
namespace {

struct BadFix {
    std::string name, setup, fix_args, message;
};
void PrintTo(const BadFix& b, std::ostream* os) { *os << b.name; }

class FixErrors : public ::testing::TestWithParam<BadFix> {};

TEST_P(FixErrors, EndsInALammpsErrorNamingTheProblem) {
    TempDir dir;
    const auto& b = GetParam();
    const auto r =
        run_lammps(dir.path(), cu_system() + b.setup + "fix f all asebytes " + b.fix_args + "\nrun 5\n");
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_TRUE(r.has("ERROR: fix asebytes: ")) << r.output;
    EXPECT_TRUE(r.has(b.message)) << "expected: " << b.message << "\n" << r.output;
    EXPECT_FALSE(r.has("Loop time")) << "the run went ahead";
}

INSTANTIATE_TEST_SUITE_P(
    BadArguments, FixErrors,
    ::testing::Values(
        BadFix{"UnknownKeyword", "", "5 f.lmdb colour blue", "unknown keyword 'colour'"},
        BadFix{"MissingValue", "", "5 f.lmdb velocities", "keyword 'velocities' needs a value"},
        BadFix{"BadYesNo", "", "5 f.lmdb forces maybe", "keyword 'forces' expects yes or no, got 'maybe'"},
        BadFix{"ZeroN", "", "0 f.lmdb", "N must be an integer >= 1, got '0'"},
        BadFix{"TextN", "", "often f.lmdb", "N must be an integer >= 1, got 'often'"},
        BadFix{"NoStore", "", "5", "needs N and a store"},
        BadFix{"UnknownElement", "", "5 f.lmdb elements Xx", "keyword 'elements': unknown element 'Xx'"},
        BadFix{"TooFewElements", "", "5 f.lmdb elements",
               "keyword 'elements' needs one element per atom type"},
        BadFix{"UnknownCompute", "", "5 f.lmdb energy c_nope", "energy compute 'nope' does not exist"},
        BadFix{"WrongComputeStyle", "compute pv all pressure NULL virial\n", "5 f.lmdb energy c_pv",
               "compute 'pv' (style pressure) does not compute a potential energy"},
        BadFix{"BadArraySource", "", "5 f.lmdb array ke x_ke", "keyword 'array': invalid source 'x_ke'"},
        BadFix{"ArrayFromMissingCompute", "", "5 f.lmdb array ke c_ke", "compute 'ke' does not exist"},
        BadFix{"InfoFromPerAtomOnly", "compute ke all ke/atom\n", "5 f.lmdb info ke c_ke",
               "compute 'ke' has no global scalar or vector"},
        BadFix{"IfWithAtomVariable", "variable a atom x\n", "5 f.lmdb if v_a",
               "variable 'a' is not equal-style"},
        BadFix{"IfWithoutV", "", "5 f.lmdb if sel", "keyword 'if' expects v_name"},
        BadFix{"BadUnits", "", "5 f.lmdb units si", "keyword 'units' expects ase or native"},
        BadFix{"ChargesWithoutQ", "", "5 f.lmdb charges yes", "needs an atom style with charges"},
        BadFix{"AppendAndOverwrite", "", "5 f.lmdb append yes overwrite yes", "exclude each other"},
        BadFix{"BadBuffer", "", "5 f.lmdb buffer lots", "keyword 'buffer' expects a frame count or a size"},
        BadFix{"UnknownBackendOption", "", "5 f.lmdb option colour blue", "unknown lmdb option(s): 'colour'"},
        BadFix{"RespaWithPotentialLabels", "run_style respa 2 2\n", "5 f.lmdb",
               "run_style respa splits the forces by level: 'labels potential' cannot take"},
        BadFix{"UnknownExtension", "", "5 f.parquet", "no backend for 'f.parquet'"},
        BadFix{"ParallelIntoLmdb", "", "5 f.lmdb parallel yes",
               "keyword 'parallel yes' needs a store every rank can write (.h5, .h5p, .h5md); f.lmdb is "
               "backend lmdb"},
        BadFix{"BadParallel", "", "5 f.h5 parallel sometimes", "keyword 'parallel' expects yes or no"}),
    [](const auto& info) { return info.param.name; });

TEST(FixErrorsLj, LjUnitsNeedUnitsNative) {
    TempDir dir;
    const auto r = run_lammps(
        dir.path(), "units lj\nlattice fcc 0.8442\nregion box block 0 3 0 3 0 3\ncreate_box 1 box\n"
                    "create_atoms 1 box\nmass 1 1.0\npair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0 2.5\n"
                    "fix f all asebytes 5 f.lmdb elements Ar\nrun 5\n");
    EXPECT_TRUE(r.has("ERROR: fix asebytes: units lj has no conversion to ASE units: add 'units native'"))
        << r.output;
}

TEST(FixErrorsStore, NeverClobbersAStoreThatHoldsFrames) {
    TempDir dir;
    auto first = run_lammps(dir.path(), cu_system() + "fix f all asebytes 5 f.lmdb\nrun 10\n");
    ASSERT_EQ(first.exit_code, 0) << first.output;
    const auto before = ObjectIO((dir / "f.lmdb").string()).rows().to_list();
    ASSERT_EQ(before.size(), 3u);
    const auto again = run_lammps(dir.path(), cu_system() + "fix f all asebytes 5 f.lmdb\nrun 10\n");
    EXPECT_NE(again.exit_code, 0);
    EXPECT_TRUE(again.has("already holds 3 frames: use 'append yes' to add to them or 'overwrite yes'"))
        << again.output;
    EXPECT_EQ(ObjectIO((dir / "f.lmdb").string()).rows().to_list(), before);
}

TEST(FixErrorsStore, AGroupOtherThanAllRefusesTheSystemsEnergyAndStress) {
    TempDir dir;
    const auto r =
        run_lammps(dir.path(), cu_system() + "group low id 1:40\nfix f low asebytes 5 f.lmdb\nrun 5\n");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(
        r.has("ERROR: fix asebytes: group low is not all: LAMMPS's energy and stress are the whole system's"))
        << r.output;
    EXPECT_TRUE(r.has("'energy no stress no'")) << r.output;
    EXPECT_FALSE(fs::exists(dir / "f.lmdb") && ObjectIO((dir / "f.lmdb").string()).size() > 0);
}

TEST(FixErrorsStore, TwoFixesOnOneStoreNameBoth) {
    TempDir dir;
    const auto r = run_lammps(
        dir.path(), cu_system() + "fix a all asebytes 5 f.lmdb\nfix b all asebytes 10 ./f.lmdb\nrun 5\n");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(r.has("ERROR: fix asebytes: ./f.lmdb is already written by fix a (fix b would interleave"))
        << r.output;
}

TEST(FixErrorsStore, AStoreCanBeTakenOverAfterUnfix) {
    TempDir dir;
    const auto r = run_lammps(dir.path(), cu_system() + "fix a all asebytes 5 f.lmdb\nrun 5\nunfix a\n"
                                                        "fix b all asebytes 5 f.lmdb append yes\nrun 5\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(ObjectIO((dir / "f.lmdb").string()).size(), 3u); // 0, 5, 10: step 5 repeats
}

TEST(FixErrorsStore, AmbiguousMassesNameTheType) {
    TempDir dir;
    const auto r = run_lammps(dir.path(), cu_system() + "mass 1 58.8\nfix f all asebytes 5 f.lmdb\nrun 5\n");
    EXPECT_TRUE(r.has("ERROR: fix asebytes: atom type 1 has mass 58.8")) << r.output;
    EXPECT_TRUE(r.has("Co or Ni?")) << r.output;
}

} // namespace
} // namespace asebytes::test
