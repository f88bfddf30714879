// Chunked reads stay within a byte budget whatever the store's size and frame size: a store can
// be far larger than memory.
#include <gtest/gtest.h>

#include <cmath>

#include "asebytes/asebytes.hpp"
#include "asebytes/backends/memory.hpp"

namespace asebytes::test {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

// Cu frames made on request (nothing stored), so a store can hold more bytes than a test could
// keep; row i has every force component (i % 10) / 10. Records the largest read asked of it.
class GeneratedFrames : public ObjectReadBackend {
public:
    GeneratedFrames(std::size_t rows, std::int64_t atoms) : rows_(rows), atoms_(atoms) {}

    const BackendMetadata& metadata() const override { return MemoryBackend::describe(); }
    std::string location() const override { return "generated frames"; }
    std::size_t size() override { return rows_; }
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys) override {
        check_index(index);
        const auto n = static_cast<std::size_t>(atoms_);
        Row row{{"arrays.numbers", NdArray::from<std::int64_t>({atoms_}, std::vector<std::int64_t>(n, 29))},
                {"calc.forces",
                 NdArray::from<double>({atoms_, 3}, std::vector<double>(3 * n, (index % 10) / 10.0))}};
        if (keys)
            for (auto it = row.begin(); it != row.end();)
                it = std::find(keys->begin(), keys->end(), it->first) == keys->end() ? row.erase(it)
                                                                                     : std::next(it);
        return row;
    }
    std::vector<MaybeRow> get_many(const Indices& indices, const std::optional<Keys>& keys) override {
        auto rows = ObjectReadBackend::get_many(indices, keys);
        std::size_t bytes = 0;
        for (const auto& row : rows)
            bytes += row_bytes(row);
        largest_read_bytes = std::max(largest_read_bytes, bytes);
        largest_read_rows = std::max(largest_read_rows, rows.size());
        return rows;
    }

    std::size_t largest_read_bytes = 0;
    std::size_t largest_read_rows = 0;

private:
    std::size_t rows_;
    std::int64_t atoms_;
};

// A target that counts the rows appended to it and keeps none of them.
class CountingSink : public ObjectReadWriteBackend {
public:
    const BackendMetadata& metadata() const override { return MemoryBackend::describe(); }
    std::string location() const override { return "counting sink"; }
    std::size_t size() override { return rows_; }
    MaybeRow get(std::size_t, const std::optional<Keys>&) override {
        throw NotSupportedError("nothing kept");
    }
    std::size_t extend(const std::vector<MaybeRow>& rows) override { return rows_ += rows.size(); }

private:
    std::size_t rows_ = 0;
};

Indices all_rows(std::size_t n) {
    Indices rows(n);
    for (std::size_t i = 0; i < n; ++i)
        rows[i] = i;
    return rows;
}

// Reads every row of a store of `rows` frames of `atoms` atoms; returns the largest read.
std::size_t largest_read_of_full_pass(std::size_t rows, std::int64_t atoms, const ChunkLimits& limits) {
    GeneratedFrames store(rows, atoms);
    const Indices all = all_rows(rows);
    std::size_t next = 0;
    for_each_chunk(store, all, std::nullopt, limits, [&](const Indices& chunk, const auto& read) {
        EXPECT_EQ(chunk.front(), next);
        EXPECT_EQ(read.size(), chunk.size());
        next += chunk.size();
    });
    EXPECT_EQ(next, rows); // every row once, in order
    return store.largest_read_bytes;
}

TEST(RowChunks, ReadsOfLargeFramesStayWithinTheByteBudgetWhateverTheStoreSize) {
    ChunkLimits limits;
    limits.max_bytes = kMiB; // 2000-atom frames weigh 64 KB
    const std::size_t small = largest_read_of_full_pass(200, 2000, limits);
    const std::size_t large = largest_read_of_full_pass(2000, 2000, limits);
    EXPECT_LE(small, limits.max_bytes);
    EXPECT_LE(large, limits.max_bytes);
    EXPECT_EQ(small, large);
}

TEST(RowChunks, SmallRowsAreReadMaxRowsAtATime) {
    GeneratedFrames store(5000, 2);
    const Indices all = all_rows(5000);
    for_each_chunk(store, all, std::nullopt, ChunkLimits{}, [](const Indices&, const auto&) {});
    EXPECT_EQ(store.largest_read_rows, ChunkLimits{}.max_rows);
}

// `for (auto& row : io)`: the iterator reads chunks within the byte budget too, and small rows
// still many at a time.
TEST(RowChunks, IteratingAStoreOfLargeFramesReadsWithinTheByteBudget) {
    auto store = std::make_shared<GeneratedFrames>(100, 20000); // 640 KB a frame, 64 MB in all
    std::size_t seen = 0;
    for (const auto& row : ObjectIO(store)) {
        ASSERT_TRUE(row.has_value());
        EXPECT_EQ(row->at("calc.forces").as_array().to_vector<double>()[0], (seen % 10) / 10.0);
        ++seen;
    }
    EXPECT_EQ(seen, 100u);
    EXPECT_LE(store->largest_read_bytes, ChunkLimits{}.max_bytes);
    EXPECT_GT(store->largest_read_rows, 1u);
}

// AtomsIO builds frames as the backend hands over fields (ReadBackend::visit_many): the same
// budget holds.
TEST(RowChunks, IteratingFramesOfALargeStoreReadsWithinTheByteBudget) {
    auto store = std::make_shared<GeneratedFrames>(100, 20000);
    std::size_t seen = 0;
    for (const auto& frame : AtomsIO(store)) {
        ASSERT_TRUE(frame.has_value());
        EXPECT_EQ(frame->natoms(), 20000u);
        EXPECT_EQ((*frame->forces())[0], (seen % 10) / 10.0);
        ++seen;
    }
    EXPECT_EQ(seen, 100u);
    EXPECT_LE(store->largest_read_bytes, ChunkLimits{}.max_bytes);
    EXPECT_GT(store->largest_read_rows, 1u);
}

TEST(RowChunks, IteratingSmallRowsReadsAFullChunkAtATime) {
    auto store = std::make_shared<GeneratedFrames>(1000, 2);
    std::size_t seen = 0;
    for (const auto& row : ObjectIO(store))
        seen += row.has_value();
    EXPECT_EQ(seen, 1000u);
    EXPECT_EQ(store->largest_read_rows, RowView<ObjectItems>::kReadChunk);
}

TEST(RowChunks, ARowLargerThanTheBudgetIsReadAlone) {
    GeneratedFrames store(40, 2000);
    const Indices all = all_rows(40);
    ChunkLimits limits;
    limits.max_bytes = 1024;
    limits.first_rows = 4;
    RowChunks chunks(all, limits);
    std::vector<std::size_t> sizes;
    while (!chunks.done()) {
        const Indices chunk = chunks.next();
        chunks.weigh(store.get_many(chunk, std::nullopt));
        sizes.push_back(chunk.size());
    }
    std::vector<std::size_t> expected(37, 1);
    expected.front() = 4;
    EXPECT_EQ(sizes, expected);
}

TEST(RowChunks, CopyRowsOfLargeFramesReadsWithinTheByteBudget) {
    GeneratedFrames store(300, 20000); // 640 KB a frame: 256 of them would be 160 MB
    CountingSink sink;
    EXPECT_EQ(copy_rows(store, all_rows(300), sink), 300u);
    EXPECT_EQ(sink.size(), 300u);
    EXPECT_LE(store.largest_read_bytes, ChunkLimits{}.max_bytes);
}

TEST(RowChunks, SelectorReadsLargeFramesWithinTheByteBudget) {
    auto store = std::make_shared<GeneratedFrames>(300, 20000);
    const Indices selected = Selector(store).where(parse_filter("max_force=:0.5")).run();
    Indices expected;
    for (std::size_t i = 0; i < 300; ++i)
        if ((i % 10) / 10.0 * std::sqrt(3.0) <= 0.5) expected.push_back(i);
    EXPECT_EQ(selected, expected);
    EXPECT_LE(store->largest_read_bytes, ChunkLimits{}.max_bytes);
}

} // namespace
} // namespace asebytes::test
