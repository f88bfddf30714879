// What lands on disk for known rows, derived from docs/formats/zarr.md (upstream's ZarrStore on
// zarr-python 3.1.5): the group's and the arrays' zarr.json documents, chunk keys, codecs and
// their parameters, fill values, the chunks left out because they hold only the fill value.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "asebytes/asebytes.hpp"
#include "zarr_test_store.hpp"

namespace asebytes::test {
namespace {

std::string text_of(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> files_under(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& f : fs::recursive_directory_iterator(dir))
        if (f.is_regular_file()) out.push_back(fs::relative(f.path(), dir).string());
    std::sort(out.begin(), out.end());
    return out;
}

Json blosc(int typesize, const char* cname = "lz4", int clevel = 5, const char* shuffle = "shuffle") {
    return {{"name", "blosc"},
            {"configuration",
             {{"typesize", typesize},
              {"cname", cname},
              {"clevel", clevel},
              {"shuffle", shuffle},
              {"blocksize", 0}}}};
}

const Json kLittle = {{"name", "bytes"}, {"configuration", {{"endian", "little"}}}};
const Json kZstd = {{"name", "zstd"}, {"configuration", {{"level", 0}, {"checksum", false}}}};

class ZarrLayout : public ::testing::Test {
protected:
    void SetUp() override { write_two_frames(store_); }
    Json array_doc(const std::string& name) const { return load_json(group_ / name / "zarr.json"); }
    TempDir dir_;
    std::string store_ = (dir_ / "t.zarr").string();
    fs::path group_ = fs::path(store_) / "default";
};

// Python's json.dumps(..., indent=2) of the documents, as zarr-python writes them.
TEST_F(ZarrLayout, TheGroupsZarrJsonHoldsUpstreamsAttributesInItsOrder) {
    EXPECT_EQ(text_of(group_ / "zarr.json"), R"({
  "attributes": {
    "n_frames": 2,
    "columns": [
      "arrays.numbers",
      "arrays.positions",
      "calc.energy",
      "info.label",
      "pbc"
    ],
    "per_atom_columns": [
      "arrays.numbers",
      "arrays.positions"
    ],
    "asebytes_version": "0.3.1"
  },
  "zarr_format": 3,
  "node_type": "group"
})");
}

TEST_F(ZarrLayout, AFloatColumnIsBloscLz4WithNaNFillInUpstreamsKeyOrder) {
    EXPECT_EQ(text_of(group_ / "calc.energy" / "zarr.json"), R"({
  "shape": [
    2
  ],
  "data_type": "float64",
  "chunk_grid": {
    "name": "regular",
    "configuration": {
      "chunk_shape": [
        2
      ]
    }
  },
  "chunk_key_encoding": {
    "name": "default",
    "configuration": {
      "separator": "/"
    }
  },
  "fill_value": "NaN",
  "codecs": [
    {
      "name": "bytes",
      "configuration": {
        "endian": "little"
      }
    },
    {
      "name": "blosc",
      "configuration": {
        "typesize": 8,
        "cname": "lz4",
        "clevel": 5,
        "shuffle": "shuffle",
        "blocksize": 0
      }
    }
  ],
  "attributes": {},
  "zarr_format": 3,
  "node_type": "array",
  "storage_transformers": []
})");
}

TEST_F(ZarrLayout, EachKindOfColumnGetsItsDataTypeFillAndCodecs) {
    const Json positions = array_doc("arrays.positions");
    EXPECT_EQ(positions["shape"], Json::array({5, 3})); // ragged: the atoms of both frames
    EXPECT_EQ(positions["codecs"], Json::array({kLittle, blosc(8)}));
    EXPECT_EQ(positions["chunk_grid"]["configuration"]["chunk_shape"], Json::array({5, 3}));
    const Json pbc = array_doc("pbc");
    EXPECT_EQ(pbc["data_type"], "bool");
    EXPECT_EQ(pbc["fill_value"], false);
    EXPECT_EQ(pbc["codecs"], Json::array({Json{{"name", "bytes"}}, kZstd})); // one-byte type: no endian
    const Json label = array_doc("info.label");
    EXPECT_EQ(label["data_type"], "string");
    EXPECT_EQ(label["fill_value"], "");
    EXPECT_EQ(label["codecs"],
              Json::array({Json{{"name", "vlen-utf8"}, {"configuration", Json::object()}}, kZstd}));
    const Json offsets = array_doc("_offsets"), lengths = array_doc("_lengths");
    EXPECT_EQ(offsets["data_type"], "int64");
    EXPECT_EQ(offsets["fill_value"], 0);
    EXPECT_EQ(lengths["data_type"], "int32");
    EXPECT_EQ(lengths["codecs"], Json::array({kLittle, blosc(4)}));
}

TEST_F(ZarrLayout, ChunkKeysAreGridCoordinatesAndAllFillChunksAreNotStored) {
    const auto files = files_under(group_);
    for (const std::string f : {"calc.energy/c/0", "arrays.positions/c/0/0", "_offsets/c/0", "_lengths/c/0",
                                "info.label/c/0", "_present/zarr.json", "_present/calc.energy/c/0"})
        EXPECT_NE(std::find(files.begin(), files.end(), f), files.end()) << f;
    // pbc is false everywhere: its chunk holds only the fill value (zarr's write_empty_chunks=False).
    EXPECT_FALSE(fs::exists(group_ / "pbc" / "c"));
    for (const auto& f : files)
        EXPECT_EQ(f.find(".tmp"), std::string::npos) << "a temporary file was left: " << f;
}

TEST_F(ZarrLayout, StringsAreStoredAsThePythonJsonTextOfTheValue) {
    const Json arrays = arrays_as_we_read_them(store_, "default");
    EXPECT_EQ(arrays["info.label"]["values"], Json::array({"\"bulk\"", "\"mol\""}));
    EXPECT_EQ(arrays["_offsets"]["values"], Json::array({"0", "3"}));
    EXPECT_EQ(arrays["_lengths"]["values"], Json::array({3, 2}));
}

TEST(ZarrOptions, CompressorLevelAndShuffleChooseTheBloscCodecAndNoneLeavesOnlyBytes) {
    TempDir dir;
    const std::string zstd = (dir / "zstd.zarr").string(), none = (dir / "none.zarrp").string();
    write_two_frames(zstd, {{"compressor", "zstd"}, {"clevel", "3"}, {"shuffle", "no"}});
    write_two_frames(none, {{"compressor", "none"}});
    EXPECT_EQ(load_json(fs::path(zstd) / "default" / "calc.energy" / "zarr.json")["codecs"],
              Json::array({kLittle, blosc(8, "zstd", 3, "noshuffle")}));
    EXPECT_EQ(load_json(fs::path(none) / "default" / "calc.energy" / "zarr.json")["codecs"],
              Json::array({kLittle}));
    EXPECT_EQ(load_json(fs::path(none) / "default" / "info.label" / "zarr.json")["codecs"],
              Json::array({Json{{"name", "vlen-utf8"}, {"configuration", Json::object()}}}));
    EXPECT_EQ(load_json(fs::path(none) / "default" / "arrays.positions" / "zarr.json")["shape"],
              Json::array({2, 3, 3}));
    OpenOptions bad;
    bad.options = {{"compressor", "snappy"}};
    EXPECT_THROW(ObjectIO((dir / "bad.zarr").string(), bad), Error);
}

// Large frames get chunks of about 1 MiB (the HDF5 stores' policy), not upstream's 64 atoms.
TEST(ZarrChunks, PerAtomChunksOfALargeFrameHoldAboutOneMebibyte) {
    TempDir dir;
    const std::string store = (dir / "big.zarr").string();
    const std::int64_t atoms = 100000;
    ObjectIO(store).extend(
        {Row{{"arrays.positions", NdArray::from<double>({atoms, 3}, std::vector<double>(atoms * 3, 1.0))}}});
    const Json doc = load_json(fs::path(store) / "default" / "arrays.positions" / "zarr.json");
    const std::int64_t rows = doc["chunk_grid"]["configuration"]["chunk_shape"][0];
    EXPECT_LE(rows * 24, 1 << 20);
    EXPECT_GE(rows * 24, 1 << 19);
}

} // namespace
} // namespace asebytes::test
