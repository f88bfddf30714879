// fix asebytes against LAMMPS's own output in the same run: dump custom for per-atom data,
// thermo for energy and the virial pressure; against ASE's dump reader for units and signs;
// and the same frames from 1, 2 and 4 MPI ranks.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"
#include "python.hpp"

namespace asebytes::test {
namespace {

constexpr double kNktv2pMetal = 1.6021765e6;                       // LAMMPS metal: bar * A^3 / eV
constexpr double kAseVelocity = 1.0 / (1e3 * 0.09822694788464063); // A/ps -> A per ASE time unit

std::string reference_input() {
    return cu_system() + "compute pv all pressure NULL virial\n"
                         "thermo_style custom step pe c_pv[1] c_pv[2] c_pv[3] c_pv[4] c_pv[5] c_pv[6]\n"
                         "thermo_modify format float %.17g\n"
                         "thermo 10\n"
                         "dump d all custom 10 dump.txt id type x y z fx fy fz vx vy vz\n"
                         "dump_modify d sort id format float %.17g\n"
                         "fix frames all asebytes 10 frames.lmdb elements Cu velocities yes\n"
                         "run 40\n";
}

class FixReference : public ::testing::Test {
protected:
    void SetUp() override {
        const auto r = run_lammps(dir.path(), reference_input());
        ASSERT_EQ(r.exit_code, 0) << r.output;
    }
    TempDir dir;
};

TEST_F(FixReference, PerAtomDataEqualsDumpCustom) {
    AtomsIO io((dir / "frames.lmdb").string());
    const auto dump = read_dump(dir / "dump.txt");
    ASSERT_EQ(io.size(), 5u);
    ASSERT_EQ(dump.size(), 5u);
    for (std::size_t k = 0; k < dump.size(); ++k) {
        const Frame f = *io.get(static_cast<std::int64_t>(k));
        const DumpFrame& d = dump[k];
        EXPECT_EQ(f.info.at("step").as_int(), d.step);
        ASSERT_EQ(f.natoms(), d.columns.at("id").size());
        const auto forces = *f.forces();
        const auto momenta = f.arrays.at("momenta").as_array().to_vector<double>();
        const auto masses = f.arrays.at("masses").as_array().to_vector<double>();
        const char* axes[] = {"x", "y", "z"};
        for (std::size_t i = 0; i < f.natoms(); ++i) {
            EXPECT_EQ(f.numbers[i], 29);
            for (int a = 0; a < 3; ++a) {
                // Positions are relative to boxlo (ASE has no cell origin); same arithmetic, same bits.
                EXPECT_EQ(f.positions[3 * i + a], d.columns.at(axes[a])[i] - d.lo[a]) << "atom " << i;
                EXPECT_EQ(forces[3 * i + a], d.columns.at(std::string("f") + axes[a])[i]) << "atom " << i;
                EXPECT_DOUBLE_EQ(momenta[3 * i + a],
                                 masses[i] * d.columns.at(std::string("v") + axes[a])[i] * kAseVelocity);
            }
        }
        for (int a = 0; a < 3; ++a)
            EXPECT_EQ(f.cell[4 * a], d.hi[a] - d.lo[a]);
        EXPECT_EQ(f.pbc, (std::array<bool, 3>{true, true, true}));
    }
}

TEST_F(FixReference, EnergyAndStressEqualThermo) {
    AtomsIO io((dir / "frames.lmdb").string());
    const auto thermo = read_thermo(dir / "log.lammps");
    ASSERT_EQ(thermo.size(), io.size());
    for (std::size_t k = 0; k < thermo.size(); ++k) {
        const Frame f = *io.get(static_cast<std::int64_t>(k));
        const auto& t = thermo[k];
        EXPECT_EQ(f.info.at("step").as_int(), static_cast<std::int64_t>(t.at("Step")));
        EXPECT_EQ(*f.energy(), t.at("PotEng"));
        // ASE stress = -(virial pressure), Voigt xx yy zz yz xz xy; LAMMPS: xx yy zz xy xz yz.
        const auto s = *f.stress();
        const char* order[] = {"c_pv[1]", "c_pv[2]", "c_pv[3]", "c_pv[6]", "c_pv[5]", "c_pv[4]"};
        for (int v = 0; v < 6; ++v)
            EXPECT_DOUBLE_EQ(s[v], -t.at(order[v]) / kNktv2pMetal) << order[v];
        EXPECT_DOUBLE_EQ(f.info.at("time").as_double(), 0.002 * static_cast<double>(t.at("Step"))); // ps
    }
}

class FixAgainstAse : public PythonTest {};

TEST_F(FixAgainstAse, AseDumpReaderAgreesOnUnitsAndSigns) {
    const auto r = run_lammps(dir_.path(), reference_input());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_PYTHON_OK(
        run_python_script(fs::path(ASEBYTES_SOURCE_DIR) / "tests" / "lammps" / "ase_dump_check.py",
                          {path("dump.txt"), path("frames.lmdb")}));
}

// The same simulation on 1, 2 and 4 ranks. In the first frame everything LAMMPS was given
// (species, positions, velocities, box) is identical to the bit; what LAMMPS sums over
// neighbours and ranks (energy, forces, stress) depends on the order of the additions, which the
// decomposition changes, so it agrees to round-off, as does everything in later frames.
std::vector<double> numbers_of(const Value& v) {
    return v.is_array() ? v.as_array().to_vector<double>() : std::vector<double>{v.as_double()};
}

TEST(FixDecomposition, OneTwoAndFourRanksWriteTheSameFrames) {
    // Atom ids from create_atoms depend on the decomposition; a data file fixes ids and velocities.
    TempDir setup;
    const auto made = run_lammps(setup.path(), cu_system(4) + "write_data cu.data\n");
    ASSERT_EQ(made.exit_code, 0) << made.output;
    const std::string input = "units metal\natom_style atomic\nread_data '" + (setup / "cu.data").string() +
                              "'\npair_style eam\npair_coeff 1 1 Cu_u3.eam\nfix nve all nve\ntimestep 0.002\n"
                              "fix frames all asebytes 10 frames.lmdb elements Cu velocities yes\nrun 30\n";
    std::vector<std::vector<Row>> runs;
    for (int np : {1, 2, 4}) {
        TempDir dir;
        const auto r = run_lammps(dir.path(), input, np);
        ASSERT_EQ(r.exit_code, 0) << "np " << np << "\n" << r.output;
        std::vector<Row> rows;
        for (const auto& row : ObjectIO((dir / "frames.lmdb").string()))
            rows.push_back(*row);
        runs.push_back(std::move(rows));
    }
    const std::set<std::string> summed{"calc.energy", "calc.forces", "calc.stress"};
    for (std::size_t run = 1; run < runs.size(); ++run) {
        const int np = run == 1 ? 2 : 4;
        ASSERT_EQ(runs[run].size(), 4u);
        for (std::size_t k = 0; k < runs[run].size(); ++k) {
            ASSERT_EQ(runs[run][k].size(), runs[0][k].size());
            for (const auto& [key, value] : runs[0][k]) {
                const Value& other = runs[run][k].at(key);
                if (k == 0 && !summed.count(key)) {
                    EXPECT_EQ(other, value) << key << " of the first frame differs on " << np << " ranks";
                    continue;
                }
                const auto a = numbers_of(value), b = numbers_of(other);
                ASSERT_EQ(a.size(), b.size()) << key;
                for (std::size_t i = 0; i < a.size(); ++i)
                    ASSERT_NEAR(a[i], b[i], 1e-9 * std::max(1.0, std::abs(a[i])))
                        << key << " frame " << k << " np " << np;
            }
        }
    }
}

} // namespace
} // namespace asebytes::test
