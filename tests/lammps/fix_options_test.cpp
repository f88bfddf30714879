// Argument parsing and unit factors, without LAMMPS.
#include <gtest/gtest.h>

#include "ase_units.hpp"
#include "asebytes/elements.hpp"
#include "fix_options.hpp"

namespace asebytes::lammps {
namespace {

FixOptions parse(std::vector<std::string> args, int ntypes = 2) { return FixOptions::parse(args, ntypes); }

TEST(FixOptions, DefaultsFollowTheDocumentation) {
    const auto o = parse({"10", "run.lmdb"});
    EXPECT_EQ(o.every, 10);
    EXPECT_EQ(o.store, "run.lmdb");
    EXPECT_TRUE(o.energy && o.forces && o.stress && o.ase_units);
    EXPECT_FALSE(o.velocities || o.peratom_energy || o.charges || o.append || o.overwrite ||
                 o.kinetic_stress);
    EXPECT_EQ(o.pe_compute, "");
    EXPECT_TRUE(o.potential_labels);
    EXPECT_EQ(o.buffer_frames, 64u);
    EXPECT_EQ(o.flush_every, 0);
    EXPECT_EQ(o.flush_log, "");
}

TEST(FixOptions, ParsesEveryKeyword) {
    const auto o =
        parse({"5",      "x.lmdb",      "elements", "Cu",          "O",          "energy", "c_mype",
               "stress", "total",       "forces",   "no",          "velocities", "yes",    "peratom_energy",
               "on",     "charges",     "1",        "array",       "ke",         "c_ke",   "info",
               "t",      "v_temp",      "if",       "v_sel",       "units",      "native", "append",
               "yes",    "store_group", "md",       "buffer",      "16",         "buffer", "2G",
               "flush",  "100",         "flushlog", "flushed.log", "option",     "sync",   "no",
               "labels", "total"});
    EXPECT_FALSE(o.potential_labels);
    EXPECT_EQ(o.elements, (std::vector<std::string>{"Cu", "O"}));
    EXPECT_EQ(o.pe_compute, "mype");
    EXPECT_TRUE(o.kinetic_stress);
    EXPECT_FALSE(o.forces);
    EXPECT_TRUE(o.velocities && o.peratom_energy && o.charges && o.append);
    EXPECT_EQ(o.arrays.at(0).source, "c_ke");
    EXPECT_EQ(o.infos.at(0).key, "t");
    EXPECT_EQ(o.if_variable, "sel");
    EXPECT_FALSE(o.ase_units);
    EXPECT_EQ(*o.store_group, "md");
    EXPECT_EQ(o.buffer_frames, 16u);
    EXPECT_EQ(o.buffer_bytes, std::size_t{2} << 30);
    EXPECT_EQ(o.flush_every, 100);
    EXPECT_EQ(o.flush_log, "flushed.log");
    EXPECT_EQ(o.backend_options.at("sync"), "no");
}

TEST(FixOptions, AcceptsOnlyWellFormedSources) {
    for (const char* ok : {"c_a", "c_a[1]", "f_b[12]", "v_x", "i_flag", "d_w"})
        EXPECT_NO_THROW(parse({"1", "s", "array", "k", ok})) << ok;
    for (const char* bad : {"c_", "c_a[0]", "c_a[", "c_a[x]", "x_a", "v_a[1]", "ca"})
        EXPECT_THROW(parse({"1", "s", "array", "k", bad}), OptionError) << bad;
    EXPECT_THROW(parse({"1", "s", "info", "k", "i_flag"}), OptionError);
    EXPECT_THROW(parse({"1", "s", "array", "bad key", "c_a"}), OptionError);
}

TEST(FixOptions, LabelsArePotentialOrTotal) {
    EXPECT_TRUE(parse({"1", "s", "labels", "potential"}).potential_labels);
    try {
        parse({"1", "s", "labels", "fixes"});
        FAIL() << "labels fixes was accepted";
    } catch (const OptionError& e) {
        EXPECT_NE(std::string(e.what()).find("keyword 'labels' expects potential or total"),
                  std::string::npos)
            << e.what();
    }
}

TEST(FixOptions, SizesTakeUnits) {
    EXPECT_EQ(*parse_bytes("512K"), 512u * 1024);
    EXPECT_EQ(*parse_bytes("64MB"), std::size_t{64} << 20);
    EXPECT_EQ(*parse_bytes("1000"), 1000u);
    EXPECT_FALSE(parse_bytes("lots"));
    EXPECT_FALSE(parse_bytes("-1M"));
}

TEST(AseUnits, MatchAseForEveryUnitStyle) {
    EXPECT_FALSE(AseUnits::for_style("lj"));
    EXPECT_EQ(AseUnits::native().velocity, 1.0);
    const auto metal = *AseUnits::for_style("metal");
    EXPECT_EQ(metal.energy, 1.0);
    EXPECT_EQ(metal.time_ps(), 1.0);
    // 1 bar in eV/A^3 (ase.units.bar) from LAMMPS's metal nktv2p: pressure() / nktv2p.
    EXPECT_NEAR(metal.pressure() / 1.6021765e6, 6.241509125883258e-07, 1e-13);
    const auto real = *AseUnits::for_style("real");
    EXPECT_DOUBLE_EQ(real.energy, 0.04336410390059322);         // kcal/mol
    EXPECT_DOUBLE_EQ(real.velocity, 1.0 / 0.09822694788464063); // A/fs
    const auto si = *AseUnits::for_style("si");
    EXPECT_DOUBLE_EQ(si.force(), 6.241509125883258e+18 / 1e10); // N -> eV/A
    EXPECT_DOUBLE_EQ(si.mass * 1.66053904e-27, 1.0);            // kg -> amu
    const auto electron = *AseUnits::for_style("electron");
    EXPECT_DOUBLE_EQ(electron.force(), 27.211386024367243 / 0.5291772105638411); // Hartree/Bohr
    const auto cgs = *AseUnits::for_style("cgs");
    EXPECT_DOUBLE_EQ(cgs.distance, 1e8);
    EXPECT_NEAR(cgs.charge, 2.0819424e9, 1e3); // statcoulomb -> e
    EXPECT_DOUBLE_EQ(AseUnits::for_style("nano")->distance, 10.0);
    EXPECT_DOUBLE_EQ(AseUnits::for_style("micro")->time_fs, 1e9);
}

TEST(Elements, SymbolsNumbersAndMassGuesses) {
    EXPECT_EQ(atomic_number("Cu"), 29);
    EXPECT_EQ(atomic_number("Xx"), 0);
    EXPECT_STREQ(element_symbol(8), "O");
    EXPECT_EQ(guess_element(63.546).number, 29);
    EXPECT_EQ(guess_element(1.01).number, 1);
    EXPECT_EQ(guess_element(50.0).number, 0);          // between V and Cr
    EXPECT_EQ(guess_element(40.0).ambiguous_with, 20); // Ar or Ca
    const auto co_ni = guess_element(58.8);
    EXPECT_EQ(co_ni.number, 27);
    EXPECT_EQ(co_ni.ambiguous_with, 28);
}

} // namespace
} // namespace asebytes::lammps
