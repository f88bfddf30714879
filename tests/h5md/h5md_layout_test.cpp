// What we write is Python asebytes' H5MD layout: the golden rows give the golden file's groups,
// datasets (type, shape, chunks, filters, fill value) and attributes (ASE_ENTRY_ORIGIN, unit,
// box description, /h5md metadata), except where we keep more on purpose
// (core/include/asebytes/backends/h5md.hpp).
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "hdf5_handles.hpp"
#include "raw_hdf5.hpp"

namespace asebytes::test {
namespace {

std::vector<Row> golden_rows(const std::string& name) { return truth_rows(golden_dir() / (name + ".json")); }

// Python stores int and bool info as float64 (and reads them back as float); we keep their type.
const std::map<std::string, std::string> kTypedByUs = {{"/observables/atoms/step/value", "int64"},
                                                       {"/observables/atoms/converged/value", "bool-enum"}};
// Rows with integer info.step give every element a per-frame `step` (H5MD's explicit time;
// upstream writes the scalar 1).
const std::string kRealSteps = "int64 (20) unlimited chunk (64) filters [] fill default";
// Value datasets to which we give the unit upstream leaves out (everything else as upstream).
const std::map<std::string, std::string> kUnitsByUs = {
    {"/particles/atoms/charge/value", "utf8-vlen scalar: e"}};
// Attributes whose value names the writer, not the layout.
const std::set<std::string> kWriterAttributes = {"/h5md/creator name", "/h5md/creator version"};

void expect_same_group(const fs::path& ours, const fs::path& python, const std::string& path,
                       bool real_steps) {
    const RawGroup got = inspect_group(ours, path), want = inspect_group(python, path);
    for (const auto& [name, theirs] : want.datasets) {
        const std::string full = path + (path == "/" ? "" : "/") + name;
        ASSERT_TRUE(got.datasets.count(name)) << "missing dataset " << full;
        const RawDataset& mine = got.datasets.at(name);
        if (real_steps && name == "step") {
            EXPECT_EQ(describe(mine), kRealSteps) << full;
            continue;
        }
        if (kTypedByUs.count(full)) {
            EXPECT_EQ(mine.type, kTypedByUs.at(full)) << full;
            EXPECT_EQ(mine.shape, theirs.shape) << full;
        } else {
            EXPECT_EQ(describe(mine), describe(theirs)) << full;
        }
        auto attributes = inspect_attributes(ours, full);
        if (kUnitsByUs.count(full)) {
            EXPECT_EQ(attributes["unit"], kUnitsByUs.at(full)) << full;
            attributes.erase("unit");
        }
        EXPECT_EQ(attributes, inspect_attributes(python, full)) << full;
    }
    for (const auto& kv : got.datasets)
        EXPECT_TRUE(want.datasets.count(kv.first)) << "extra dataset " << path << "/" << kv.first;
    std::vector<std::string> subgroups = got.subgroups;
    // Our presence flags (one per row and key) live beside _n_atoms; Python ignores them.
    if (path == "/asebytes/atoms") subgroups.erase(std::find(subgroups.begin(), subgroups.end(), "_present"));
    EXPECT_EQ(subgroups, want.subgroups) << path;
    ASSERT_EQ(got.attributes.size(), want.attributes.size()) << path;
    for (const auto& [name, value] : want.attributes) {
        ASSERT_TRUE(got.attributes.count(name)) << path << " attribute " << name;
        if (kWriterAttributes.count(path + " " + name)) continue;
        EXPECT_EQ(got.attributes.at(name), value) << path << " attribute " << name;
    }
    for (const auto& sub : want.subgroups)
        expect_same_group(ours, python, path + (path == "/" ? "" : "/") + sub, real_steps);
}

class H5mdWrites : public ::testing::TestWithParam<std::string> {};

TEST_P(H5mdWrites, GoldenRowsGiveThePythonFilesStructure) {
    TempDir dir;
    const auto ours = dir / (GetParam() + ".h5md");
    const auto rows = golden_rows(GetParam());
    ObjectIO(ours.string()).extend(rows);
    const bool real_steps = rows.front().count("info.step") > 0;
    expect_same_group(ours, golden_dir() / (GetParam() + ".h5md"), "/", real_steps);
}

INSTANTIATE_TEST_SUITE_P(Golden, H5mdWrites, ::testing::Values("ethanol", "periodic"),
                         [](const auto& i) { return i.param; });

TEST(H5mdLayout, ValueDatasetsCarryTheirUnits) {
    TempDir dir;
    const auto path = dir / "periodic.h5md";
    ObjectIO(path.string()).extend(golden_rows("periodic"));
    auto unit = [&](const std::string& element) {
        return inspect_attributes(path, element + "/value").at("unit");
    };
    EXPECT_EQ(unit("/particles/atoms/position"), "utf8-vlen scalar: Angstrom");
    EXPECT_EQ(unit("/particles/atoms/force"), "utf8-vlen scalar: eV/Angstrom");
    EXPECT_EQ(unit("/particles/atoms/box/edges"), "utf8-vlen scalar: Angstrom");
    EXPECT_EQ(unit("/observables/atoms/potential_energy"), "utf8-vlen scalar: eV");
    EXPECT_EQ(unit("/observables/atoms/stress"), "utf8-vlen scalar: eV/Angstrom^3");
}

TEST(H5mdLayout, AuthorCompressionAndChunkingFollowTheOptions) {
    TempDir dir;
    const auto path = dir / "plain.h5md";
    OpenOptions o;
    o.options = {{"author", "Ada"}, {"compression", "none"}, {"chunk_frames", "8"}};
    ObjectIO(path.string(), o).extend(golden_rows("periodic"));
    EXPECT_EQ(inspect_attributes(path, "/h5md/author").at("name"), "utf8-vlen scalar: Ada");
    EXPECT_EQ(inspect_attributes(path, "/h5md/creator").at("name"), "utf8-vlen scalar: asebytes-cpp");
    EXPECT_EQ(describe(inspect_group(path, "/particles/atoms/position").datasets.at("value")),
              "float64 (20,64,3) unlimited chunk (8,64,3) filters [] fill nan");
    OpenOptions strong;
    strong.options = {{"compression_opts", "9"}};
    const auto gz = dir / "strong.h5md";
    ObjectIO(gz.string(), strong).extend(golden_rows("periodic"));
    EXPECT_EQ(inspect_group(gz, "/observables/atoms/potential_energy").datasets.at("value").filters,
              "deflate(9)");
}

TEST(H5mdLayout, AppendingExtendsEveryDatasetAndWidensTheAtomAxis) {
    TempDir dir;
    const auto path = dir / "grow.h5md";
    const auto rows = golden_rows("periodic");
    {
        ObjectIO io(path.string());
        io.extend(std::vector<Row>(rows.begin(), rows.begin() + 1)); // 4 atoms
    }
    EXPECT_EQ(inspect_group(path, "/particles/atoms/position").datasets.at("value").shape,
              (std::vector<unsigned long long>{1, 4, 3}));
    ObjectIO io(path.string());
    io.extend(std::vector<Row>(rows.begin() + 1, rows.end()));
    EXPECT_EQ(inspect_group(path, "/particles/atoms/position").datasets.at("value").shape,
              (std::vector<unsigned long long>{20, 64, 3}));
    EXPECT_EQ(inspect_group(path, "/asebytes/atoms").datasets.at("_n_atoms").shape,
              (std::vector<unsigned long long>{20}));
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(*io.get(i), rows[i]) << i;
}

std::vector<double> read_doubles(const fs::path& file, const std::string& path) {
    using namespace asebytes::hdf5;
    File f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), file.string(), "H5Fopen");
    Dataset d(H5Dopen2(f.get(), path.c_str(), H5P_DEFAULT), path, "H5Dopen2");
    Dataspace s(H5Dget_space(d.get()), path, "H5Dget_space");
    std::vector<double> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(s.get())));
    check(H5Dread(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), path, "H5Dread");
    return out;
}

Row md_frame(std::int64_t step, double time) {
    Row r;
    r["arrays.numbers"] = Value(NdArray::from<std::int64_t>({29, 29}));
    r["arrays.positions"] = Value(NdArray::from<double>({2, 3}, {0, 0, 0, 1.8, 0, 0}));
    r["calc.energy"] = Value(-7.0);
    r["info.step"] = Value(step);
    r["info.time"] = Value(time);
    return r;
}

TEST(H5mdLayout, RealStepsAndTimesBecomeEveryElementsPerFrameStepAndTime) {
    TempDir dir;
    const auto path = dir / "md.h5md";
    ObjectIO io(path.string());
    io.extend({md_frame(0, 0.0), md_frame(100, 0.1)});
    io.extend({md_frame(200, 0.2)});
    io.flush(); // a new file takes its name at its first flush (README, Reliability)
    for (const char* element : {"/particles/atoms/position", "/particles/atoms/species",
                                "/observables/atoms/potential_energy", "/observables/atoms/step"}) {
        EXPECT_EQ(read_doubles(path, std::string(element) + "/step"), (std::vector<double>{0, 100, 200}))
            << element;
        EXPECT_EQ(read_doubles(path, std::string(element) + "/time"), (std::vector<double>{0.0, 0.1, 0.2}))
            << element;
    }
    EXPECT_EQ(inspect_attributes(path, "/particles/atoms/position/time").at("unit"), "utf8-vlen scalar: ps");
    io.erase(1);
    EXPECT_EQ(read_doubles(path, "/particles/atoms/position/step"), (std::vector<double>{0, 200}));
    EXPECT_EQ(io.column("info.step").to_list(), (std::vector<std::optional<Value>>{Value(0), Value(200)}));
}

TEST(H5mdLayout, WithoutIntegerStepsElementsKeepUpstreamsFixedInterval) {
    TempDir dir;
    const auto path = dir / "periodic.h5md";
    ObjectIO(path.string()).extend(golden_rows("periodic"));
    EXPECT_EQ(describe(inspect_group(path, "/particles/atoms/position").datasets.at("step")),
              "int32 () unlimited chunk () filters [] fill default");
    EXPECT_EQ(read_doubles(path, "/particles/atoms/position/step"), (std::vector<double>{1}));
}

TEST(H5mdLayout, KeysThatWouldShareAnElementAreRefusedBeforeAnythingIsWritten) {
    // ASE's extxyz reader gives forces as both arrays.forces and calc.forces; H5MD (as upstream)
    // stores both in /particles/<group>/force.
    TempDir dir;
    const auto path = dir / "x.h5md";
    Row row = golden_rows("periodic").at(0);
    row["arrays.forces"] = row.at("calc.forces");
    ObjectIO io(path.string());
    try {
        io.extend({row});
        FAIL() << "no error";
    } catch (const KeyError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("'arrays.forces' and 'calc.forces'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("/particles/atoms/force"), std::string::npos) << msg;
    }
    EXPECT_EQ(ObjectIO(path.string()).size(), 0u);
    row.erase("arrays.forces");
    io.extend({row});
    EXPECT_EQ(ObjectIO(path.string()).size(), 1u);
}

} // namespace
} // namespace asebytes::test
