// Wherever fix asebytes stands among the fixes, its frames hold the state LAMMPS writes to
// `dump custom` on the same steps (lammps-plugin/README.md, Order): with the fixes that change
// forces (setforce, langevin), velocities (temp/rescale), the box (deform) or everything (rigid,
// shake), defined before or after it, and again after `unfix`/`fix` between two runs. Labels:
// by default the force field's (forces equal a `fix store/force` defined before every other fix,
// energy and stress equal computes of the force-field terms); with `labels total` those LAMMPS
// reports (dump fx, thermo pe, compute pressure NULL virial). On 1 and 2 ranks.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "asebytes/asebytes.hpp"
#include "lammps_run.hpp"

namespace asebytes::test {
namespace {

constexpr double kNktv2pMetal = 1.6021765e6;                       // LAMMPS metal: bar * A^3 / eV
constexpr double kAseVelocity = 1.0 / (1e3 * 0.09822694788464063); // A/ps -> A per ASE time unit

// 27 flexible water molecules (O-H bonds, H-O-H angles, LJ between oxygens), metal units.
std::string water_system(const fs::path& dir, bool nve) {
    std::ofstream(dir / "water.mol") << "# water\n\n3 atoms\n2 bonds\n1 angles\n\nCoords\n\n"
                                        "1 0.0 0.0 0.0\n2 0.7570 0.5859 0.0\n3 -0.7570 0.5859 0.0\n\n"
                                        "Types\n\n1 1\n2 2\n3 2\n\nBonds\n\n1 1 1 2\n2 1 1 3\n\n"
                                        "Angles\n\n1 1 2 1 3\n";
    return std::string("units metal\natom_style molecular\nboundary p p p\nlattice sc 4.0\n"
                       "region box block 0 3 0 3 0 3\n"
                       "create_box 2 box bond/types 1 angle/types 1 extra/bond/per/atom 2 "
                       "extra/angle/per/atom 1 extra/special/per/atom 2\n"
                       "mass 1 15.999\nmass 2 1.008\n"
                       "pair_style lj/cut 5.0\npair_coeff 1 1 0.0067 3.1656\npair_coeff * 2 0.0 1.0\n"
                       "bond_style harmonic\nbond_coeff 1 20.0 0.9572\n"
                       "angle_style harmonic\nangle_coeff 1 2.0 104.52\n"
                       "molecule water water.mol\ncreate_atoms 0 box mol water 4823\n"
                       "velocity all create 300.0 87287 mom yes rot yes dist gaussian\n") +
           (nve ? "fix nve all nve\n" : "") + "timestep 0.0005\n";
}

struct Case {
    const char* name;
    bool water;
    bool nve;
    const char* fix; // the fix under test, ID c
};

const Case kCases[] = {
    {"setforce", false, true, "fix c all setforce NULL 0.0 NULL"},
    {"langevin", false, true, "fix c all langevin 600.0 600.0 0.1 48279"},
    {"temp_rescale", false, true, "fix c all temp/rescale 1 300.0 300.0 10.0 1.0"},
    {"deform", false, true, "fix c all deform 1 x scale 1.05 remap x"},
    {"rigid", true, false, "fix c all rigid molecule"},
    {"shake", true, true, "fix c all shake 0.0001 20 0 b 1 a 1"},
};

struct Param {
    Case c;
    bool asebytes_first;
    int np;
};

void PrintTo(const Param& p, std::ostream* os) {
    *os << p.c.fix << (p.asebytes_first ? ", after fix asebytes" : ", before fix asebytes") << ", np "
        << p.np;
}

std::string name_of(const ::testing::TestParamInfo<Param>& info) {
    return std::string(info.param.c.name) + (info.param.asebytes_first ? "_before" : "_after") + "_np" +
           std::to_string(info.param.np);
}

// The first occurrence of every step: dump and thermo print the state at the end of a run, and
// the next run's first step is that step again.
template <class T, class StepOf> std::map<long long, T> by_step(const std::vector<T>& items, StepOf step_of) {
    std::map<long long, T> m;
    for (const auto& item : items)
        m.emplace(step_of(item), item);
    return m;
}

class FixOrder : public ::testing::TestWithParam<Param> {};

TEST_P(FixOrder, FramesHoldTheDumpsStateAndTheLabelsOfTheirComputes) {
    const Param p = GetParam();
    TempDir dir;
    const std::string asebytes = "fix pot all asebytes 5 pot.lmdb velocities yes\n"
                                 "fix tot all asebytes 5 tot.lmdb velocities yes labels total\n";
    const std::string input =
        (p.c.water ? water_system(dir.path(), p.c.nve) : cu_system()) + "fix sf all store/force\n" +
        (p.asebytes_first ? asebytes : "") + p.c.fix + "\n" + (p.asebytes_first ? "" : asebytes) +
        "compute epot all pe pair bond angle dihedral improper kspace\n"
        "compute ppot all pressure NULL pair bond angle dihedral improper kspace\n"
        "compute pv all pressure NULL virial\n"
        "thermo_style custom step pe c_epot c_ppot[1] c_ppot[2] c_ppot[3] c_ppot[4] c_ppot[5] c_ppot[6] "
        "c_pv[1] c_pv[2] c_pv[3] c_pv[4] c_pv[5] c_pv[6]\n"
        "thermo_modify format float %.17g\nthermo 5\n"
        "dump d all custom 5 dump.txt id x y z vx vy vz fx fy fz f_sf[1] f_sf[2] f_sf[3]\n"
        "dump_modify d sort id format float %.17g\n"
        "run 10\nunfix c\n" +
        p.c.fix + "\nrun 10\n";
    const auto r = run_lammps(dir.path(), input, p.np);
    ASSERT_EQ(r.exit_code, 0) << r.output;

    const auto dump = by_step(read_dump(dir / "dump.txt"), [](const DumpFrame& d) { return d.step; });
    const auto thermo = by_step(read_thermo(dir / "log.lammps"), [](const std::map<std::string, double>& t) {
        return static_cast<long long>(t.at("Step"));
    });
    ASSERT_EQ(dump.size(), 5u);
    ASSERT_EQ(thermo.size(), 5u);
    const char* axes[] = {"x", "y", "z"};
    const char* voigt[] = {"[1]", "[2]", "[3]", "[6]", "[5]", "[4]"}; // ASE xx yy zz yz xz xy
    for (const bool total : {false, true}) {
        AtomsIO io((dir / (total ? "tot.lmdb" : "pot.lmdb")).string());
        std::map<long long, Frame> frames;
        for (std::int64_t k = 0; k < static_cast<std::int64_t>(io.size()); ++k) {
            Frame f = *io.get(k);
            frames.emplace(f.info.at("step").as_int(), std::move(f));
        }
        ASSERT_EQ(frames.size(), dump.size()) << (total ? "labels total" : "labels potential");
        for (const auto& [step, d] : dump) {
            SCOPED_TRACE(std::string(total ? "labels total" : "labels potential") + ", step " +
                         std::to_string(step));
            ASSERT_EQ(frames.count(step), 1u);
            const Frame& f = frames.at(step);
            const auto& t = thermo.at(step);
            ASSERT_EQ(f.natoms(), d.columns.at("id").size());
            const auto forces = *f.forces();
            const auto momenta = f.arrays.at("momenta").as_array().to_vector<double>();
            const auto masses = f.arrays.at("masses").as_array().to_vector<double>();
            for (int a = 0; a < 3; ++a)
                EXPECT_EQ(f.cell[4 * a], d.hi[a] - d.lo[a]) << axes[a];
            for (std::size_t i = 0; i < f.natoms(); ++i)
                for (int a = 0; a < 3; ++a) {
                    const std::string ax = axes[a];
                    ASSERT_EQ(f.positions[3 * i + a], d.columns.at(ax)[i] - d.lo[a])
                        << "atom " << i << " " << ax;
                    ASSERT_DOUBLE_EQ(momenta[3 * i + a], masses[i] * d.columns.at("v" + ax)[i] * kAseVelocity)
                        << "atom " << i << " v" << ax;
                    const std::string fcol = total ? "f" + ax : "f_sf[" + std::to_string(a + 1) + "]";
                    ASSERT_EQ(forces[3 * i + a], d.columns.at(fcol)[i]) << "atom " << i << " " << fcol;
                }
            EXPECT_EQ(*f.energy(), t.at(total ? "PotEng" : "c_epot"));
            const auto s = *f.stress();
            for (int v = 0; v < 6; ++v) {
                const std::string col = std::string(total ? "c_pv" : "c_ppot") + voigt[v];
                EXPECT_DOUBLE_EQ(s[v], -t.at(col) / kNktv2pMetal) << col;
            }
        }
    }
}

std::vector<Param> params() {
    std::vector<Param> out;
    for (const Case& c : kCases)
        for (const bool first : {true, false})
            for (const int np : {1, 2})
                out.push_back({c, first, np});
    return out;
}

INSTANTIATE_TEST_SUITE_P(Fixes, FixOrder, ::testing::ValuesIn(params()), name_of);

} // namespace
} // namespace asebytes::test
