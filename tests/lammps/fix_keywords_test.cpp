// Every keyword of fix asebytes, each in a small real LAMMPS run.
#include <gtest/gtest.h>

#include <numeric>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"

namespace asebytes::test {
namespace {

class FixKeywords : public ::testing::Test {
protected:
    // Runs the Cu system plus `lines`; the run must succeed.
    void run(const std::string& lines, int np = 1) {
        const auto r = run_lammps(dir.path(), cu_system() + lines, np);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        output = r.output;
    }
    std::vector<Row> rows(const std::string& store = "f.lmdb", const std::string& group = "default") {
        OpenOptions o;
        o.group = group;
        std::vector<Row> out;
        for (const auto& r : ObjectIO((dir / store).string(), o))
            out.push_back(*r);
        return out;
    }
    static std::vector<double> doubles(const Row& r, const std::string& key) {
        return r.at(key).as_array().to_vector<double>();
    }

    TempDir dir;
    std::string output;
};

TEST_F(FixKeywords, DefaultsWriteSpeciesPositionsCellEnergyForcesStressStepAndTime) {
    run("fix f all asebytes 5 f.lmdb\nrun 10\n"); // no 'elements': Cu from the mass 63.546
    const auto r = rows();
    ASSERT_EQ(r.size(), 3u);
    Keys keys;
    for (const auto& kv : r[0])
        keys.push_back(kv.first);
    EXPECT_EQ(keys, (Keys{"arrays.numbers", "arrays.positions", "calc.energy", "calc.forces", "calc.stress",
                          "cell", "info.step", "info.time", "pbc"}));
    EXPECT_EQ(r[0].at("arrays.numbers").as_array().to_vector<std::int64_t>(),
              std::vector<std::int64_t>(108, 29));
    EXPECT_EQ(r[2].at("info.step"), Value(10));
    EXPECT_NE(output.find("fix asebytes f: 3 frames this run"), std::string::npos) << output;
}

TEST_F(FixKeywords, EnergyForcesAndStressCanBeLeftOut) {
    run("fix f all asebytes 5 f.lmdb energy no forces no stress no\nrun 5\n");
    for (const char* key : {"calc.energy", "calc.forces", "calc.stress"})
        EXPECT_FALSE(rows()[0].count(key)) << key;
}

TEST_F(FixKeywords, EnergyFromAnotherPeComputeAndTotalStressWithKineticPart) {
    run("compute mype all pe pair\nthermo_style custom step pe pxx pyy pzz pxy pxz pyz\n"
        "thermo_modify format float %.17g\nthermo 5\n"
        "fix f all asebytes 5 f.lmdb energy c_mype stress total\nrun 10\n");
    const auto thermo = read_thermo(dir / "log.lammps");
    const auto r = rows();
    ASSERT_EQ(thermo.size(), r.size());
    for (std::size_t k = 0; k < r.size(); ++k) {
        EXPECT_EQ(r[k].at("calc.energy").as_double(), thermo[k].at("PotEng"));
        const auto s = doubles(r[k], "calc.stress");
        EXPECT_DOUBLE_EQ(s[0], -thermo[k].at("Pxx") / 1.6021765e6);
        EXPECT_DOUBLE_EQ(s[5], -thermo[k].at("Pxy") / 1.6021765e6);
    }
}

TEST_F(FixKeywords, PerAtomEnergiesSumToTheEnergy) {
    run("fix f all asebytes 5 f.lmdb peratom_energy yes\nrun 5\n");
    for (const auto& r : rows()) {
        const auto e = doubles(r, "calc.energies");
        ASSERT_EQ(e.size(), 108u);
        EXPECT_NEAR(std::accumulate(e.begin(), e.end(), 0.0), r.at("calc.energy").as_double(), 1e-9);
    }
}

TEST_F(FixKeywords, VelocitiesAreStoredAsAseMomentaWithMasses) {
    run("fix f all asebytes 5 f.lmdb velocities yes\nrun 5\n");
    const auto r = rows()[0];
    EXPECT_EQ(doubles(r, "arrays.masses"),
              std::vector<double>(108, 63.55)); // pair_coeff takes Cu_u3.eam's mass
    EXPECT_EQ(r.at("arrays.momenta").as_array().shape(), (std::vector<std::int64_t>{108, 3}));
}

TEST_F(FixKeywords, ArraysFromComputesFixesVariablesAndCustomProperties) {
    run("compute ke all ke/atom\ncompute st all stress/atom NULL\nvariable vx2 atom vx*vx\n"
        "fix props all property/atom i_flag d_weight\nset type 1 i_flag 7\nset type 1 d_weight 0.5\n"
        "fix snap all store/state 0 x\n"
        "fix f all asebytes 5 f.lmdb array ke c_ke array sxx c_st[1] array stress c_st array vx2 v_vx2 "
        "array flag i_flag array weight d_weight array x0 f_snap\nrun 5\n");
    const auto r = rows()[1];
    EXPECT_EQ(r.at("arrays.ke").as_array().shape(), (std::vector<std::int64_t>{108}));
    EXPECT_EQ(r.at("arrays.stress").as_array().shape(), (std::vector<std::int64_t>{108, 6}));
    const auto sxx = doubles(r, "arrays.sxx"), stress = doubles(r, "arrays.stress");
    for (std::size_t i = 0; i < 108; ++i)
        EXPECT_EQ(sxx[i], stress[6 * i]);
    EXPECT_EQ(r.at("arrays.flag").as_array().typestr(), "<i8");
    EXPECT_EQ(r.at("arrays.flag").as_array().to_vector<std::int64_t>(), std::vector<std::int64_t>(108, 7));
    EXPECT_EQ(doubles(r, "arrays.weight"), std::vector<double>(108, 0.5));
    const auto ke = doubles(r, "arrays.ke"), vx2 = doubles(r, "arrays.vx2");
    EXPECT_GT(std::accumulate(ke.begin(), ke.end(), 0.0), 0.0);
    EXPECT_GT(std::accumulate(vx2.begin(), vx2.end(), 0.0), 0.0);
    const auto x0 = doubles(rows()[0], "arrays.x0"), positions = doubles(rows()[0], "arrays.positions");
    for (std::size_t i = 0; i < 108; ++i)
        EXPECT_EQ(x0[i], positions[3 * i]); // x at step 0; boxlo is 0
}

TEST_F(FixKeywords, InfoFromVariablesComputesAndFixes) {
    run("compute t all temp\ncompute com all com\nvariable twice equal 2*step\n"
        "fix avg all ave/time 5 1 5 c_thermo_pe\n"
        "fix f all asebytes 5 f.lmdb info twice v_twice info temp c_t info comx c_com[1] info com c_com "
        "info pe_avg f_avg\nrun 10\n");
    const auto r = rows()[2];
    EXPECT_EQ(r.at("info.twice").as_double(), 20.0);
    EXPECT_GT(r.at("info.temp").as_double(), 0.0);
    EXPECT_EQ(r.at("info.com").as_array().size(), 3u); // a compute without a scalar: its vector
    EXPECT_EQ(r.at("info.comx").as_double(), doubles(r, "info.com")[0]);
    EXPECT_NEAR(r.at("info.pe_avg").as_double(), r.at("calc.energy").as_double(), 1e-6);
}

TEST_F(FixKeywords, IfWritesOnlyFramesWhoseVariableIsNonZero) {
    run("variable every20 equal \"step % 20 == 0\"\nfix f all asebytes 10 f.lmdb if v_every20\nrun 60\n");
    std::vector<std::int64_t> steps;
    for (const auto& r : rows())
        steps.push_back(r.at("info.step").as_int());
    EXPECT_EQ(steps, (std::vector<std::int64_t>{0, 20, 40, 60}));
}

TEST_F(FixKeywords, UnitsNativeKeepsLammpsUnits) {
    run("fix f all asebytes 5 f.lmdb velocities yes units native\nrun 5\n");
    const auto r = rows()[0];
    // metal energies and lengths are ASE's already; velocities are not: compare the momenta.
    TempDir other;
    const auto a =
        run_lammps(other.path(), cu_system() + "fix f all asebytes 5 f.lmdb velocities yes\nrun 5\n");
    ASSERT_EQ(a.exit_code, 0) << a.output;
    const auto ase = ObjectIO((other / "f.lmdb").string()).get(0);
    const auto native_p = doubles(r, "arrays.momenta"),
               ase_p = ase->at("arrays.momenta").as_array().to_vector<double>();
    EXPECT_NEAR(ase_p[0] / native_p[0], 1.0 / (1e3 * 0.09822694788464063), 1e-12);
}

TEST_F(FixKeywords, RealUnitsConvertEnergyAndChargesAreStored) {
    const std::string nacl =
        "units real\natom_style charge\nlattice custom 5.64 a1 1 0 0 a2 0 1 0 a3 0 0 1 "
        "basis 0 0 0 basis 0.5 0.5 0 basis 0.5 0 0.5 basis 0 0.5 0.5 basis 0.5 0 0 basis 0 0.5 0 basis 0 0 "
        "0.5 basis 0.5 0.5 0.5\n"
        "region box block 0 2 0 2 0 2\ncreate_box 2 box\n"
        "create_atoms 2 box basis 1 1 basis 2 1 basis 3 1 basis 4 1 basis 5 2 basis 6 2 basis 7 2 basis 8 2\n"
        "mass 1 22.98977\nmass 2 35.453\nset type 1 charge 1.0\nset type 2 charge -1.0\n"
        "pair_style lj/cut/coul/long 5.0\npair_coeff 1 1 0.3526 2.160\npair_coeff 2 2 0.0128 4.830\n"
        "kspace_style pppm 1.0e-4\nthermo_style custom step pe\nthermo_modify format float %.17g\nthermo 5\n"
        "fix nve all nve\nfix f all asebytes 5 f.lmdb charges yes\nrun 5\n";
    const auto r = run_lammps(dir.path(), nacl);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto thermo = read_thermo(dir / "log.lammps");
    const auto frames = rows();
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_DOUBLE_EQ(frames[0].at("calc.energy").as_double(), thermo[0].at("PotEng") * 0.04336410390059322);
    const auto numbers = frames[0].at("arrays.numbers").as_array().to_vector<std::int64_t>();
    const auto q = doubles(frames[0], "arrays.initial_charges");
    for (std::size_t i = 0; i < numbers.size(); ++i)
        EXPECT_EQ(q[i], numbers[i] == 11 ? 1.0 : -1.0); // Na+, Cl-
}

TEST_F(FixKeywords, StoreGroupBufferFlushAndBackendOptions) {
    run("fix f all asebytes 2 f.lmdb store_group md buffer 2 flush 4 option sync no\nrun 20\n");
    EXPECT_EQ(list_groups((dir / "f.lmdb").string()), (std::vector<std::string>{"md"}));
    EXPECT_EQ(rows("f.lmdb", "md").size(), 11u);
    run("fix g all asebytes 5 g.lmdb buffer 1M\nrun 10\n");
    EXPECT_EQ(rows("g.lmdb").size(), 3u);
}

TEST_F(FixKeywords, TheFixGroupSelectsAtoms) {
    run("group low id 1:40\nfix f low asebytes 5 f.lmdb energy no stress no\nrun 5\n");
    EXPECT_EQ(rows()[0].at("arrays.numbers").as_array().size(), 40u);
}

TEST_F(FixKeywords, ABarePathBecomesAnLmdbStore) {
    run("fix f all asebytes 5 frames\nrun 5\n");
    EXPECT_EQ(ObjectIO((dir / "frames.lmdb").string()).size(), 2u);
}

TEST_F(FixKeywords, WorksUnderMpirunWithExtraArrays) {
    run("compute ke all ke/atom\nfix f all asebytes 5 f.lmdb velocities yes peratom_energy yes array ke "
        "c_ke\nrun 10\n",
        2);
    const auto r = rows();
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[2].at("arrays.ke").as_array().size(), 108u);
}

} // namespace
} // namespace asebytes::test
