// Splits: reproducible for a seed, disjoint, complete when the fractions add up to 1, groups kept
// together; and rows copied to any backend.
#include <gtest/gtest.h>

#include <set>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

Indices iota(std::size_t n) {
    Indices out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = i;
    return out;
}

// A memory store with n rows; info.traj = i / 5 (groups of five), info.step = i.
std::shared_ptr<ObjectReadBackend> store_of(std::size_t n, const std::string& name) {
    ObjectIO io("memory://" + name);
    io.clear();
    std::vector<Row> rows;
    for (std::size_t i = 0; i < n; ++i)
        rows.push_back(
            Row{{"info.traj", Value(static_cast<int>(i / 5))}, {"info.step", Value(static_cast<int>(i))}});
    io.extend(rows);
    return io.backend_ptr();
}

void expect_disjoint_and_complete(const SplitResult& parts, const Indices& rows) {
    std::multiset<std::size_t> all;
    for (const auto& p : parts)
        all.insert(p.second.begin(), p.second.end());
    EXPECT_EQ(std::set<std::size_t>(all.begin(), all.end()).size(), all.size()) << "parts overlap";
    EXPECT_EQ(Indices(all.begin(), all.end()), rows) << "parts do not cover every row";
}

TEST(Split, FractionsParseIntoNamedPartsInOrder) {
    const auto parts = parse_split("train=0.8,valid=0.1,test=0.1");
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0].name, "train");
    EXPECT_DOUBLE_EQ(*parts[0].fraction, 0.8);
    EXPECT_EQ(*parse_split("train=100,test=20")[1].count, 20u);
}

TEST(Split, BadSplitsAreErrors) {
    for (const char* bad : {"train", "train=0.8,train=0.2", "train=0.9,test=0.2", "train=-1", "train=x",
                            "train=100,test=0.5", "=0.5"})
        EXPECT_THROW(parse_split(bad), Error) << bad;
}

TEST(Split, TheSameSeedGivesTheSameSplitAndAnotherSeedAnother) {
    auto store = store_of(100, "split-seed");
    const auto parts = parse_split("train=0.8,valid=0.1,test=0.1");
    SplitOptions o;
    o.seed = 42;
    const auto a = split_rows(*store, iota(100), parts, o);
    const auto b = split_rows(*store, iota(100), parts, o);
    EXPECT_EQ(a, b);
    o.seed = 43;
    EXPECT_NE(split_rows(*store, iota(100), parts, o), a);
}

TEST(Split, FractionsSummingToOneGiveDisjointCompletePartsOfTheRightSizes) {
    auto store = store_of(101, "split-sizes");
    SplitOptions o;
    o.seed = 7;
    const auto parts = split_rows(*store, iota(101), parse_split("train=0.8,valid=0.1,test=0.1"), o);
    expect_disjoint_and_complete(parts, iota(101));
    EXPECT_EQ(parts[0].second.size(), 81u);
    EXPECT_EQ(parts[1].second.size(), 10u);
    EXPECT_EQ(parts[2].second.size(), 10u);
}

TEST(Split, WithoutASeedPartsAreConsecutiveBlocks) {
    auto store = store_of(10, "split-blocks");
    const auto parts = split_rows(*store, iota(10), parse_split("a=0.5,b=0.5"));
    EXPECT_EQ(parts[0].second, (Indices{0, 1, 2, 3, 4}));
    EXPECT_EQ(parts[1].second, (Indices{5, 6, 7, 8, 9}));
}

TEST(Split, CountsTakeExactlyThatManyRows) {
    auto store = store_of(50, "split-counts");
    SplitOptions o;
    o.seed = 1;
    const auto parts = split_rows(*store, iota(50), parse_split("train=30,test=5"), o);
    EXPECT_EQ(parts[0].second.size(), 30u);
    EXPECT_EQ(parts[1].second.size(), 5u);
    EXPECT_THROW(split_rows(*store, iota(50), parse_split("train=40,test=11"), o), Error);
}

TEST(Split, GroupedSplitsKeepEachGroupInOnePart) {
    auto store = store_of(100, "split-groups");
    SplitOptions o;
    o.seed = 42;
    o.group_by = "info.traj";
    const auto parts = split_rows(*store, iota(100), parse_split("train=0.8,valid=0.1,test=0.1"), o);
    expect_disjoint_and_complete(parts, iota(100));
    for (const auto& [name, rows] : parts) {
        std::set<std::size_t> groups;
        for (auto i : rows)
            groups.insert(i / 5);
        EXPECT_EQ(rows.size(), groups.size() * 5) << name << " holds part of a group";
    }
    EXPECT_EQ(parts[0].second.size(), 80u);
    EXPECT_EQ(split_rows(*store, iota(100), parse_split("train=0.8,valid=0.1,test=0.1"), o), parts);
}

TEST(Split, ShuffleIsAPermutationFixedByTheSeed) {
    const auto a = shuffled(iota(1000), 42);
    EXPECT_EQ(a, shuffled(iota(1000), 42));
    EXPECT_NE(a, iota(1000));
    EXPECT_EQ(std::set<std::size_t>(a.begin(), a.end()).size(), 1000u);
    // Pinned so a change of generator or algorithm (and so of users' splits) is noticed.
    EXPECT_EQ(Indices(a.begin(), a.begin() + 5), (Indices{553, 298, 898, 490, 88}));
}

TEST(Split, CopyRowsWritesTheChosenRowsToAnotherBackendInChunks) {
    TempDir dir;
    OpenOptions readonly;
    readonly.readonly = true;
    auto source = open_object_backend((golden_dir() / "periodic.xyz").string(), readonly);
    const auto target_path = (dir / "part.lmdb").string();
    auto target = std::dynamic_pointer_cast<ObjectReadWriteBackend>(open_object_backend(target_path));
    ASSERT_TRUE(target);
    std::size_t last_progress = 0;
    EXPECT_EQ(copy_rows(*source, {1, 4, 9, 19}, *target, 3,
                        [&](std::size_t done, std::size_t) { last_progress = done; }),
              4u);
    EXPECT_EQ(last_progress, 4u);
    ObjectIO copy(target_path);
    ASSERT_EQ(copy.size(), 4u);
    EXPECT_EQ(*copy.get(2), *source->get(9));
}

} // namespace
} // namespace asebytes::test
