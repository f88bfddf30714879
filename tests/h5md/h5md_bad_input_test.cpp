// Bad input gets a clear asebytes error naming the file and the H5MD path, never a crash, and
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

void resize(hid_t file, const char* path, std::vector<hsize_t> dims) {
    using namespace asebytes::hdf5;
    Dataset d(H5Dopen2(file, path, H5P_DEFAULT), path, "H5Dopen2");
    check(H5Dset_extent(d.get(), dims.data()), path, "H5Dset_extent");
}

TEST(H5mdBadInput, AFileThatIsNotHdf5IsCorruptDataNamingThePath) {
    TempDir dir;
    const auto path = dir / "text.h5md";
    { std::ofstream(path) << std::string(5000, 'x'); }
    const std::string before = read_bytes(path);
    for (bool ro : {true, false})
        expect_error<CorruptDataError>([&] { ObjectIO io(path.string(), opening(ro)); },
                                       {path.string(), "not an HDF5 file"});
    EXPECT_EQ(read_bytes(path), before);
}

TEST(H5mdBadInput, HdfFiveThatIsNotH5mdIsCorruptDataAndStaysUntouched) {
    TempDir dir;
    const auto path = dir / "columnar.h5md";
    fs::copy_file(golden_dir() / "periodic.h5", path);
    const std::string before = read_bytes(path);
    for (bool ro : {true, false})
        expect_error<CorruptDataError>([&] { ObjectIO io(path.string(), opening(ro)); },
                                       {path.string(), "not an H5MD file", "/h5md"});
    EXPECT_EQ(read_bytes(path), before);
}

TEST(H5mdBadInput, AnEmptyHdfFiveFileIsNotH5mdWhenReadAndBecomesH5mdWhenWritten) {
    TempDir dir;
    const auto path = dir / "empty.h5md";
    {
        using namespace asebytes::hdf5;
        File f(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), path.string(), "H5Fcreate");
    }
    expect_error<CorruptDataError>([&] { ObjectIO io(path.string(), opening(true)); },
                                   {path.string(), "not an H5MD file"});
    ObjectIO io(path.string());
    io.extend({Row{{"calc.energy", Value(-1.0)}}});
    EXPECT_EQ(list_groups(path.string()), (std::vector<std::string>{"atoms"}));
}

TEST(H5mdBadInput, AnElementWithoutValueIsCorruptDataNamingTheElement) {
    TempDir dir;
    const auto path = copy_golden("periodic.h5md", dir);
    edit_raw(path, [](hid_t f) { H5Ldelete(f, "/particles/atoms/position/value", H5P_DEFAULT); });
    for (bool ro : {true, false})
        expect_error<CorruptDataError>([&] { ObjectIO io(path.string(), opening(ro)); },
                                       {path.string(), "'/particles/atoms/position'", "no 'value' dataset"});
}

TEST(H5mdBadInput, AValueWithFewerFramesThanTheGroupIsCorruptDataNamingIt) {
    TempDir dir;
    const auto path = copy_golden("periodic.h5md", dir);
    edit_raw(path, [](hid_t f) { resize(f, "/observables/atoms/potential_energy/value", {12}); });
    expect_error<CorruptDataError>(
        [&] { ObjectIO io(path.string(), opening(true)); },
        {path.string(), "/observables/atoms/potential_energy/value", "12 frames", "20"});
}

TEST(H5mdBadInput, AnAtomAxisNarrowerThanTheAtomCountsIsCorruptDataNamingIt) {
    TempDir dir;
    const auto path = copy_golden("periodic.h5md", dir);
    edit_raw(path, [](hid_t f) { resize(f, "/particles/atoms/force/value", {20, 8, 3}); });
    expect_error<CorruptDataError>([&] { ObjectIO io(path.string(), opening(true)); },
                                   {path.string(), "/particles/atoms/force/value", "8 atoms", "64"});
}

TEST(H5mdBadInput, AMissingGroupIsAnErrorListingTheGroups) {
    TempDir dir;
    const auto path = copy_golden("groups.h5md", dir);
    OpenOptions o = opening(true);
    o.group = "valid";
    expect_error<Error>([&] { ObjectIO io(path.string(), o); }, {path.string(), "valid", "test, train"});
}

// As znh5md writes them: no /asebytes/<group>, NaN padding alone marks the atoms of a frame.
TEST(H5mdBadInput, AFileOfAnotherH5mdWriterIsReadAsPythonReadsItAndRefusesWrites) {
    TempDir dir;
    const auto path = copy_golden("periodic.h5md", dir);
    edit_raw(path, [](hid_t f) { H5Ldelete(f, "/asebytes/atoms", H5P_DEFAULT); });
    const auto want = truth_rows(golden_dir() / "periodic.h5md.atoms.read.json");
    const std::string before = read_bytes(path);
    {
        ObjectIO io(path.string(), opening(true));
        ASSERT_EQ(io.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i)
            EXPECT_EQ(*io.get(i), want[i]) << i;
    }
    EXPECT_TRUE(read_bytes(path) == before) << "a read-only opening changed the file";
    ObjectIO io(path.string());
    expect_error<NotSupportedError>([&] { io.extend({want[0]}); }, {path.string(), "read-only", "znh5md"});
    expect_error<NotSupportedError>([&] { io.erase(0); }, {path.string(), "read-only"});
    ASSERT_EQ(io.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i)
        EXPECT_EQ(*io.get(i), want[i]) << i;
}

TEST(H5mdBadInput, UnknownOptionsAreErrorsNamingThem) {
    TempDir dir;
    OpenOptions o;
    o.options = {{"autor", "Ada"}};
    expect_error<Error>([&] { ObjectIO io((dir / "x.h5md").string(), o); }, {"autor"});
}

} // namespace
} // namespace asebytes::test
