// Behaviour every backend shares: the facades (BlobIO, ObjectIO, AtomsIO), lazy views and
// write-back, through the registry, as Python asebytes' contract tests describe them.
#include "contract.hpp"

#include <algorithm>

#include "asebytes/asebytes.hpp"

namespace asebytes::test {
namespace {

Row numbered(int i) {
    return Row{{"idx", Value(i)}, {"sq", Value(double(i * i))}, {"name", Value("row-" + std::to_string(i))}};
}

std::vector<Row> numbered_rows(int n) {
    std::vector<Row> rows;
    for (int i = 0; i < n; ++i)
        rows.push_back(numbered(i));
    return rows;
}

std::vector<std::int64_t> idx_column(const ObjectIO& io) {
    std::vector<std::int64_t> out;
    for (const auto& v : io.column("idx").to_list())
        out.push_back(v ? v->as_int() : -1);
    return out;
}

using I = std::vector<std::int64_t>;

TEST_P(Contract, EmptyStoreHasNoRows) {
    ObjectIO io(fresh());
    EXPECT_EQ(io.size(), 0u);
    EXPECT_TRUE(io.empty());
    EXPECT_THROW(io.get(0), IndexError);
    EXPECT_THROW(io.get(-1), IndexError);
    EXPECT_TRUE(io.rows().to_list().empty());
    EXPECT_TRUE(io.column("idx").to_list().empty());
    int n = 0;
    for (const auto& row : io)
        n += row ? 1 : 0;
    EXPECT_EQ(n, 0);
}

TEST_P(Contract, ExtendReturnsTheNewLengthAndRowsReadBackEqual) {
    ObjectIO io(fresh());
    EXPECT_EQ(io.extend(numbered_rows(3)), 3u);
    EXPECT_EQ(io.extend(numbered_rows(2)), 5u);
    EXPECT_EQ(io.size(), 5u);
    EXPECT_EQ(*io.get(1), numbered(1));
    EXPECT_EQ(*io.get(4), numbered(1));
    EXPECT_EQ(io.extend({}), 5u);
}

TEST_P(Contract, NegativeIndexCountsFromTheEndAndOutOfRangeIsIndexError) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(4));
    EXPECT_EQ(*io.get(-1), numbered(3));
    EXPECT_EQ(*io.get(-4), numbered(0));
    EXPECT_THROW(io.get(4), IndexError);
    EXPECT_THROW(io.get(-5), IndexError);
    EXPECT_THROW(io.erase(7), IndexError);
    EXPECT_THROW(io.update(9, Row{{"a", Value(1)}}), IndexError);
}

TEST_P(Contract, GetWithKeysReturnsOnlyThoseAndAMissingKeyIsKeyError) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(2));
    const Row r = *io.get(1, Keys{"sq"});
    EXPECT_EQ(r, (Row{{"sq", Value(1.0)}}));
    EXPECT_THROW(io.get(1, Keys{"sq", "nope"}), KeyError);
    auto keys = io.keys(0);
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (Keys{"idx", "name", "sq"}));
}

TEST_P(Contract, InsertInTheMiddleShiftsLaterRows) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(4));
    io.insert(2, numbered(100));
    EXPECT_EQ(idx_column(io), (I{0, 1, 100, 2, 3}));
    io.insert(-1, numbered(200)); // Python list.insert: before the last row
    EXPECT_EQ(idx_column(io), (I{0, 1, 100, 2, 200, 3}));
    io.insert(99, numbered(300)); // clamped: appends
    io.insert(0, numbered(400));
    EXPECT_EQ(idx_column(io), (I{400, 0, 1, 100, 2, 200, 3, 300}));
}

TEST_P(Contract, InsertingAPlaceholderReadsBackAsNullopt) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(2));
    io.insert(1, std::nullopt);
    EXPECT_EQ(io.size(), 3u);
    EXPECT_FALSE(io.get(1).has_value());
    EXPECT_EQ(*io.get(2), numbered(1));
}

TEST_P(Contract, SetReplacesTheWholeRow) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(3));
    io.set(1, Row{{"other", Value("x")}});
    EXPECT_EQ(*io.get(1), (Row{{"other", Value("x")}}));
    io.set(-1, numbered(9));
    EXPECT_EQ(*io.get(2), numbered(9));
    EXPECT_EQ(io.size(), 3u);
}

TEST_P(Contract, SetPastTheEndPadsWithPlaceholders) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(1));
    io.set(3, numbered(3));
    EXPECT_EQ(io.size(), 4u);
    EXPECT_FALSE(io.get(1).has_value());
    EXPECT_FALSE(io.get(2).has_value());
    EXPECT_EQ(*io.get(3), numbered(3));
}

TEST_P(Contract, UpdateMergesFieldsAndFillsAPlaceholder) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(2));
    io.update(0, Row{{"sq", Value(0.5)}, {"tag", Value("updated")}});
    Row want = numbered(0);
    want["sq"] = Value(0.5);
    want["tag"] = Value("updated");
    EXPECT_EQ(*io.get(0), want);
    io.reserve(1);
    io.update(2, Row{{"idx", Value(2)}});
    EXPECT_EQ(*io.get(2), (Row{{"idx", Value(2)}}));
}

TEST_P(Contract, EraseShiftsLaterRowsUp) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(5));
    io.erase(1);
    io.erase(-1);
    EXPECT_EQ(idx_column(io), (I{0, 2, 3}));
    io.erase(0);
    io.erase(0);
    io.erase(0);
    EXPECT_EQ(io.size(), 0u);
    io.extend(numbered_rows(1));
    EXPECT_EQ(*io.get(0), numbered(0));
}

TEST_P(Contract, DropRemovesKeysFromEveryRow) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(3));
    io.reserve(1);
    io.drop({"sq", "name"});
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(*io.get(i), (Row{{"idx", Value(i)}}));
    EXPECT_FALSE(io.get(3).has_value());
}

TEST_P(Contract, ReservedRowsArePlaceholdersUntilSet) {
    ObjectIO io(fresh());
    io.reserve(3);
    EXPECT_EQ(io.size(), 3u);
    for (const auto& row : io)
        EXPECT_FALSE(row.has_value());
    io.set(1, numbered(1));
    EXPECT_EQ(*io.get(1), numbered(1));
    EXPECT_TRUE(io.keys(0).empty());
    EXPECT_EQ(io.column("idx").to_list(),
              (std::vector<std::optional<Value>>{std::nullopt, Value(1), std::nullopt}));
}

TEST_P(Contract, ClearEmptiesTheGroupButKeepsItUsable) {
    const std::string path = fresh();
    ObjectIO io(path);
    io.extend(numbered_rows(10));
    io.clear();
    EXPECT_EQ(io.size(), 0u);
    io.extend(numbered_rows(2));
    EXPECT_EQ(*io.get(1), numbered(1));
}

TEST_P(Contract, RemoveDeletesTheGroup) {
    const std::string path = fresh();
    OpenOptions a, b;
    a.group = "a";
    b.group = "b";
    ObjectIO ga(path, a), gb(path, b);
    ga.extend(numbered_rows(2));
    gb.extend(numbered_rows(3));
    ga.remove();
    EXPECT_EQ(list_groups(path), (std::vector<std::string>{"b"}));
    EXPECT_EQ(ObjectIO(path, b).size(), 3u);
}

TEST_P(Contract, GroupsAreIndependentCollections) {
    const std::string path = fresh();
    OpenOptions train, test;
    train.group = "train";
    test.group = "test";
    ObjectIO(path, train).extend(numbered_rows(4));
    ObjectIO(path, test).extend(numbered_rows(2));
    EXPECT_EQ(ObjectIO(path, train).size(), 4u);
    EXPECT_EQ(ObjectIO(path, test).size(), 2u);
    auto groups = list_groups(path);
    std::sort(groups.begin(), groups.end());
    EXPECT_EQ(groups, (std::vector<std::string>{"test", "train"}));
}

TEST_P(Contract, RowViewsSliceWithNegativeBoundsAndSteps) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(10));
    auto ids = [](const RowView<ObjectItems>& v) {
        I out;
        for (const auto& r : v)
            out.push_back(r->at("idx").as_int());
        return out;
    };
    EXPECT_EQ(ids(io.rows(Slice(2, 5))), (I{2, 3, 4}));
    EXPECT_EQ(ids(io.rows(Slice(-3, std::nullopt))), (I{7, 8, 9}));
    EXPECT_EQ(ids(io.rows(Slice(std::nullopt, std::nullopt, -3))), (I{9, 6, 3, 0}));
    EXPECT_EQ(ids(io.rows(I{5, -1, 0})), (I{5, 9, 0}));
    EXPECT_EQ(ids(io.rows(Slice(1, 9)).rows(Slice(std::nullopt, std::nullopt, 2)).rows(I{-1, 0})), (I{7, 1}));
    EXPECT_EQ(io.rows(Slice(2, 5))[-1]->at("idx").as_int(), 4);
    EXPECT_THROW(io.rows(I{10}), IndexError);
    EXPECT_THROW(io.rows(Slice(0, 2))[2], IndexError);
}

TEST_P(Contract, ViewsReadNothingUntilMaterialisedAndSeeLaterWrites) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(3));
    auto column = io.column("idx");   // all rows, counted when read
    auto rows = io.rows(Slice(0, 2)); // fixed positions
    io.set(0, numbered(50));
    io.extend(numbered_rows(1));
    EXPECT_EQ(column.size(), 4u);
    EXPECT_EQ(rows.at(0)->at("idx").as_int(), 50);
}

TEST_P(Contract, ColumnViewsGiveListsAndDicts) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(4));
    io.update(2, Row{{"extra", Value(true)}});
    const auto sq = io.column("sq").to_list();
    ASSERT_EQ(sq.size(), 4u);
    EXPECT_EQ(*sq[3], Value(9.0));
    EXPECT_EQ(io.column("extra").to_list(),
              (std::vector<std::optional<Value>>{std::nullopt, std::nullopt, Value(true), std::nullopt}));
    EXPECT_THROW(io.column("nowhere").to_list(), KeyError);
    const auto d = io.columns({"idx", "extra"}).to_dict();
    EXPECT_EQ(d.at("idx").size(), 4u);
    EXPECT_EQ(*d.at("extra")[2], Value(true));
    EXPECT_FALSE(d.at("extra")[0].has_value());
    const auto rows = io.rows(Slice(1, 3)).columns({"idx", "sq"}).to_rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(*rows[1], (Row{{"idx", Value(2)}, {"sq", Value(4.0)}}));
    EXPECT_EQ(*io.rows(Slice(1, 3)).column("idx").at(-1), Value(2));
    EXPECT_THROW(io.columns({"idx", "sq"}).to_list(), TypeError);
}

TEST_P(Contract, ChunkedIterationVisitsEveryRowOnce) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(23));
    std::vector<std::size_t> sizes;
    I seen;
    for (const auto& chunk : io.rows().chunked(10)) {
        sizes.push_back(chunk.size());
        for (const auto& r : chunk)
            seen.push_back(r->at("idx").as_int());
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{10, 10, 3}));
    EXPECT_EQ(seen.size(), 23u);
    EXPECT_EQ(seen.back(), 22);
    std::size_t n = 0;
    for (const auto& r : io)
        EXPECT_EQ(r->at("idx").as_int(), static_cast<std::int64_t>(n++));
    EXPECT_EQ(n, 23u);
}

TEST_P(Contract, RowViewsWriteBack) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(6));
    io.rows(Slice(1, 3)).set({numbered(11), numbered(12)});
    io.rows(I{5, 0}).set({numbered(15), numbered(10)});
    EXPECT_EQ(idx_column(io), (I{10, 11, 12, 3, 4, 15}));
    io.rows(Slice(0, 6, 2)).update(Row{{"even", Value(true)}});
    io.rows(Slice(3, 5)).update(Row{{"mid", Value(1)}});
    EXPECT_EQ(io.get(4)->at("even"), Value(true));
    EXPECT_EQ(io.get(4)->at("mid"), Value(1));
    EXPECT_FALSE(io.get(5)->count("even"));
    io.rows(Slice(0, 3)).drop({"name"});
    EXPECT_FALSE(io.get(2)->count("name"));
    EXPECT_TRUE(io.get(3)->count("name"));
    EXPECT_THROW(io.rows(I{0, 2}).erase(), TypeError);
    EXPECT_THROW(io.rows(Slice(0, 2)).set({numbered(1)}), TypeError);
    io.rows(Slice(1, 4)).erase();
    EXPECT_EQ(idx_column(io), (I{10, 4, 15}));
}

TEST_P(Contract, ColumnViewsWriteBack) {
    ObjectIO io(fresh());
    io.extend(numbered_rows(5));
    io.column("sq").set({Value(0.0), Value(-1.0), Value(-2.0), Value(-3.0), Value(-4.0)});
    io.rows(I{4, 0}).column("idx").set({Value(40), Value(0)});
    io.rows(Slice(1, 3))
        .columns({"idx", "name"})
        .set_rows({Row{{"idx", Value(10)}}, Row{{"name", Value("two")}}});
    EXPECT_EQ(io.get(3)->at("sq"), Value(-3.0));
    EXPECT_EQ(idx_column(io), (I{0, 10, 2, 3, 40}));
    EXPECT_EQ(io.get(2)->at("name"), Value("two"));
    EXPECT_THROW(io.column("sq").set({Value(1.0)}), TypeError);
    EXPECT_THROW(io.columns({"idx"}).set_rows({Row{{"sq", Value(1.0)}}, Row{}, Row{}, Row{}, Row{}}),
                 KeyError);
}

TEST_P(Contract, StoresEveryValueTypeOfTheObjectGolden) {
    ObjectIO io(fresh());
    const auto rows = truth_rows(golden_dir() / "objects.json");
    io.extend(rows);
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), rows[i]);
}

TEST_P(Contract, AtomsIOKeepsVariableAtomCountsAndUnicodeInfo) {
    AtomsIO io(fresh());
    std::vector<Frame> frames;
    for (const auto& row : truth_rows(golden_dir() / "periodic.json"))
        frames.push_back(Frame::from_row(row));
    Frame molecule = Frame::from_row(truth_rows(golden_dir() / "ethanol.json").at(3));
    frames.push_back(molecule);
    io.extend(frames);
    ASSERT_EQ(io.size(), frames.size());
    std::set<std::size_t> counts;
    std::size_t i = 0;
    for (const auto& f : io) {
        EXPECT_EQ(*f, frames[i++]);
        counts.insert(f->natoms());
    }
    EXPECT_GE(counts.size(), 4u);
    EXPECT_EQ(io.get(-1)->info.at("label").as_string(), "éthanol-3");
    EXPECT_TRUE(io.get(-1)->constraints.has_value());
}

TEST_P(Contract, AtomsIOUpdatesByGroupAndValidatesKeys) {
    AtomsIO io(fresh());
    io.append(Frame::from_row(truth_rows(golden_dir() / "ethanol.json").at(0)));
    io.update_calc(0, Row{{"energy", Value(-1.0)}});
    io.update_info(0, Row{{"tag", Value("done")}});
    io.update_arrays(0, Row{{"tags", NdArray::from<std::int64_t>(std::vector<std::int64_t>(9, 1))}});
    const Frame f = *io.get(0);
    EXPECT_EQ(*f.energy(), -1.0);
    EXPECT_EQ(f.info.at("tag"), Value("done"));
    EXPECT_EQ(f.arrays.at("tags").as_array().size(), 9u);
    EXPECT_THROW(io.update(0, Row{{"bogus", Value(1)}}), KeyError);
    EXPECT_THROW(io.update(0, Row{{"info.", Value(1)}}), KeyError);
}

TEST_P(Contract, BlobIOStoresBytesRows) {
    const std::string path = fresh();
    BlobIO blobs(path);
    blobs.extend({BlobRow{{"calc.energy", encode(Value(-2.5))}}, BlobRow{{"info.x", encode(Value("y"))}}});
    EXPECT_EQ(blobs.get(0)->at("calc.energy"), encode(Value(-2.5)));
    EXPECT_EQ(ObjectIO(path).get(1)->at("info.x"), Value("y"));
}

TEST_P(Contract, ViewsOutliveTheFacadeThatMadeThem) {
    const std::string path = fresh();
    std::optional<RowView<ObjectItems>> view;
    {
        ObjectIO io(path);
        io.extend(numbered_rows(3));
        view = io.rows(Slice(1, 3));
        io.close();
        EXPECT_THROW(io.size(), Error);
    }
    EXPECT_EQ(view->at(0)->at("idx"), Value(1));
}

TEST_P(Contract, PersistentStoresReopenWithTheSameRows) {
    const std::string path = fresh();
    { ObjectIO(path).extend(numbered_rows(3)); }
    ObjectIO io(path);
    if (!io.backend_ptr()->metadata().persistent) GTEST_SKIP() << "backend keeps nothing between opens";
    EXPECT_EQ(io.size(), 3u);
    EXPECT_EQ(*io.get(2), numbered(2));
}

TEST_P(Contract, ReadOnlyOpeningReadsButRefusesEveryWrite) {
    const std::string path = fresh();
    ObjectIO(path).extend(numbered_rows(3));
    OpenOptions ro;
    ro.readonly = true;
    ObjectIO io(path, ro);
    EXPECT_EQ(io.size(), 3u);
    EXPECT_EQ(*io.get(0), numbered(0));
    EXPECT_THROW(io.extend(numbered_rows(1)), ReadOnlyError);
    EXPECT_THROW(io.set(0, numbered(1)), ReadOnlyError);
    EXPECT_THROW(io.erase(0), ReadOnlyError);
    EXPECT_THROW(io.rows(Slice(0, 1)).update(Row{}), ReadOnlyError);
    EXPECT_THROW(io.clear(), ReadOnlyError);
    try {
        io.drop({"idx"});
    } catch (const ReadOnlyError& e) {
        EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos);
    }
    EXPECT_EQ(ObjectIO(path).size(), 3u);
}

} // namespace
} // namespace asebytes::test
