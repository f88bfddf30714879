// DeePMD-kit export: one system per composition, a shared type map, and npy arrays holding
// exactly the frames' coordinates, boxes, energies, forces and virials (-stress * volume).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

struct Npy {
    std::string shape; // as in the header, e.g. "(3, 12)"
    std::vector<double> values;
};

// A float64 C-order .npy file, parsed the way numpy does.
Npy read_npy(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string magic(8, '\0');
    in.read(magic.data(), 8);
    EXPECT_EQ(magic, std::string("\x93NUMPY\x01\x00", 8)) << path;
    unsigned char len[2];
    in.read(reinterpret_cast<char*>(len), 2);
    std::string header(static_cast<std::size_t>(len[0] | (len[1] << 8)), '\0');
    in.read(header.data(), static_cast<std::streamsize>(header.size()));
    EXPECT_EQ((10 + header.size()) % 64, 0u) << "header not aligned";
    EXPECT_NE(header.find("'descr': '<f8'"), std::string::npos) << header;
    EXPECT_NE(header.find("'fortran_order': False"), std::string::npos) << header;
    const auto open = header.find("'shape': ") + 9;
    Npy npy{header.substr(open, header.find(')', open) - open + 1), {}};
    double x;
    while (in.read(reinterpret_cast<char*>(&x), sizeof x))
        npy.values.push_back(x);
    return npy;
}

std::string text_of(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<double> flat(const Row& row, const std::string& key) {
    return row.at(key).as_array().to_vector<double>();
}

class DeepmdExport : public ::testing::Test {
protected:
    void SetUp() override {
        OpenOptions readonly;
        readonly.readonly = true;
        source_ = open_object_backend((golden_dir() / "periodic.xyz").string(), readonly);
        truth_ = truth_rows(golden_dir() / "periodic.xyz.read.json");
        for (std::size_t i = 0; i < truth_.size(); ++i)
            all_.push_back(i);
    }
    std::shared_ptr<ObjectReadBackend> source_;
    std::vector<Row> truth_;
    Indices all_;
    TempDir dir_;
};

TEST_F(DeepmdExport, OneSystemPerDistinctAtomSequenceWithASharedTypeMap) {
    const auto systems = write_deepmd(*source_, all_, dir_.path().string());
    std::map<std::vector<std::int64_t>, std::size_t> compositions;
    for (const auto& r : truth_)
        ++compositions[r.at("arrays.numbers").as_array().to_vector<std::int64_t>()];
    EXPECT_EQ(systems.size(), compositions.size());
    std::size_t frames = 0;
    for (const auto& s : systems)
        frames += s.frames;
    EXPECT_EQ(frames, truth_.size());
    EXPECT_EQ(text_of(dir_ / "type_map.raw"), "Al\nCu\n");
    EXPECT_EQ(text_of(dir_ / "Cu4" / "type.raw"), "1\n1\n1\n1\n");
    EXPECT_FALSE(fs::exists(dir_ / "Cu4" / "nopbc"));
}

TEST_F(DeepmdExport, ArraysHoldExactlyTheFramesValues) {
    write_deepmd(*source_, all_, dir_.path().string());
    Indices cu4; // frames of the Cu4 system, in store order
    for (std::size_t i = 0; i < truth_.size(); ++i)
        if (truth_[i].at("arrays.numbers").as_array().to_vector<std::int64_t>() ==
            std::vector<std::int64_t>(4, 29))
            cu4.push_back(i);
    ASSERT_FALSE(cu4.empty());
    const fs::path set = dir_ / "Cu4" / "set.000";
    const auto coord = read_npy(set / "coord.npy"), box = read_npy(set / "box.npy"),
               energy = read_npy(set / "energy.npy"), force = read_npy(set / "force.npy"),
               virial = read_npy(set / "virial.npy");
    const std::string n = std::to_string(cu4.size());
    EXPECT_EQ(coord.shape, "(" + n + ", 12)");
    EXPECT_EQ(energy.shape, "(" + n + ",)");
    EXPECT_EQ(virial.shape, "(" + n + ", 9)");
    for (std::size_t f = 0; f < cu4.size(); ++f) {
        const Row& row = truth_[cu4[f]];
        auto part = [&](const Npy& a, std::size_t width) {
            return std::vector<double>(a.values.begin() + static_cast<std::ptrdiff_t>(f * width),
                                       a.values.begin() + static_cast<std::ptrdiff_t>((f + 1) * width));
        };
        EXPECT_EQ(part(coord, 12), flat(row, "arrays.positions"));
        EXPECT_EQ(part(force, 12), flat(row, "calc.forces"));
        EXPECT_EQ(part(box, 9), flat(row, "cell"));
        EXPECT_EQ(energy.values[f], row.at("calc.energy").as_double());
        const auto s = flat(row, "calc.stress"); // xx yy zz yz xz xy
        const auto c = flat(row, "cell");
        const double volume = c[0] * c[4] * c[8]; // the golden cells are orthorhombic
        const auto v = part(virial, 9);
        EXPECT_NEAR(v[0], -s[0] * volume, 1e-12);
        EXPECT_NEAR(v[1], -s[5] * volume, 1e-12);
        EXPECT_NEAR(v[5], -s[3] * volume, 1e-12);
        EXPECT_NEAR(v[8], -s[2] * volume, 1e-12);
    }
}

TEST_F(DeepmdExport, LargeSystemsAreCutIntoSetsOfTheGivenSize) {
    DeepmdOptions options;
    options.set_size = 2;
    const auto systems = write_deepmd(*source_, all_, dir_.path().string(), options);
    for (const auto& s : systems) {
        const std::size_t sets = (s.frames + 1) / 2;
        EXPECT_TRUE(fs::exists(dir_ / s.name / ("set.00" + std::to_string(sets - 1)))) << s.name;
        EXPECT_FALSE(fs::exists(dir_ / s.name / ("set.00" + std::to_string(sets)))) << s.name;
    }
}

// Reads come in chunks (at most chunk_size rows, fewer for large frames); how the rows are cut
// must not change a byte of the export.
TEST_F(DeepmdExport, ChunkSizeDoesNotChangeTheExport) {
    write_deepmd(*source_, all_, dir_.path().string());
    TempDir one_row_reads;
    DeepmdOptions options;
    options.chunk_size = 1;
    write_deepmd(*source_, all_, one_row_reads.path().string(), options);
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
        if (!entry.is_regular_file()) continue;
        const fs::path twin = one_row_reads / fs::relative(entry.path(), dir_.path());
        EXPECT_EQ(text_of(entry.path()), text_of(twin)) << twin;
        ++files;
    }
    EXPECT_GT(files, 10u);
}

TEST_F(DeepmdExport, MoleculesWithoutACellGetNopbc) {
    OpenOptions readonly;
    readonly.readonly = true;
    auto ethanol = open_object_backend((golden_dir() / "ethanol.xyz").string(), readonly);
    const auto systems = write_deepmd(*ethanol, {0, 1, 2}, dir_.path().string());
    ASSERT_EQ(systems.size(), 1u);
    EXPECT_EQ(systems[0].name, "C2H6O");
    EXPECT_TRUE(fs::exists(dir_ / "C2H6O" / "nopbc"));
    EXPECT_EQ(text_of(dir_ / "type_map.raw"), "H\nC\nO\n");
}

TEST_F(DeepmdExport, RowsWithoutForcesAreAnErrorNamingTheRow) {
    ObjectIO io("memory://deepmd-no-forces");
    Row row = truth_[0];
    row.erase("calc.forces");
    io.extend({row});
    try {
        write_deepmd(*io.backend_ptr(), {0}, dir_.path().string());
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("calc.forces"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("row 0"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace asebytes::test
