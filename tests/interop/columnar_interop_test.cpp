// Interop of the columnar HDF5 stores with real Python asebytes 0.3.1: Python reads the .h5 and
// .h5p files we write as it reads its own, and we read the .h5p files Python writes.
#include <algorithm>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "interop_scripts.hpp"
#include "python.hpp"

namespace asebytes::test {
namespace {

class PythonReadsOurColumnar : public PythonTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(PythonReadsOurColumnar, EthanolAndPeriodicAsItReadsItsOwnFiles) {
    for (const char* name : {"ethanol", "periodic"}) {
        SCOPED_TRACE(name);
        const std::string ours = path(std::string(name) + GetParam());
        ObjectIO(ours).extend(truth_rows(golden_dir() / (std::string(name) + ".json")));
        ASSERT_PYTHON_OK(run_columnar_check({ours, golden(std::string(name) + ".h5")}));
    }
}

TEST_P(PythonReadsOurColumnar, AStoreEditedInTheMiddle) {
    const std::string ours = path("edited" + GetParam());
    const std::string reference = path("reference.h5");
    write_edited_and_reference(ours, reference);
    ASSERT_PYTHON_OK(run_columnar_check({ours, reference}));
}

// Python appends to our file without our _present flags: its rows read as Python reads them, ours
// keep theirs, and appending again after Python keeps both.
TEST_P(PythonReadsOurColumnar, AndAppendsToItAndWeReadBothWritersRows) {
    const std::string store = path("shared" + GetParam());
    const auto ours = truth_rows(golden_dir() / "periodic.json");
    const auto python = truth_rows(golden_dir() / "periodic.h5.default.read.json");
    ObjectIO(store).extend(std::vector<Row>(ours.begin(), ours.begin() + 10));
    ASSERT_PYTHON_OK(run_columnar_check({"--append", store, golden("periodic.h5"), "10", "15"}));
    ObjectIO io(store);
    io.extend(std::vector<Row>(ours.begin() + 15, ours.end()));
    ASSERT_EQ(io.size(), 20u);
    for (std::size_t i = 0; i < 20; ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), i >= 10 && i < 15 ? python[i] : ours[i]) << i;
}

INSTANTIATE_TEST_SUITE_P(Layouts, PythonReadsOurColumnar, ::testing::Values(".h5", ".h5p"),
                         [](const auto& i) {
                             return i.param == ".h5" ? std::string("ragged") : std::string("padded");
                         });

class WeReadPythonColumnar : public PythonTest {};

TEST_F(WeReadPythonColumnar, PaddedStoreExactlyAsPythonReadsItsRaggedOne) {
    const std::string padded = path("periodic.h5p");
    ASSERT_PYTHON_OK(run_columnar_check({"--write-padded", padded, golden("periodic.h5")}));
    ObjectIO io(padded, opening(true));
    const auto truth = truth_rows(golden_dir() / "periodic.h5.default.read.json");
    ASSERT_EQ(io.size(), truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), truth[i]) << i;
}

// info values with NaN and the infinities inside lists and dicts, the rows of
// tests/interop/json_cells.py: stored as the text of Python's json.dumps (`[1.5, NaN]`), read as
// Python's json.loads reads it.
std::vector<Row> json_cell_rows() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    Row first{
        {"arrays.numbers", NdArray::from<std::int64_t>({1, 8})},
        {"arrays.positions", NdArray::from<double>({2, 3}, std::vector<double>(6, 0.0))},
        {"info.x", List{1.5, nan}},
        {"info.d", Map{{"a", nan}, {"b", List{inf, -inf}}}},
        {"info.nested", Map{{"deep", List{List{nan, 1}, Map{{"e", -inf}, {"s", "\xc3\xa9 \"q\" \\ \n"}}}}}}};
    Row second{{"arrays.numbers", NdArray::from<std::int64_t>({1})},
               {"arrays.positions", NdArray::from<double>({1, 3}, std::vector<double>(3, 1.0))},
               {"info.x", List{nan}},
               {"info.d", Map{{"a", 2.0}, {"b", List{}}}},
               {"info.nested", Map{{"deep", List{}}}}};
    return {first, second};
}

// Value equality with NaN equal to NaN (kinds included: 1 is not 1.0).
bool same(const Value& a, const Value& b) {
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case Value::Kind::Float:
        return a == b || (std::isnan(a.as_double()) && std::isnan(b.as_double()));
    case Value::Kind::List:
        return a.as_list().size() == b.as_list().size() &&
               std::equal(a.as_list().begin(), a.as_list().end(), b.as_list().begin(), same);
    case Value::Kind::Map:
        return a.as_map().size() == b.as_map().size() &&
               std::equal(a.as_map().begin(), a.as_map().end(), b.as_map().begin(),
                          [](const auto& x, const auto& y) {
                              return x.first == y.first && same(x.second, y.second);
                          });
    default:
        return a == b;
    }
}

class JsonCells : public PythonTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(JsonCells, PythonReadsNaNInsideListsAndDictsAsItReadsItsOwn) {
    const std::string ours = path("ours" + GetParam());
    ObjectIO(ours).extend(json_cell_rows());
    ASSERT_PYTHON_OK(run_interop_script("json_cells.py", {"--check", ours}));
}

TEST_P(JsonCells, WeReadPythonsNaNInsideListsAndDictsAsPythonDoes) {
    const std::string python = path("python" + GetParam());
    ASSERT_PYTHON_OK(run_interop_script("json_cells.py", {"--write", python}));
    ObjectIO io(python);
    const auto want = json_cell_rows();
    ASSERT_EQ(io.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        const Row got = *io.get(static_cast<std::int64_t>(i));
        for (const char* key : {"info.x", "info.d", "info.nested"}) {
            ASSERT_EQ(got.count(key), 1u) << "row " << i << " has no " << key;
            EXPECT_TRUE(same(got.at(key), want[i].at(key))) << "row " << i << " " << key;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Layouts, JsonCells, ::testing::Values(".h5", ".h5p", ".h5md"), [](const auto& i) {
    return i.param == ".h5"    ? std::string("ragged")
           : i.param == ".h5p" ? std::string("padded")
                               : std::string("h5md");
});

// Large compressed writes go around HDF5's filter: we deflate whole chunks and store them with
// H5Dwrite_chunk (core/src/backends/hdf5_direct_chunks.hpp), merging the chunks a batch fills only
// in part. Python (h5py's zlib) must read such a store exactly as one written plainly, whatever
// the batches: whole chunks, chunks shared between batches, a small batch (HDF5's own path) in
// between, and padded frames tiled along their atoms.
std::vector<std::vector<Row>> large_frame_batches() {
    std::uint64_t state = 12345;
    auto next = [&] { // small deterministic generator: the values must not compress to nothing
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<double>(state >> 11) / static_cast<double>(1ull << 53);
    };
    auto frame = [&](std::int64_t natoms, std::int64_t step) {
        Frame f;
        f.numbers.assign(static_cast<std::size_t>(natoms), 29);
        for (std::int64_t i = 0; i < natoms; ++i)
            f.numbers[static_cast<std::size_t>(i)] = i % 3 == 0 ? 28 : 29;
        f.positions.resize(3 * static_cast<std::size_t>(natoms));
        for (auto& x : f.positions)
            x = 40.0 * next();
        std::vector<double> forces(f.positions.size());
        for (auto& x : forces)
            x = next() - 0.5;
        f.set_forces(forces);
        f.set_energy(-3.5 * static_cast<double>(natoms));
        f.info["step"] = step;
        f.cell = {40, 0, 0, 0, 40, 0, 0, 0, 40};
        f.pbc = {true, true, true};
        return f.to_row();
    };
    return {{frame(12000, 0)},
            {frame(12000, 1), frame(11000, 2), frame(12000, 3)},
            {frame(50, 4)},
            {frame(12000, 5), frame(12000, 6)},
            {frame(30000, 7)}};
}

class PythonReadsOurLargeCompressedWrites : public PythonTest,
                                            public ::testing::WithParamInterface<std::string> {};

TEST_P(PythonReadsOurLargeCompressedWrites, AsItReadsThePlainStoreOfTheSameRows) {
    const std::string ours = path("large" + GetParam());
    const std::string plain = path("plain.h5");
    OpenOptions uncompressed;
    uncompressed.options["compression"] = "none";
    {
        ObjectIO gz(ours), none(plain, uncompressed);
        for (const auto& batch : large_frame_batches()) {
            gz.extend(batch);
            none.extend(batch);
        }
    } // closed: HDF5 files have no concurrent readers
    ASSERT_PYTHON_OK(run_columnar_check({ours, plain}));
    ObjectIO gz(ours, opening(true)), none(plain, opening(true));
    ASSERT_EQ(gz.size(), 8u);
    for (std::size_t i = 0; i < gz.size(); ++i)
        EXPECT_EQ(*gz.get(static_cast<std::int64_t>(i)), *none.get(static_cast<std::int64_t>(i)))
            << "row " << i;
}

// The other way: large rows of stores h5py compressed (with upstream's chunks: 64 atoms a chunk
// of per-atom data) read through our own inflating of the chunks as HDF5 reads them.
TEST_P(PythonReadsOurLargeCompressedWrites, AndWeReadPythonsLargeCompressedStores) {
    const std::string plain = path("plain.h5");
    const std::string python = path("python" + GetParam());
    OpenOptions uncompressed;
    uncompressed.options["compression"] = "none";
    {
        ObjectIO writer(plain, uncompressed);
        for (const auto& batch : large_frame_batches())
            writer.extend(batch);
    }
    ASSERT_PYTHON_OK(run_columnar_check({"--write-padded", python, plain}));
    ObjectIO none(plain, opening(true)), theirs(python, opening(true));
    ASSERT_EQ(theirs.size(), none.size());
    for (std::size_t i = 0; i < none.size(); ++i) {
        const auto want = *none.get(static_cast<std::int64_t>(i));
        const auto got = *theirs.get(static_cast<std::int64_t>(i));
        for (const char* key : {"arrays.numbers", "arrays.positions", "calc.forces", "calc.energy", "cell"})
            EXPECT_EQ(got.at(key), want.at(key)) << "row " << i << " " << key;
    }
}

INSTANTIATE_TEST_SUITE_P(Layouts, PythonReadsOurLargeCompressedWrites,
                         ::testing::Values(".h5", ".h5p", ".h5md"),
                         [](const auto& i) { return i.param.substr(1); });

} // namespace
} // namespace asebytes::test
