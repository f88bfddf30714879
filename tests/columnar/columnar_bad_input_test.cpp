// Bad input gets a clear asebytes error naming the path (and the dataset), never a crash, and
// changes nothing on disk.
#include <gtest/gtest.h>

#include <fstream>

#include "asebytes/asebytes.hpp"
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

} // namespace
} // namespace asebytes::test
