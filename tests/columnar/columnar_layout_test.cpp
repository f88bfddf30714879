// What we write is Python's layout: the golden rows give the golden file's datasets, types,
// shapes, chunks, filters, fill values and attributes (docs/formats/columnar.md), except where we keep
// more than Python on purpose (see core/include/asebytes/backends/columnar.hpp).
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "raw_hdf5.hpp"

namespace asebytes::test {
namespace {

std::vector<Row> golden_rows(const std::string& name) { return truth_rows(golden_dir() / (name + ".json")); }

OpenOptions with(std::map<std::string, std::string> options) {
    OpenOptions o;
    o.options = std::move(options);
    return o;
}

// Python stores int and bool info as float64 (and reads them back as float); we keep their type.
const std::map<std::string, std::string> kTypedByUs = {{"info.step", "int64"},
                                                       {"info.converged", "bool-enum"}};

class ColumnarWrites : public ::testing::TestWithParam<std::string> {};

// Per-atom columns of the ragged layout are chunked by about 1 MiB of atom rows, at most the
// rows of the first write (core/src/backends/hdf5_chunks.hpp), where upstream chunks them by 64
// atoms; chunk shape is not part of the format, and Python reads ours (tests/interop).
// The golden stores' atoms are far less than 1 MiB, written in one go: one chunk holds them all.
RawDataset with_python_chunk(RawDataset mine, const RawDataset& python, bool per_atom) {
    if (!per_atom) return mine;
    EXPECT_EQ(mine.chunk, mine.shape) << "per-atom chunk";
    EXPECT_NE(python.chunk[0], mine.chunk[0]) << "upstream's chunks are 64 atoms";
    mine.chunk = python.chunk;
    return mine;
}

TEST_P(ColumnarWrites, GoldenRowsGiveThePythonFilesStructure) {
    TempDir dir;
    const auto ours = dir / (GetParam() + ".h5");
    ObjectIO(ours.string()).extend(golden_rows(GetParam()));
    const RawGroup got = inspect_group(ours, "default");
    const RawGroup want = inspect_group(golden_dir() / (GetParam() + ".h5"), "default");
    // "utf8-vlen [4]: arrays.charges, arrays.numbers, ..." (raw_hdf5.cpp's attribute text)
    const std::string per_atom = want.attributes.at("per_atom_columns") + ",";
    const auto is_per_atom = [&](const std::string& name) {
        return per_atom.find(": " + name + ",") != std::string::npos ||
               per_atom.find(", " + name + ",") != std::string::npos;
    };
    for (const auto& [name, python] : want.datasets) {
        ASSERT_TRUE(got.datasets.count(name)) << "missing dataset " << name;
        const RawDataset mine = with_python_chunk(got.datasets.at(name), python, is_per_atom(name));
        if (kTypedByUs.count(name)) {
            EXPECT_EQ(mine.type, kTypedByUs.at(name)) << name;
            EXPECT_EQ(mine.shape, python.shape) << name;
            EXPECT_EQ(mine.chunk, python.chunk) << name;
            continue;
        }
        EXPECT_EQ(describe(mine), describe(python)) << name;
    }
    for (const auto& kv : got.datasets) {
        if (!want.datasets.count(kv.first)) {
            EXPECT_EQ(kv.first, "constraints") << "only constraints are ours alone";
        }
    }
    EXPECT_EQ(got.subgroups, (std::vector<std::string>{"_present"}));
    ASSERT_EQ(got.attributes.size(), want.attributes.size());
    for (const char* attr : {"n_frames", "per_atom_columns", "asebytes_version"})
        EXPECT_EQ(got.attributes.at(attr), want.attributes.at(attr)) << attr;
    std::string columns = got.attributes.at("columns");
    if (got.datasets.count("constraints")) {
        columns.replace(columns.find("constraints, "), 13, "");
        columns.replace(columns.find('['), columns.find(']') - columns.find('[') + 1,
                        "[" + std::to_string(std::stoi(columns.substr(columns.find('[') + 1)) - 1) + "]");
    }
    EXPECT_EQ(columns, want.attributes.at("columns"));
}

INSTANTIATE_TEST_SUITE_P(Golden, ColumnarWrites, ::testing::Values("ethanol", "periodic"),
                         [](const auto& i) { return i.param; });

TEST(ColumnarLayout, PaddedStoresPadPerAtomColumnsToTheLargestFrameWithNAtoms) {
    TempDir dir;
    const auto path = dir / "periodic.h5p";
    ObjectIO(path.string()).extend(golden_rows("periodic"));
    const RawGroup g = inspect_group(path, "default");
    EXPECT_FALSE(g.datasets.count("_offsets"));
    EXPECT_EQ(describe(g.datasets.at("_n_atoms")),
              "int32 (20) unlimited chunk (20) filters [deflate(4)] fill 0");
    EXPECT_EQ(describe(g.datasets.at("arrays.positions")),
              "float64 (20,64,3) unlimited chunk (20,64,3) filters [deflate(4)] fill nan");
    EXPECT_EQ(describe(g.datasets.at("calc.energy")),
              "float64 (20) unlimited chunk (20) filters [deflate(4)] fill nan");
}

TEST(ColumnarLayout, CompressionAndChunkingFollowTheBackendOptions) {
    TempDir dir;
    const auto plain = dir / "plain.h5", strong = dir / "strong.h5";
    ObjectIO(plain.string(), with({{"compression", "none"}, {"chunk_frames", "8"}}))
        .extend(golden_rows("periodic"));
    ObjectIO(strong.string(), with({{"compression_opts", "9"}})).extend(golden_rows("periodic"));
    for (const auto& [name, d] : inspect_group(plain, "default").datasets)
        EXPECT_EQ(d.filters, "") << name;
    EXPECT_EQ(inspect_group(plain, "default").datasets.at("calc.energy").chunk,
              (std::vector<unsigned long long>{8}));
    EXPECT_EQ(inspect_group(strong, "default").datasets.at("calc.forces").filters, "deflate(9)");
    EXPECT_EQ(inspect_group(strong, "default").datasets.at("info.config_type").filters, "")
        << "strings are never compressed";
    EXPECT_EQ(ObjectIO(plain.string()).get(5), ObjectIO(strong.string()).get(5));
    EXPECT_THROW(ObjectIO((dir / "x.h5").string(), with({{"compression", "lzf"}})), Error);
    EXPECT_THROW(ObjectIO((dir / "x.h5").string(), with({{"level", "3"}})), Error);
}

// Each layout, with gzip (the default) and without compression.
struct LayoutSpec {
    std::string extension, compression;
};

class ColumnarLayouts : public ::testing::TestWithParam<LayoutSpec> {
protected:
    std::string store(const TempDir& dir) const { return (dir / ("s" + GetParam().extension)).string(); }
    ObjectIO open(const TempDir& dir) const {
        return ObjectIO(store(dir), with({{"compression", GetParam().compression}}));
    }
};

TEST_P(ColumnarLayouts, SmallFramesThenLargerOnesReadBackExactly) {
    TempDir dir;
    auto rows = golden_rows("periodic");
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return a.at("arrays.numbers").as_array().size() < b.at("arrays.numbers").as_array().size();
    });
    ObjectIO io = open(dir);
    for (std::size_t i = 0; i < rows.size(); i += 3)
        io.extend(std::vector<Row>(rows.begin() + static_cast<std::ptrdiff_t>(i),
                                   rows.begin() + static_cast<std::ptrdiff_t>(std::min(i + 3, rows.size()))));
    ObjectIO again = open(dir);
    ASSERT_EQ(again.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(*again.get(static_cast<std::int64_t>(i)), rows[i]) << i;
}

TEST_P(ColumnarLayouts, InsertAndEraseInTheMiddleKeepPerAtomDataAligned) {
    TempDir dir;
    auto rows = golden_rows("periodic");
    ObjectIO io = open(dir);
    io.extend(rows);
    io.insert(3, rows[19]);
    rows.insert(rows.begin() + 3, rows[19]);
    io.erase(10);
    rows.erase(rows.begin() + 10);
    io.rows(Slice(0, 2)).erase();
    rows.erase(rows.begin(), rows.begin() + 2);
    ASSERT_EQ(io.size(), rows.size());
    const auto forces = io.column("calc.forces").to_list();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), rows[i]) << i;
        EXPECT_EQ(*forces[i], rows[i].at("calc.forces")) << i;
    }
}

TEST_P(ColumnarLayouts, ValuesOfTheWrongTypeAreRefusedAndChangeNothing) {
    TempDir dir;
    const auto rows = golden_rows("periodic");
    ObjectIO io = open(dir);
    io.extend(rows);
    Row bad = rows[0];
    bad["calc.energy"] = Value("high");
    EXPECT_THROW(io.extend({bad}), TypeError);
    EXPECT_THROW(io.set(4, bad), TypeError);
    bad = rows[0];
    bad["calc.forces"] = NdArray::from<double>({2, 3}, std::vector<double>(6, 0.0));
    try {
        io.insert(2, bad);
        ADD_FAILURE() << "no error";
    } catch (const TypeError& e) {
        EXPECT_NE(std::string(e.what()).find("calc.forces"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("row 2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(io.extend({Row{{"_offsets", Value(1)}}}), KeyError);
    EXPECT_THROW(io.extend({Row{{"info.z", Value(NdArray("<c16", {1}, std::vector<std::uint8_t>(16)))}}}),
                 TypeError);
    EXPECT_THROW(io.extend({Row{{"info.raw", Value(Binary{1, 2})}}}), TypeError);
    EXPECT_THROW(io.extend({Row{{"calc.energy", Value()}}}), TypeError) << "None in a float column";
    ASSERT_EQ(io.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), rows[i]) << i;
}

TEST_P(ColumnarLayouts, PlaceholdersAreRowsWithoutAtomsOrValues) {
    TempDir dir;
    {
        ObjectIO io = open(dir);
        io.extend({golden_rows("periodic")[0]});
        io.reserve(2);
    }
    ObjectIO io = open(dir);
    EXPECT_EQ(io.size(), 3u);
    EXPECT_FALSE(io.get(1).has_value());
    EXPECT_FALSE(io.get(2).has_value());
    const RawGroup g = inspect_group(store(dir), "default");
    EXPECT_EQ(g.attributes.at("n_frames"), "int64 scalar: 3");
}

TEST_P(ColumnarLayouts, UpdatesKeepEveryOtherCellAndMayChangeAFramesAtomCount) {
    TempDir dir;
    auto rows = golden_rows("periodic");
    ObjectIO io = open(dir);
    io.extend(rows);
    const auto forces =
        NdArray::from<double>(rows[5].at("calc.forces").as_array().shape(),
                              std::vector<double>(rows[5].at("calc.forces").as_array().size(), 0.25));
    io.update(5, Row{{"calc.energy", Value(-1.5)},
                     {"calc.forces", Value(forces)},
                     {"info.config_type", Value("edited")}});
    rows[5]["calc.energy"] = Value(-1.5);
    rows[5]["calc.forces"] = Value(forces);
    rows[5]["info.config_type"] = Value("edited");
    io.column("calc.energy").set(std::vector<Value>(rows.size(), Value(0.5)));
    for (auto& r : rows)
        r["calc.energy"] = Value(0.5);
    Row other_size; // frame 7 takes the atoms of frame 0
    for (const char* k : {"arrays.numbers", "arrays.positions", "calc.forces"})
        other_size[k] = rows[0].at(k);
    io.update(7, other_size);
    for (const auto& [k, v] : other_size)
        rows[7][k] = v;
    EXPECT_THROW(io.update(8, Row{{"arrays.positions", rows[0].at("arrays.positions")}}), TypeError)
        << "positions of another atom count alone would leave forces of the old count";
    ObjectIO again = open(dir);
    ASSERT_EQ(again.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(*again.get(static_cast<std::int64_t>(i)), rows[i]) << i;
}

INSTANTIATE_TEST_SUITE_P(Both, ColumnarLayouts,
                         ::testing::Values(LayoutSpec{".h5", "gzip"}, LayoutSpec{".h5", "none"},
                                           LayoutSpec{".h5p", "gzip"}, LayoutSpec{".h5p", "none"}),
                         [](const auto& i) {
                             return (i.param.extension == ".h5" ? std::string("ragged_")
                                                                : std::string("padded_")) +
                                    i.param.compression;
                         });

} // namespace
} // namespace asebytes::test
