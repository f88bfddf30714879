// Files we write are read by ASE (ase.io.read(format="extxyz"), python3-ase) with exactly the
// values our reader gives, and those are the values written (as ASE places them).
#include <gtest/gtest.h>

#include <fstream>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "python.hpp"

namespace asebytes::test {
namespace {

class ExtxyzAse : public PythonTest {
protected:
    // The rows ASE reads from `file`.
    std::vector<Row> ase_reads(const std::string& file) {
        const std::string out = path("ase.json");
        run_ = run_python_script(fs::path(ASEBYTES_SOURCE_DIR) / "tests" / "extxyz" / "ase_reads_extxyz.py",
                                 {file, out});
        if (!run_.ok) return {};
        return truth_rows(out);
    }
    std::vector<Row> we_read(const std::string& file, std::map<std::string, std::string> options = {}) {
        OpenOptions o;
        o.readonly = true;
        o.options = std::move(options);
        ObjectIO io(file, o);
        std::vector<Row> rows;
        for (const auto& r : io.rows())
            rows.push_back(*r);
        return rows;
    }
    void write(const std::string& file, const std::vector<Row>& rows,
               std::map<std::string, std::string> options = {}) {
        OpenOptions o;
        o.options = std::move(options);
        ObjectIO(file, o).extend(rows);
    }
    PythonRun run_;
};

TEST_F(ExtxyzAse, AseReadsOurEthanolAsWeDo) {
    const std::string file = path("ethanol.xyz");
    write(file, truth_rows(golden_dir() / "ethanol.json"));
    const auto ase = ase_reads(file);
    ASSERT_PYTHON_OK(run_);
    EXPECT_EQ(ase, we_read(file));
}

TEST_F(ExtxyzAse, AseReadsOurPeriodicFramesAsWeDoWithEveryDigit) {
    const std::string file = path("periodic.extxyz");
    const auto written = truth_rows(golden_dir() / "periodic.json");
    write(file, written);
    const auto ase = ase_reads(file);
    ASSERT_PYTHON_OK(run_);
    ASSERT_EQ(ase, we_read(file));
    for (std::size_t i = 0; i < written.size(); ++i)
        for (const char* key : {"cell", "pbc", "arrays.numbers", "arrays.positions", "calc.energy",
                                "calc.forces", "calc.stress", "info.config_type"})
            EXPECT_EQ(ase[i].at(key), written[i].at(key)) << "row " << i << " key " << key;
}

TEST_F(ExtxyzAse, AseReadsRowsThatCameFromAnAseFileUnchanged) {
    const std::string file = path("again.xyz");
    const auto truth = truth_rows(golden_dir() / "periodic.xyz.read.json");
    write(file, truth);
    const auto ase = ase_reads(file);
    ASSERT_PYTHON_OK(run_);
    EXPECT_EQ(ase, truth);
}

TEST_F(ExtxyzAse, AseReadsInfoValuesOfEveryKindAsWeDo) {
    const std::string file = path("info.xyz");
    Row row = truth_rows(golden_dir() / "periodic.json").at(0);
    row["info.words"] = Value("two words \"quoted\"");
    row["info.ints"] = Value(NdArray::from<std::int64_t>({1, 2, 3}));
    row["info.matrix"] = Value(NdArray::from<double>({2, 2}, {1.5, 2, 3, 4}));
    row["info.nested"] = Value(Map{{"a", Value(List{Value("x"), Value(1)})}});
    row["info.flag"] = Value(false);
    row["info.count"] = Value(7);
    row["arrays.tags"] = Value(NdArray::from<std::int32_t>({1, 2, 3, 4}));
    row["arrays.mask"] = Value(NdArray::from<bool>(std::vector<bool>{true, false, true, false}));
    write(file, {row});
    const auto ase = ase_reads(file);
    ASSERT_PYTHON_OK(run_);
    EXPECT_EQ(ase, we_read(file));
}

// Comment lines and columns ASE types in its own ways: int cells, partial pbc, quoted keys, int
// energy, 3x3 stress and virial, dipole, free energy, Z beside species, per-atom results,
// move_mask (FixAtoms), charge, an empty comment, upper-case symbols, JSON values.
TEST_F(ExtxyzAse, AseAndWeReadUnusualFilesAlike) {
    const std::string file = path("unusual.xyz");
    {
        std::ofstream out(file);
        out << "2\n"
               "Lattice=\"4 0 0 0 4 0 0 0 4\" "
               "Properties=species:S:1:pos:R:3:Z:I:1:magmoms:R:1:energies:R:1:move_mask:L:1:charge:R:1 "
               "pbc=\"T F T\" \"my key\"=5 energy=-1 stress=\"1 2 3 4 5 6 7 8 9\" dipole=\"0.1 0.2 0.3\" "
               "free_energy=2.5 virial=\"1 0 0 0 1 0 0 0 1\" eq=\"a=b\" big=1e5 list=1,2,3 t=True\n"
               "CU 0 0 0 29 0.5 -1.0 T 0.1\n"
               "h 1 1 1 1 0.0 -2.0 F -0.1\n"
               "1\n"
               "\n"
               "He 0 0 0\n"
               "1\n"
               "Properties=species:S:1:pos:R:3 s=\"_JSON [\\\"a\\\", \\\"b\\\"]\" f=\"_JSON [1.5, 2]\" "
               "b=\"_JSON [true, false]\" nested=\"_JSON {\\\"x\\\": {\\\"y\\\": null}}\"\n"
               "Ne 0 0 0\n";
    }
    const auto ase = ase_reads(file);
    ASSERT_PYTHON_OK(run_);
    EXPECT_EQ(ase, we_read(file));
}

} // namespace
} // namespace asebytes::test
