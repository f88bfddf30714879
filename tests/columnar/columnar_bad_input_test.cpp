// Bad input gets a clear asebytes error naming the path (and the dataset), never a crash, and
// changes nothing on disk.
#include <gtest/gtest.h>

#include <fstream>

#include "asebytes/asebytes.hpp"
#include "asebytes/backends/columnar.hpp"
#include "expect_error.hpp"
#include "golden.hpp"
#include "hdf5_handles.hpp"
#include "raw_hdf5.hpp"

namespace asebytes::test {
namespace {

TEST(ColumnarBadInput, AFileThatIsNotHdf5IsCorruptDataNamingThePath) {
    TempDir dir;
    const auto path = dir / "text.h5";
    { std::ofstream(path) << std::string(5000, 'x'); }
    const std::string before = read_bytes(path);
    for (bool ro : {true, false})
        expect_error<CorruptDataError>([&] { ObjectIO io(path.string(), opening(ro)); },
                                       {path.string(), "not an HDF5 file"});
    expect_error<CorruptDataError>([&] { list_groups(path.string()); }, {path.string()});
    EXPECT_EQ(read_bytes(path), before);
}

TEST(ColumnarBadInput, ATruncatedFileIsCorruptDataNamingThePath) {
    TempDir dir;
    const auto path = copy_golden("periodic.h5", dir);
    fs::resize_file(path, fs::file_size(path) / 2);
    const std::string before = read_bytes(path);
    for (bool ro : {true, false})
        expect_error<CorruptDataError>([&] { AtomsIO io(path.string(), opening(ro)); }, {path.string()});
    EXPECT_EQ(read_bytes(path), before);
}

TEST(ColumnarBadInput, AMissingGroupIsAnErrorListingTheGroupsThere) {
    TempDir dir;
    const auto path = copy_golden("ethanol.h5", dir);
    OpenOptions o = opening(true);
    o.group = "train";
    expect_error<Error>([&] { ObjectIO io(path.string(), o); }, {path.string(), "train", "default"});
}

TEST(ColumnarBadInput, AGroupWithDatasetsButNoAsebytesAttributesIsNotAColumnarStore) {
    TempDir dir;
    const auto path = copy_golden("ethanol.h5", dir);
    edit_raw(path, [](hid_t f) { H5Adelete_by_name(f, "default", "n_frames", H5P_DEFAULT); });
    expect_error<CorruptDataError>([&] { ObjectIO io(path.string()); }, {path.string(), "n_frames"});
    edit_raw(path, [](hid_t f) {
        const std::int64_t twenty = 20;
        asebytes::hdf5::Dataspace s(H5Screate(H5S_SCALAR), "", "H5Screate");
        asebytes::hdf5::Attribute a(H5Acreate_by_name(f, "default", "n_frames", H5T_STD_I64LE, s.get(),
                                                      H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                    "", "H5Acreate");
        H5Awrite(a.get(), H5T_NATIVE_INT64, &twenty);
        H5Adelete_by_name(f, "default", "columns", H5P_DEFAULT);
    });
    expect_error<CorruptDataError>([&] { ObjectIO io(path.string()); }, {path.string(), "columns"});
}

TEST(ColumnarBadInput, APerAtomDatasetShorterThanOffsetsSayIsCorruptData) {
    TempDir dir;
    const auto path = copy_golden("periodic.h5", dir);
    edit_raw(path, [](hid_t f) {
        asebytes::hdf5::Dataset d(H5Dopen2(f, "default/arrays.positions", H5P_DEFAULT), "", "H5Dopen2");
        const hsize_t dims[2] = {100, 3};
        H5Dset_extent(d.get(), dims);
    });
    for (bool ro : {true, false})
        expect_error<CorruptDataError>([&] { ObjectIO io(path.string(), opening(ro)); },
                                       {path.string(), "arrays.positions", "100", "_offsets"});
}

TEST(ColumnarBadInput, OffsetsShorterThanTheFrameCountAreCorruptData) {
    TempDir dir;
    const auto path = copy_golden("ethanol.h5", dir);
    edit_raw(path, [](hid_t f) {
        asebytes::hdf5::Dataset d(H5Dopen2(f, "default/_offsets", H5P_DEFAULT), "", "H5Dopen2");
        const hsize_t dims[1] = {5};
        H5Dset_extent(d.get(), dims);
    });
    expect_error<CorruptDataError>([&] { ObjectIO io(path.string()); }, {path.string(), "_offsets", "20"});
}

// A writer killed between flushes leaves datasets longer than n_frames, its commit marker. Readers
// stop at n_frames and change nothing, nor does an opening for writing (a kill while it rewrote
// the chunk index could lose frames); cut_uncommitted (`asebytes verify --repair`) cuts them back
// to what a clean writer of those frames leaves (Python asebytes reads whole index datasets).
TEST(ColumnarBadInput, DatasetsPastTheCommittedFramesAreCutOnRequest) {
    TempDir dir;
    const auto path = copy_golden("periodic.h5", dir);
    const auto truth = truth_rows(golden_dir() / "periodic.h5.default.read.json");
    ASSERT_EQ(truth.size(), 20u);
    edit_raw(path, [](hid_t f) { // n_frames = 15, as after a kill (HDF5 1.10 cannot rewrite it in place here)
        using namespace asebytes::hdf5;
        ASSERT_GE(H5Adelete_by_name(f, "default", "n_frames", H5P_DEFAULT), 0);
        Dataspace scalar(H5Screate(H5S_SCALAR), "", "H5Screate");
        Attribute a(H5Acreate_by_name(f, "default", "n_frames", H5T_STD_I64LE, scalar.get(), H5P_DEFAULT,
                                      H5P_DEFAULT, H5P_DEFAULT),
                    "", "H5Acreate");
        const std::int64_t committed = 15;
        ASSERT_GE(H5Awrite(a.get(), H5T_NATIVE_INT64, &committed), 0);
    });
    const auto shapes = [](const fs::path& file) {
        std::map<std::string, std::vector<unsigned long long>> out;
        for (const auto& [name, d] : inspect_group(file, "default").datasets)
            out[name] = d.shape;
        return out;
    };
    const auto killed = shapes(path);
    EXPECT_EQ(ObjectIO(path.string(), opening(true)).size(), 15u);
    EXPECT_EQ(shapes(path), killed) << "a read-only opening changed the file";

    const auto clean = dir / "clean.h5";
    ObjectIO(clean.string()).extend(std::vector<Row>(truth.begin(), truth.begin() + 15));
    EXPECT_NE(killed, shapes(clean));
    { ObjectIO writable(path.string(), opening(false)); }
    EXPECT_EQ(shapes(path), killed) << "an opening for writing changed the file";
    ColumnarBackend(path.string(), "default", ColumnarSettings{}).cut_uncommitted();
    EXPECT_EQ(shapes(path), shapes(clean));
    const auto rows = ObjectIO(path.string()).rows().to_list();
    ASSERT_EQ(rows.size(), 15u);
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(*rows[i], truth[i]) << "frame " << i;
}

} // namespace
} // namespace asebytes::test
