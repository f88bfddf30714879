// Frames gathered from any distribution of atoms over ranks equal the serial frame exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "asebytes/mpi/frame_gatherer.hpp"

namespace asebytes::mpi {
namespace {

int world_rank() {
    int r;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}
int world_size() {
    int s;
    MPI_Comm_size(MPI_COMM_WORLD, &s);
    return s;
}

const std::vector<Column> kColumns = {
    {"arrays.numbers", DType::Int64, 0}, {"arrays.positions", DType::Float64, 3},
    {"calc.forces", DType::Float64, 3},  {"arrays.charges", DType::Float32, 0},
    {"arrays.flags", DType::UInt8, 2},
};

// Per-atom data as a function of the id, so every rank can build its share and the reference.
struct Atoms {
    std::vector<std::int64_t> ids, numbers;
    std::vector<double> positions, forces;
    std::vector<float> charges;
    std::vector<std::uint8_t> flags;

    void add(std::int64_t id) {
        ids.push_back(id);
        numbers.push_back(1 + id % 90);
        for (int k = 0; k < 3; ++k) {
            positions.push_back(0.1 * static_cast<double>(id) + k);
            forces.push_back(-0.01 * static_cast<double>(id * (k + 1)));
        }
        charges.push_back(static_cast<float>(id) * 0.5f);
        flags.push_back(static_cast<std::uint8_t>(id % 256));
        flags.push_back(static_cast<std::uint8_t>((id / 256) % 256));
    }
    std::vector<const void*> data() const {
        return {numbers.data(), positions.data(), forces.data(), charges.data(), flags.data()};
    }
};

// The frame a serial program would write: atoms sorted by id.
Row serial_frame(std::vector<std::int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    Atoms all;
    for (auto id : ids)
        all.add(id);
    const auto n = static_cast<std::int64_t>(ids.size());
    return Row{{"arrays.numbers", NdArray::from<std::int64_t>({n}, all.numbers)},
               {"arrays.positions", NdArray::from<double>({n, 3}, all.positions)},
               {"calc.forces", NdArray::from<double>({n, 3}, all.forces)},
               {"arrays.charges", NdArray::from<float>({n}, all.charges)},
               {"arrays.flags", NdArray::from<std::uint8_t>({n, 2}, all.flags)}};
}

// Deals `ids` to ranks with a seeded RNG shared by all ranks; `owner_bias` < 0 means uniform,
// otherwise every atom goes to that rank.
Atoms my_share(const std::vector<std::int64_t>& ids, unsigned seed, int only_rank = -1) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pick(0, world_size() - 1);
    Atoms mine;
    for (auto id : ids) {
        const int owner = only_rank >= 0 ? only_rank : pick(rng);
        if (owner == world_rank()) mine.add(id);
    }
    return mine;
}

std::vector<std::int64_t> ids_with_gaps(std::size_t n, unsigned seed) {
    std::vector<std::int64_t> ids;
    std::mt19937 rng(seed);
    std::int64_t id = 0;
    for (std::size_t i = 0; i < n; ++i)
        ids.push_back(id += 1 + static_cast<std::int64_t>(rng() % 5));
    std::shuffle(ids.begin(), ids.end(), rng);
    return ids;
}

void expect_gathered(FrameGatherer& g, const std::vector<std::int64_t>& ids, const Atoms& mine) {
    Row out;
    g.gather(mine.ids.size(), mine.ids.data(), mine.data(), out);
    if (g.is_root()) {
        EXPECT_EQ(out, serial_frame(ids));
    } else {
        EXPECT_TRUE(out.empty());
    }
}

TEST(FrameGatherer, RandomDistributionsWithGapsEqualTheSerialFrame) {
    FrameGatherer g(MPI_COMM_WORLD, kColumns);
    for (unsigned seed = 1; seed <= 6; ++seed) {
        const auto ids = ids_with_gaps(300 + 37 * seed, seed); // the count changes every frame
        expect_gathered(g, ids, my_share(ids, 100 + seed));
    }
}

TEST(FrameGatherer, SparseAndNegativeIdsAreOrderedToo) {
    FrameGatherer g(MPI_COMM_WORLD, kColumns);
    auto ids = ids_with_gaps(500, 31);
    for (auto& id : ids)
        id = id * 100003 - 7000000; // far apart and some negative: the sorting path
    expect_gathered(g, ids, my_share(ids, 32));
}

TEST(FrameGatherer, RanksWithoutAtomsAndTheLastRankAloneWork) {
    FrameGatherer g(MPI_COMM_WORLD, kColumns);
    const auto ids = ids_with_gaps(64, 7);
    expect_gathered(g, ids, my_share(ids, 0, world_size() - 1)); // everything on the last rank
    expect_gathered(g, {}, Atoms{});                             // no atoms at all
    const std::vector<std::int64_t> one{42};
    expect_gathered(g, one, my_share(one, 3));
}

TEST(FrameGatherer, AnyRootRankGathers) {
    FrameGatherer g(MPI_COMM_WORLD, kColumns, world_size() - 1);
    const auto ids = ids_with_gaps(100, 11);
    expect_gathered(g, ids, my_share(ids, 12));
}

TEST(FrameGatherer, ARepeatedAtomIdIsAnErrorOnTheRoot) {
    FrameGatherer g(MPI_COMM_WORLD, kColumns);
    for (std::int64_t far : {std::int64_t{6}, std::int64_t{1} << 40}) { // dense (table) and sparse (sort) ids
        Atoms mine;
        mine.add(5); // every rank holds atom 5 (and rank 0 twice)
        if (world_rank() == 0) mine.add(5);
        mine.add(far + world_rank());
        Row out;
        if (g.is_root()) {
            EXPECT_THROW(g.gather(mine.ids.size(), mine.ids.data(), mine.data(), out), Error);
        } else {
            EXPECT_NO_THROW(g.gather(mine.ids.size(), mine.ids.data(), mine.data(), out));
        }
    }
}

TEST(FrameGatherer, SlabsGiveEachLocalAtomItsGlobalRow) {
    FrameGatherer g(MPI_COMM_WORLD, kColumns);
    const auto ids = ids_with_gaps(200, 21);
    const Atoms mine = my_share(ids, 22);
    const Slab s = g.slab(mine.ids.size(), mine.ids.data());
    std::vector<std::int64_t> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(s.total_atoms, ids.size());
    ASSERT_EQ(s.rows.size(), mine.ids.size());
    for (std::size_t k = 0; k < s.rows.size(); ++k) {
        EXPECT_EQ(sorted[s.rows[k]], mine.ids[s.order[k]]);
        if (k) {
            EXPECT_LT(s.rows[k - 1], s.rows[k]);
        }
    }
}

TEST(FrameGatherer, RejectsAWrongNumberOfColumns) {
    FrameGatherer g(MPI_COMM_WORLD, kColumns);
    const std::int64_t id = 1;
    Row out;
    EXPECT_THROW(g.gather(1, &id, {nullptr}, out), Error); // fails before any MPI call
}

} // namespace
} // namespace asebytes::mpi
