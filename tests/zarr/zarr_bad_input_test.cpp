// Damaged and foreign Zarr stores: missing or malformed zarr.json, codecs we do not read, cut and
// garbled chunks, chunks of another shape, Zarr 2 groups. Each is an asebytes::Error naming the
// store (and the array or chunk), never a crash.
#include <gtest/gtest.h>

#include <fstream>

#include "asebytes/asebytes.hpp"
#include "expect_error.hpp"
#include "zarr_test_store.hpp"

namespace asebytes::test {
namespace {

void overwrite(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

std::vector<std::optional<Row>> read_all(const std::string& store) {
    std::vector<std::optional<Row>> rows;
    for (const auto& r : ObjectIO(store, opening(true)))
        rows.push_back(r);
    return rows;
}

class ZarrBadInput : public ::testing::Test {
protected:
    void SetUp() override { write_two_frames(store_); }
    fs::path array(const std::string& name) const { return fs::path(store_) / "default" / name; }
    TempDir dir_;
    std::string store_ = (dir_ / "t.zarr").string();
};

TEST_F(ZarrBadInput, AGroupWithoutZarrJsonReadOnlyIsAnErrorListingTheGroups) {
    fs::remove(fs::path(store_) / "default" / "zarr.json");
    expect_error<Error>([&] { read_all(store_); }, {"no group 'default'", store_, "none"});
}

TEST_F(ZarrBadInput, AMalformedGroupZarrJsonIsCorruptData) {
    overwrite(fs::path(store_) / "default" / "zarr.json", "{\"attributes\": {\"n_frames\": 2,");
    expect_error<CorruptDataError>([&] { read_all(store_); }, {store_, "zarr.json is not JSON"});
}

TEST_F(ZarrBadInput, AGroupWithAMalformedZarrJsonIsListedAndTheOthersStayReadable) {
    {
        OpenOptions second;
        second.group = "second";
        ObjectIO(store_, second).extend({Row{{"calc.energy", Value(1.5)}}});
    }
    overwrite(fs::path(store_) / "default" / "zarr.json", "{\"attributes\": {\"n_frames\": 2,");
    EXPECT_EQ(list_groups(store_), (std::vector<std::string>{"default", "second"}));
    OpenOptions second = opening(true);
    second.group = "second";
    EXPECT_EQ(ObjectIO(store_, second).size(), 1u);
    expect_error<CorruptDataError>([&] { read_all(store_); }, {store_, "zarr.json is not JSON"});
}

// A writer killed inside its first commit has written arrays but not yet the group's zarr.json,
// which a new store writes at once with 0 frames: the store opens empty.
TEST_F(ZarrBadInput, ArraysOfAFirstCommitThatDidNotFinishLeaveAnEmptyStore) {
    const std::string fresh = (dir_ / "fresh.zarr").string();
    { ObjectIO created(fresh); }
    const fs::path group_json = fs::path(store_) / "default" / "zarr.json";
    fs::copy_file(fs::path(fresh) / "default" / "zarr.json", group_json,
                  fs::copy_options::overwrite_existing);
    EXPECT_EQ(load_json(group_json)["attributes"]["n_frames"], 0);
    EXPECT_EQ(ObjectIO(store_, opening(true)).size(), 0u);
    ObjectIO again(store_);
    again.extend({Row{{"calc.energy", Value(2.5)}}});
    EXPECT_EQ(again.size(), 1u);
    EXPECT_EQ(again.get(0)->at("calc.energy"), Value(2.5));
}

TEST_F(ZarrBadInput, AnArrayZarrJsonThatIsNotJsonIsCorruptDataNamingTheArray) {
    overwrite(array("calc.energy") / "zarr.json", "not json");
    expect_error<Error>([&] { read_all(store_); }, {store_, "calc.energy"});
}

TEST_F(ZarrBadInput, ACodecWeDoNotReadIsNamed) {
    Json doc = load_json(array("calc.energy") / "zarr.json");
    doc["codecs"][1] = {{"name", "sharding_indexed"}, {"configuration", Json::object()}};
    overwrite(array("calc.energy") / "zarr.json", doc.dump());
    expect_error<NotSupportedError>([&] { read_all(store_); }, {"calc.energy", "codec 'sharding_indexed'"});
}

TEST_F(ZarrBadInput, AnExtensionThatMustBeUnderstoodIsRefused) {
    Json doc = load_json(array("calc.energy") / "zarr.json");
    doc["future_feature"] = {{"must_understand", true}};
    overwrite(array("calc.energy") / "zarr.json", doc.dump());
    expect_error<NotSupportedError>([&] { read_all(store_); }, {"future_feature"});
    doc["future_feature"] = {{"must_understand", false}};
    overwrite(array("calc.energy") / "zarr.json", doc.dump());
    EXPECT_EQ(read_all(store_).size(), 2u);
}

TEST_F(ZarrBadInput, ATruncatedChunkIsCorruptDataNamingTheChunk) {
    const fs::path chunk = array("calc.energy") / "c" / "0";
    const std::string bytes = read_bytes(chunk);
    overwrite(chunk, bytes.substr(0, bytes.size() / 2));
    expect_error<CorruptDataError>([&] { read_all(store_); }, {store_, "calc.energy", "chunk 0", "blosc"});
}

// Found by fuzz_zarr: a blosc header declaring 4 GiB once made a vector of that size throw.
TEST_F(ZarrBadInput, AChunkDeclaringAHugeSizeIsCorruptDataNotAnAllocation) {
    const std::string header("\x02\x01\x01\x08\xf0\xff\xff\xff\x00\x00\x01\x00\x10\x00\x00\x00", 16);
    overwrite(array("calc.energy") / "c" / "0", header);
    expect_error<CorruptDataError>([&] { read_all(store_); },
                                   {"calc.energy", "decoded bytes, more than its shape holds"});
}

TEST_F(ZarrBadInput, AZarrJsonDeclaringHugeChunksIsCorruptData) {
    Json doc = load_json(array("arrays.positions") / "zarr.json");
    doc["chunk_grid"]["configuration"]["chunk_shape"] = {1000000000, 3};
    overwrite(array("arrays.positions") / "zarr.json", doc.dump());
    expect_error<CorruptDataError>([&] { read_all(store_); }, {"arrays.positions", "larger than 1 GiB"});
}

TEST_F(ZarrBadInput, AFillValueThatIsNotANumberIsCorruptDataAndAHexOneReads) {
    Json doc = load_json(array("calc.energy") / "zarr.json");
    doc["fill_value"] = "0xZZ";
    overwrite(array("calc.energy") / "zarr.json", doc.dump());
    expect_error<CorruptDataError>([&] { read_all(store_); },
                                   {"calc.energy", "'0xZZ' is not a hexadecimal number"});
    doc["fill_value"] = "0x7ff8000000000000"; // NaN's bits, as zarr v3 allows
    overwrite(array("calc.energy") / "zarr.json", doc.dump());
    EXPECT_EQ(read_all(store_).size(), 2u);
}

TEST_F(ZarrBadInput, AGarbledZstdChunkIsCorruptData) {
    overwrite(array("info.label") / "c" / "0", std::string(40, '\x55'));
    expect_error<CorruptDataError>([&] { read_all(store_); }, {"info.label", "zstd"});
}

TEST_F(ZarrBadInput, AChunkShapeThatDoesNotMatchItsBytesIsCorruptData) {
    Json doc = load_json(array("calc.energy") / "zarr.json");
    doc["chunk_grid"]["configuration"]["chunk_shape"] = {4};
    overwrite(array("calc.energy") / "zarr.json", doc.dump());
    expect_error<CorruptDataError>([&] { read_all(store_); }, {"calc.energy", "where its shape needs 32"});
}

TEST_F(ZarrBadInput, AShapeAndChunkShapeOfDifferentLengthsAreCorruptData) {
    Json doc = load_json(array("calc.energy") / "zarr.json");
    doc["chunk_grid"]["configuration"]["chunk_shape"] = {2, 1};
    overwrite(array("calc.energy") / "zarr.json", doc.dump());
    expect_error<CorruptDataError>([&] { read_all(store_); }, {"calc.energy", "different lengths"});
}

TEST(ZarrForeign, AZarr2GroupIsNotSupportedSayingSo) {
    TempDir dir;
    const fs::path store = dir / "old.zarr";
    fs::create_directories(store / "default");
    overwrite(store / "default" / ".zgroup", "{\"zarr_format\": 2}");
    expect_error<NotSupportedError>([&] { read_all(store.string()); }, {"Zarr 2 group", "only Zarr v3"});
}

TEST(ZarrForeign, AFileUnderAZarrNameIsAnError) {
    TempDir dir;
    const fs::path store = dir / "file.zarr";
    overwrite(store, "hello");
    expect_error<Error>([&] { ObjectIO{store.string()}; }, {store.string()});
}

} // namespace
} // namespace asebytes::test
