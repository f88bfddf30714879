// Read-through caches (asebytes/cache.hpp): a row is read from the source once, then from the
// cache file, which is an ordinary LMDB store holding whole rows at their own row numbers.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "asebytes/backends/memory.hpp"
#include "asebytes/cache.hpp"
#include "golden.hpp"
#include "recording_backend.hpp"

namespace asebytes::test {
namespace {

class Cache : public ::testing::Test {
protected:
    void SetUp() override {
        auto inner = std::make_shared<MemoryBackend>("memory://cache-source", "default");
        inner->clear();
        inner->extend(std::vector<ObjectReadBackend::MaybeRow>(truth.begin(), truth.begin() + 6));
        source_ = std::make_shared<RecordingBackend>(inner);
    }
    Frame frame(std::size_t i) const { return Frame::from_row(truth[i]); }
    // The cache store as Python asebytes would open it: its own rows, nothing of the source.
    std::vector<std::optional<Row>> cache_rows() const {
        ObjectIO cache(cache_file.string(), opening(true));
        std::vector<std::optional<Row>> out;
        for (const auto& row : cache.rows())
            out.push_back(row);
        return out;
    }

    std::vector<Row> truth = truth_rows(golden_dir() / "ethanol.json");
    std::shared_ptr<RecordingBackend> source_;
    TempDir dir;
    fs::path cache_file = dir / "cache.lmdb";
};

TEST_F(Cache, EachRowIsReadFromTheSourceOnce) {
    const AtomsIO io = cache_to(AtomsIO(source_), cache_file.string());
    EXPECT_EQ(io[2]->to_row(), frame(2).to_row());
    EXPECT_EQ(io[2]->to_row(), frame(2).to_row());
    EXPECT_EQ(source_->rows_read(), (Indices{2}));
    for (std::size_t round = 0; round < 2; ++round) {
        std::size_t i = 0;
        for (const auto& f : io)
            EXPECT_EQ(f->to_row(), frame(i++).to_row());
    }
    // The first pass read the rows not yet cached, the second none.
    EXPECT_EQ(source_->rows_read(), (Indices{2, 0, 1, 3, 4, 5}));
}

TEST_F(Cache, TheGapsOfAnOutOfOrderCacheAreMissesNotEmptyRows) {
    const AtomsIO io = cache_to(AtomsIO(source_), cache_file.string());
    io[4];
    // LMDB pads rows 0..3 with placeholders (as Python's LMDB backend does); upstream's cache would
    // hand out row 0 as None from here.
    const auto cached = cache_rows();
    ASSERT_EQ(cached.size(), 5u);
    EXPECT_FALSE(cached[0]);
    EXPECT_EQ(*cached[4], frame(4).to_row());
    ASSERT_TRUE(io[0]);
    EXPECT_EQ(io[0]->to_row(), frame(0).to_row());
    EXPECT_EQ(source_->rows_read(), (Indices{4, 0}));
}

TEST_F(Cache, ARequestOfScatteredAndRepeatedRowsCachesEachAtItsOwnNumber) {
    const AtomsIO io = cache_to(AtomsIO(source_), cache_file.string());
    const auto picked = io.rows({3, 1, 1, 4, 0}).to_list();
    const std::vector<std::size_t> expected{3, 1, 1, 4, 0};
    for (std::size_t j = 0; j < expected.size(); ++j)
        EXPECT_EQ(picked[j]->to_row(), frame(expected[j]).to_row());
    const auto cached = cache_rows();
    ASSERT_EQ(cached.size(), 5u);
    for (std::size_t i : {0, 1, 3, 4})
        EXPECT_EQ(cached[i], truth[i]) << "row " << i;
    EXPECT_FALSE(cached[2]);
    for (const auto& f : io)
        EXPECT_TRUE(f);
    EXPECT_EQ(source_->rows_read(), (Indices{3, 1, 1, 4, 0, 2, 5})); // then only the gap
}

TEST_F(Cache, KeyedReadsCacheTheWholeRowAndReturnOnlyTheKeys) {
    ObjectIO io = cache_to(ObjectIO(source_), cache_file.string());
    const auto part = io.backend_ptr()->get(1, Keys{"calc.energy", "info.no_such_key"});
    EXPECT_EQ(*part, (Row{{"calc.energy", truth[1].at("calc.energy")}}));
    EXPECT_THROW(io.get(1, Keys{"info.no_such_key"}), KeyError); // the facade's rule, cached or not
    EXPECT_EQ(*cache_rows().at(1), truth[1]);
    EXPECT_EQ(io.rows({1, 0}).column("calc.energy").to_list()[0], truth[1].at("calc.energy"));
    EXPECT_EQ(source_->rows_read(), (Indices{1, 0}));
}

TEST_F(Cache, LengthAndWritesAreTheSourcesAndWritesRetireCachedRows) {
    AtomsIO io = cache_to(AtomsIO(source_), cache_file.string());
    io[0];
    io[1];
    EXPECT_EQ(io.size(), 6u);
    io.append(frame(10));
    EXPECT_EQ(source_->size(), 7u);
    EXPECT_EQ(io[6]->to_row(), frame(10).to_row());
    io.set(1, frame(11));
    EXPECT_EQ(io[1]->to_row(), frame(11).to_row()); // upstream would still hand out frame 1
    io.update(0, Row{{"info.note", Value(std::string("edited"))}});
    EXPECT_EQ(io[0]->info.at("note"), Value(std::string("edited")));
    io.erase(0); // rows move up: every cached row is retired
    EXPECT_EQ(cache_rows().size(), 0u);
    EXPECT_EQ(io[0]->to_row(), frame(11).to_row());
}

TEST_F(Cache, AReadOnlyCacheIsRefusedAndAMissingSourceRowIsAnIndexError) {
    const std::string existing = (dir / "existing.lmdb").string();
    { ObjectIO(existing).extend({Row{}}); }
    EXPECT_THROW(cache_to(AtomsIO(source_), existing, opening(true)), ReadOnlyError);
    const AtomsIO io = cache_to(AtomsIO(source_), cache_file.string());
    EXPECT_THROW(io[6], IndexError);
    EXPECT_EQ(io[-1]->to_row(), frame(5).to_row());
}

} // namespace
} // namespace asebytes::test
