// Bad input gets a clear error naming the path, never a crash, and changes nothing on disk.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "asebytes/asebytes.hpp"
#include "expect_error.hpp"
#include "raw_lmdb.hpp"

namespace asebytes::test {
namespace {

TEST(LmdbBadInput, ADataFileThatIsNotLmdbIsCorruptDataNamingThePath) {
    TempDir dir;
    const auto store = dir / "text.lmdb";
    fs::create_directories(store / "default");
    { std::ofstream(store / "default" / "data.mdb") << std::string(20000, 'x'); }
    const std::string before = read_bytes(store / "default" / "data.mdb");
    for (bool ro : {true, false})
        expect_error<CorruptDataError>([&] { ObjectIO io(store.string(), opening(ro)); },
                                       {store.string(), "not an LMDB file"});
    EXPECT_EQ(read_bytes(store / "default" / "data.mdb"), before);
}

TEST(LmdbBadInput, ATruncatedDataFileIsRefusedBeforeAnyRead) {
    TempDir dir;
    const auto store = copy_golden("periodic.lmdb", dir);
    const auto data = store / "default" / "data.mdb";
    fs::resize_file(data, fs::file_size(data) / 2);
    const std::string before = read_bytes(data);
    for (bool ro : {true, false})
        expect_error<CorruptDataError>([&] { AtomsIO io(store.string(), opening(ro)); },
                                       {store.string(), "truncated"});
    EXPECT_EQ(read_bytes(data), before);
}

TEST(LmdbBadInput, AnLmdbEnvironmentWithForeignKeysIsNotAnAsebytesStore) {
    TempDir dir;
    const auto store = dir / "foreign.lmdb";
    put_raw(store / "default", {{"user", "alice"}, {"0001", "something"}});
    const std::string before = read_bytes(store / "default" / "data.mdb");
    expect_error<CorruptDataError>([&] { ObjectIO io(store.string()); },
                                   {store.string(), "not an asebytes store"});
    expect_error<CorruptDataError>([&] { BlobIO io(store.string(), opening(true)); },
                                   {"not an asebytes store"});
    EXPECT_EQ(read_bytes(store / "default" / "data.mdb"), before);
}

TEST(LmdbBadInput, InconsistentIndexMetadataIsCorruptData) {
    TempDir dir;
    const auto store = copy_golden("ethanol.lmdb", dir);
    put_raw(store / "default", {{"__meta__count", "25"}});
    expect_error<CorruptDataError>([&] { ObjectIO io(store.string()); }, {"__meta__count", "25", "20"});
    put_raw(store / "default", {{"__meta__count", "twenty"}});
    expect_error<CorruptDataError>([&] { ObjectIO io(store.string()); }, {"not a decimal number"});
    put_raw(store / "default", {{"__meta__count", "20"}, {"__blk_sizes__", "\x01"}});
    expect_error<CorruptDataError>([&] { ObjectIO io(store.string()); }, {"__blk_sizes__"});
}

TEST(LmdbBadInput, ACorruptValueNamesStoreRowAndKeyAndOtherRowsStillRead) {
    TempDir dir;
    const auto store = copy_golden("ethanol.lmdb", dir);
    put_raw(store / "default", {{"4-calc.energy", "\xcb\x01\x02"}});
    const std::string before = read_bytes(store / "default" / "data.mdb");
    ObjectIO io(store.string(), opening(true));
    expect_error<CorruptDataError>([&] { io.get(4); }, {store.string(), "row 4", "calc.energy", "truncated"});
    expect_error<CorruptDataError>([&] { io.column("calc.energy").to_list(); }, {"row 4", "calc.energy"});
    expect_error<CorruptDataError>(
        [&] {
            for (const auto& frame : AtomsIO(store.string(), opening(true)))
                (void)frame;
        },
        {store.string(), "row 4", "calc.energy", "truncated"});
    EXPECT_NO_THROW(io.get(3));
    EXPECT_EQ(BlobIO(store.string(), opening(true)).get(4)->at("calc.energy"), "\xcb\x01\x02");
    EXPECT_EQ(read_bytes(store / "default" / "data.mdb"), before);
}

TEST(LmdbBadInput, APathThatIsAFileIsRefused) {
    TempDir dir;
    const auto file = dir / "plain.lmdb";
    { std::ofstream(file) << "not a directory"; }
    expect_error<Error>([&] { ObjectIO io(file.string()); }, {file.string(), "not a directory"});
    EXPECT_EQ(read_bytes(file), "not a directory");
}

TEST(LmdbBadInput, OpeningAMissingStoreReadOnlyCreatesNothing) {
    TempDir dir;
    const auto store = dir / "missing.lmdb";
    expect_error<Error>([&] { ObjectIO io(store.string(), opening(true)); },
                        {store.string(), "no such group"});
    EXPECT_FALSE(fs::exists(store));
    const auto golden = copy_golden("groups.lmdb", dir);
    expect_error<Error>([&] { ObjectIO io(golden.string(), opening(true)); },
                        {"no such group", "test, train"});
}

TEST(LmdbBadInput, UnknownOptionsAndBadValuesAreNamed) {
    TempDir dir;
    OpenOptions o;
    o.options["mapsize"] = "10";
    expect_error<Error>([&] { ObjectIO io((dir / "a.lmdb").string(), o); }, {"mapsize"});
    o.options.clear();
    o.options["map_size"] = "lots";
    expect_error<Error>([&] { ObjectIO io((dir / "a.lmdb").string(), o); }, {"map_size", "lots"});
}

TEST(LmdbReadOnly, OpensAStoreOnAReadOnlyPath) {
    if (geteuid() == 0)
        GTEST_SKIP() << "root writes through read-only permissions: run as a user to test this";
    TempDir dir;
    const auto store = copy_golden("ethanol.lmdb", dir);
    fs::permissions(store / "default",
                    fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove);
    OpenOptions ro;
    ro.readonly = true;
    ObjectIO io(store.string(), ro); // no lock file can be made: LMDB runs without one
    EXPECT_EQ(io.size(), 20u);
    EXPECT_FALSE(fs::exists(store / "default" / "lock.mdb"));
}

} // namespace
} // namespace asebytes::test
