// Parallel HDF5 under mpirun: every rank writes its own atoms of each frame into one .h5 / .h5p
// file, in collective writes; the file reads back equal to the frames (as a serial write gives).
#include <gtest/gtest.h>
#include <hdf5.h>
#include <mpi.h>

#include "asebytes/asebytes.hpp"
#include "asebytes/mpi/collective_columnar.hpp"
#include "asebytes/mpi/frame_writer.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

int rank() {
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int ranks() {
    int n = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

// A directory every rank sees: rank 0 makes it and says where.
class SharedDir {
public:
    SharedDir() {
        std::string path;
        if (rank() == 0) {
            dir_ = std::make_unique<TempDir>();
            path = dir_->path().string();
        }
        int size = static_cast<int>(path.size());
        MPI_Bcast(&size, 1, MPI_INT, 0, MPI_COMM_WORLD);
        path.resize(static_cast<std::size_t>(size));
        MPI_Bcast(path.data(), size, MPI_CHAR, 0, MPI_COMM_WORLD);
        path_ = path;
    }
    ~SharedDir() { MPI_Barrier(MPI_COMM_WORLD); }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::unique_ptr<TempDir> dir_;
    fs::path path_;
};

const std::set<std::string> kPerAtom = {"arrays.numbers", "arrays.positions", "calc.forces"};

std::vector<Row> frames() {
    auto rows = truth_rows(golden_dir() / "periodic.json");
    for (auto& r : rows)
        r.erase("info.config_type"); // text: parallel HDF5 cannot write it
    return rows;
}

// This rank's share of a frame: atoms spread over the ranks out of order, handed over in reverse;
// exchanged (local_frame) so that each rank holds contiguous rows, or written where they are.
LocalFrame share_of(const Row& row, bool exchanged = true) {
    Row global, local;
    const auto natoms = static_cast<std::size_t>(row.at("arrays.numbers").as_array().size());
    std::vector<std::size_t> mine;
    for (std::size_t j = natoms; j-- > 0;)
        if (static_cast<int>((j * 7 + 3) % static_cast<std::size_t>(ranks())) == rank()) mine.push_back(j);
    std::vector<std::int64_t> ids;
    for (auto j : mine)
        ids.push_back(static_cast<std::int64_t>(j) + 1);
    for (const auto& [key, value] : row) {
        if (!kPerAtom.count(key)) {
            global[key] = value;
            continue;
        }
        const NdArray& a = value.as_array();
        const std::size_t row_bytes = a.nbytes() / natoms;
        std::vector<std::uint8_t> bytes;
        for (auto j : mine)
            bytes.insert(bytes.end(), a.bytes() + j * row_bytes, a.bytes() + (j + 1) * row_bytes);
        std::vector<std::int64_t> shape = a.shape();
        shape[0] = static_cast<std::int64_t>(mine.size());
        local[key] = Value(NdArray(a.typestr(), shape, std::move(bytes)));
    }
    if (!exchanged) {
        LocalFrame f;
        f.global = global;
        f.local = local;
        f.total_atoms = natoms;
        for (auto j : mine)
            f.atom_rows.push_back(j);
        return f;
    }
    mpi::FrameGatherer gatherer(MPI_COMM_WORLD, {});
    return mpi::local_frame(MPI_COMM_WORLD, global, local, gatherer.slab(mine.size(), ids.data()));
}

// Number of deflate filters on a dataset (read with the plain HDF5 API).
int deflate_filters(const std::string& file, const std::string& dataset) {
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
    const hid_t dcpl = H5Dget_create_plist(d);
    int found = 0;
    for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
        unsigned flags = 0, values[4];
        std::size_t n = 4;
        found += H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &n, values, 0, nullptr, nullptr) ==
                 H5Z_FILTER_DEFLATE;
    }
    H5Pclose(dcpl);
    H5Dclose(d);
    H5Fclose(f);
    return found;
}

// The file, opened read-only as a serial reader would, holds exactly `rows`.
void expect_file_holds(const std::string& path, const std::vector<Row>& rows) {
    OpenOptions ro;
    ro.readonly = true;
    ObjectIO io(path, ro);
    ASSERT_EQ(io.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), rows[i]) << i;
}

class CollectiveColumnar : public ::testing::TestWithParam<std::string> {};

TEST_P(CollectiveColumnar, EveryRankWritesItsAtomsAndTheFileReadsBackAsTheFrames) {
    SharedDir dir;
    const std::string path = (dir / ("parallel" + GetParam())).string();
    const auto rows = frames();
    {
        auto store = mpi::open_collective_columnar(path, MPI_COMM_WORLD);
        std::vector<LocalFrame> first, second;
        for (std::size_t i = 0; i < rows.size(); ++i)
            (i < 12 ? first : second).push_back(share_of(rows[i]));
        EXPECT_EQ(store->extend_collective(first), 12u);
        EXPECT_EQ(store->extend_collective(second), rows.size());
    }
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank() != 0) return;
    expect_file_holds(path, rows);
    EXPECT_EQ(deflate_filters(path, "default/arrays.positions"), 1) << "collective writes keep gzip";
}

TEST_P(CollectiveColumnar, ScatteredRowsWrittenWhereTheyAreReadBackAsTheFrames) {
    SharedDir dir;
    const std::string path = (dir / ("scattered" + GetParam())).string();
    const auto rows = frames();
    {
        auto store = mpi::open_collective_columnar(path, MPI_COMM_WORLD);
        std::vector<LocalFrame> batch;
        for (const auto& row : rows)
            batch.push_back(share_of(row, false));
        EXPECT_EQ(store->extend_collective(batch), rows.size());
    }
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank() != 0) return;
    ObjectIO io(path);
    ASSERT_EQ(io.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), rows[i]) << i;
}

TEST_P(CollectiveColumnar, TextValuesAreRefusedOnEveryRankBeforeAnyWrite) {
    SharedDir dir;
    const std::string path = (dir / ("text" + GetParam())).string();
    auto row = frames().front();
    row["info.config_type"] = Value("bulk");
    {
        auto store = mpi::open_collective_columnar(path, MPI_COMM_WORLD);
        EXPECT_THROW(store->extend_collective({share_of(row)}), NotSupportedError);
        EXPECT_EQ(store->size(), 0u);
    }
    MPI_Barrier(MPI_COMM_WORLD);
}

// A frame of `natoms` atoms whose values say where they belong.
Row big_frame(std::size_t natoms, int index) {
    std::vector<std::int64_t> numbers(natoms);
    std::vector<double> positions(3 * natoms);
    for (std::size_t j = 0; j < natoms; ++j) {
        numbers[j] = 1 + static_cast<std::int64_t>(j % 80);
        for (std::size_t k = 0; k < 3; ++k)
            positions[3 * j + k] = static_cast<double>(index) + 1e-6 * static_cast<double>(3 * j + k);
    }
    const auto n = static_cast<std::int64_t>(natoms);
    return Row{{"arrays.numbers", NdArray::from<std::int64_t>({n}, numbers)},
               {"arrays.positions", NdArray::from<double>({n, 3}, positions)},
               {"calc.energy", Value(-1.5 * index)}};
}

// fix asebytes hands its whole buffer (64 frames) to one collective write; for 32,000-atom frames
// into a compressed .h5 that one write crashed HDF5 1.10.8 (see kMaxBatchAtomRows).
TEST(CollectiveColumnarWriter, SplitsBatchesOfMoreThanHalfAMillionAtomRows) {
    SharedDir dir;
    const std::string path = (dir / "large.h5").string();
    constexpr std::size_t kAtoms = 200000; // 3 frames pass the limit: two collective writes for 6
    std::vector<Row> rows;
    for (int i = 0; i < 6; ++i)
        rows.push_back(big_frame(kAtoms, i));
    mpi::WriterStats stats;
    {
        mpi::CollectiveColumnarWriter writer(mpi::open_collective_columnar(path, MPI_COMM_WORLD), 64);
        for (const auto& row : rows)
            writer.write(share_of(row));
        writer.close();
        stats = writer.stats();
    }
    EXPECT_EQ(stats.frames, 6u);
    EXPECT_EQ(stats.batches, 2u);
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank() != 0) return;
    expect_file_holds(path, rows);
}

INSTANTIATE_TEST_SUITE_P(Layouts, CollectiveColumnar, ::testing::Values(".h5", ".h5p"), [](const auto& i) {
    return i.param == ".h5" ? std::string("ragged") : std::string("padded");
});

// FrameWriter, the fix's one way to write: atoms spread over the ranks, handed over with their
// ids and one pointer per column, written gathered (LMDB) or by every rank (.h5 under mpirun);
// a frame rank 0 calls a repeat is left out on every rank.
class FrameWriterWays : public ::testing::TestWithParam<std::string> {};

TEST_P(FrameWriterWays, WritesTheFramesAndLeavesOutWhatRankZeroCallsARepeat) {
    SharedDir dir;
    const std::string path = (dir / ("written" + GetParam())).string();
    EXPECT_EQ(mpi::writes_collectively(path, MPI_COMM_WORLD, mpi::ParallelWrites::EveryRank),
              GetParam() == ".h5" && ranks() > 1);
    EXPECT_FALSE(mpi::writes_collectively(path, MPI_COMM_WORLD, mpi::ParallelWrites::Gather));
    const auto rows = frames();
    const std::vector<mpi::Column> columns{{"arrays.numbers", DType::Int64, 0},
                                           {"arrays.positions", DType::Float64, 3},
                                           {"calc.forces", DType::Float64, 3}};
    {
        std::shared_ptr<ObjectReadWriteBackend> opened;
        if (rank() == 0)
            opened = std::dynamic_pointer_cast<ObjectReadWriteBackend>(open_object_backend(path));
        auto writer = mpi::open_frame_writer(MPI_COMM_WORLD, path, {}, {}, std::move(opened),
                                             mpi::ParallelWrites::EveryRank);
        writer->set_columns(columns);
        for (std::size_t i = 0; i < rows.size(); ++i)
            for (const bool repeat : {false, true}) {
                const LocalFrame share = share_of(rows[i], false); // this rank's atoms, as they lie
                std::vector<std::int64_t> ids;
                for (auto row : share.atom_rows)
                    ids.push_back(static_cast<std::int64_t>(row) + 1);
                std::vector<const void*> data;
                for (const auto& c : columns)
                    data.push_back(share.local.at(c.key).as_array().bytes());
                const bool written = writer->write(share.global, ids.size(), ids.data(), data,
                                                   [&](const Row&) { return repeat; });
                EXPECT_EQ(written, !repeat) << "frame " << i;
            }
        writer->close();
        if (rank() == 0) {
            EXPECT_EQ(writer->stats().frames, rows.size());
        }
    }
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank() == 0) {
        expect_file_holds(path, rows);
    }
}

INSTANTIATE_TEST_SUITE_P(Stores, FrameWriterWays, ::testing::Values(".lmdb", ".h5"),
                         [](const auto& info) { return info.param.substr(1); });

} // namespace
} // namespace asebytes::test
