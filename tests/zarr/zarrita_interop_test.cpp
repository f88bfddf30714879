// Zarr compatibility without Python's zarr 3 (Debian ships zarr 2): zarrita, an independent
// Zarr v3 implementation from the npm registry, reads every array of our stores with the values
// our store layer reads (both layouts, compression on and off), and we read the stores zarrita
// writes through codecs and settings other than ours.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "asebytes/asebytes.hpp"
#include "zarr_test_store.hpp"

namespace asebytes::test {
namespace {

void expect_zarrita_reads_what_we_read(const std::string& store, const std::string& group) {
    const Json ours = arrays_as_we_read_them(store, group);
    const std::string out = run_zarrita({"read", store, group});
    if (out.empty()) return;
    const Json theirs = Json::parse(out);
    ASSERT_FALSE(ours.empty());
    for (const auto& [name, array] : ours.items()) {
        SCOPED_TRACE(name);
        ASSERT_TRUE(theirs["arrays"].contains(name)) << "zarrita does not see the array";
        EXPECT_EQ(theirs["arrays"][name]["shape"], array["shape"]);
        EXPECT_EQ(theirs["arrays"][name]["values"], array["values"]);
    }
    EXPECT_EQ(theirs["arrays"].size(), ours.size());
    EXPECT_EQ(theirs["attributes"]["n_frames"],
              load_json(fs::path(store) / group / "zarr.json")["attributes"]["n_frames"]);
}

struct Case {
    std::string name, extension;
    std::map<std::string, std::string> options;
};

class ZarritaReadsOurs : public ::testing::TestWithParam<Case> {};

// The golden periodic frames (variable atom counts, strings, ints, bools) and edits in place.
TEST_P(ZarritaReadsOurs, EveryArrayWithTheValuesWeRead) {
    TempDir dir;
    const std::string store = (dir / ("s" + GetParam().extension)).string();
    OpenOptions o;
    o.options = GetParam().options;
    {
        ObjectIO io(store, o);
        io.extend(truth_rows(golden_dir() / "periodic.json"));
        io.update(3, {{"calc.energy", -7.25}});
        io.extend(truth_rows(golden_dir() / "ethanol.json"));
    }
    expect_zarrita_reads_what_we_read(store, "default");
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, ZarritaReadsOurs,
    ::testing::Values(Case{"RaggedLz4", ".zarr", {}}, Case{"PaddedLz4", ".zarrp", {}},
                      Case{"RaggedUncompressed", ".zarr", {{"compressor", "none"}}},
                      Case{"PaddedZstdNoShuffle", ".zarrp", {{"compressor", "zstd"}, {"shuffle", "no"}}},
                      Case{"RaggedSmallChunks", ".zarr", {{"chunk_frames", "3"}}}),
    [](const auto& i) { return i.param.name; });

// zarrita.mjs write: blosc with zstd/bitshuffle, lz4hc/noshuffle and blosclz, zstd with a checksum
// over big-endian bytes, gzip, uncompressed vlen-utf8, chunks that do not divide the arrays.
// Zarr v3 allows two chunk key encodings with either separator: "default" ("c/0/1" or "c.0.1")
// and "v2" ("0.1" or "0/1"). zarr-python writes ours (default, "/"); other writers may not.
void reencode_chunk_keys(const fs::path& group, const std::string& encoding, char separator) {
    std::vector<fs::path> arrays; // first, as the moves below change the tree
    for (const auto& entry : fs::recursive_directory_iterator(group))
        if (entry.is_directory() && fs::exists(entry.path() / "zarr.json") &&
            load_json(entry.path() / "zarr.json")["node_type"] == "array")
            arrays.push_back(entry.path());
    for (const auto& array : arrays) {
        const fs::path meta = array / "zarr.json";
        Json doc = load_json(meta);
        const fs::path chunks = array / "c";
        std::vector<std::pair<fs::path, fs::path>> moves;
        for (const auto& c : fs::recursive_directory_iterator(chunks)) {
            if (!c.is_regular_file()) continue;
            std::string key;
            for (const auto& part : fs::relative(c.path(), chunks))
                key += (key.empty() ? "" : std::string(1, separator)) + part.string();
            if (encoding == "default") key = "c" + std::string(1, separator) + key;
            moves.emplace_back(c.path(), array / key);
        }
        const fs::path moved = array / "moved-chunks";
        fs::rename(chunks, moved);
        for (auto& [from, to] : moves) {
            fs::create_directories(to.parent_path());
            fs::rename(moved / fs::relative(from, chunks), to);
        }
        fs::remove_all(moved);
        doc["chunk_key_encoding"] = {{"name", encoding},
                                     {"configuration", {{"separator", std::string(1, separator)}}}};
        std::ofstream(meta, std::ios::trunc) << doc.dump(2);
    }
}

TEST(ChunkKeyEncodings, OtherThanOursReadTheSameHereAndInZarrita) {
    for (const auto& [encoding, separator] :
         std::vector<std::pair<std::string, char>>{{"default", '.'}, {"v2", '.'}, {"v2", '/'}}) {
        SCOPED_TRACE(encoding + " '" + separator + "'");
        TempDir dir;
        const std::string store = (dir / "s.zarr").string();
        OpenOptions o;
        o.options = {{"chunk_frames", "3"}}; // several chunks along the frames
        ObjectIO(store, o).extend(truth_rows(golden_dir() / "periodic.json"));
        const Json before = arrays_as_we_read_them(store, "default");
        reencode_chunk_keys(fs::path(store) / "default", encoding, separator);
        ASSERT_FALSE(fs::exists(fs::path(store) / "default" / "calc.energy" / "c" / "0"))
            << "nothing was moved";
        EXPECT_EQ(arrays_as_we_read_them(store, "default"), before);
        expect_zarrita_reads_what_we_read(store, "default");
    }
}

TEST(WeReadZarritas, AStoreThroughOtherCodecsAndSettingsReadsAsItsRows) {
    TempDir dir;
    const std::string store = (dir / "zarrita.zarr").string();
    run_zarrita({"write", store});
    if (::testing::Test::HasFailure()) return;
    AtomsIO io(store);
    ASSERT_EQ(io.size(), 3u);
    const std::vector<std::vector<std::int64_t>> numbers{{1, 8}, {6, 1, 1}, {29}};
    const double energies[] = {-1.5, INFINITY, -3.25};
    const Value labels[] = {Value("bulk"), Value("mol\u00e9cule"), Value(List{1, 2.5})};
    std::size_t atom = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        SCOPED_TRACE("frame " + std::to_string(i));
        const auto f = io.get(static_cast<std::int64_t>(i));
        ASSERT_TRUE(f.has_value());
        EXPECT_EQ(f->numbers, numbers[i]);
        for (std::size_t k = 0; k < 3 * f->natoms(); ++k)
            EXPECT_EQ(f->positions[k], static_cast<double>(3 * atom + k) * 0.25 - 1);
        atom += f->natoms();
        EXPECT_EQ(f->energy(), energies[i]);
        EXPECT_EQ(f->info.at("label"), labels[i]);
        for (std::size_t k = 0; k < 9; ++k)
            EXPECT_EQ(f->cell[k], (9 * i + k) % 4 == 0 ? 5.0 : 0.0);
    }
    EXPECT_EQ(io.get(0)->pbc, (std::array<bool, 3>{true, true, true}));
    EXPECT_EQ(io.get(2)->pbc, (std::array<bool, 3>{true, false, true}));
}

} // namespace
} // namespace asebytes::test
