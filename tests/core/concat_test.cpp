// Concatenated facades and views (asebytes/concat.hpp): the rows a user sees through `a + b` are
// those of a then b, reads go to each source once per request, and nothing can be written.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "asebytes/backends/memory.hpp"
#include "asebytes/concat.hpp"
#include "golden.hpp"
#include "recording_backend.hpp"

namespace asebytes::test {
namespace {

// Rows [first, first + n) of the golden ethanol truth in a fresh memory store, reads recorded.
std::shared_ptr<RecordingBackend> ethanol_store(const std::string& name, std::size_t first, std::size_t n) {
    auto rows = truth_rows(golden_dir() / "ethanol.json");
    auto inner = std::make_shared<MemoryBackend>("memory://concat-" + name, "default");
    inner->clear();
    inner->extend(std::vector<ObjectReadBackend::MaybeRow>(rows.begin() + first, rows.begin() + first + n));
    return std::make_shared<RecordingBackend>(inner);
}

std::vector<Row> all_rows() { return truth_rows(golden_dir() / "ethanol.json"); }

class Concat : public ::testing::Test {
protected:
    std::shared_ptr<RecordingBackend> a_ = ethanol_store("a", 0, 5), b_ = ethanol_store("b", 5, 3),
                                      c_ = ethanol_store("c", 8, 4);
    AtomsIO a{a_}, b{b_}, c{c_};
    std::vector<Row> truth = all_rows();
    Frame frame(std::size_t i) const { return Frame::from_row(truth[i]); }
};

TEST_F(Concat, RowsAreTheSourcesEndToEnd) {
    const AtomsIO all = a + b + c;
    ASSERT_EQ(all.size(), 12u);
    for (std::int64_t i = 0; i < 12; ++i)
        EXPECT_EQ(all[i]->to_row(), frame(static_cast<std::size_t>(i)).to_row()) << "row " << i;
    EXPECT_EQ(all[-1]->to_row(), frame(11).to_row());
    EXPECT_EQ(all[-12]->to_row(), frame(0).to_row());
    EXPECT_THROW(all[12], IndexError);
    EXPECT_THROW(all[-13], IndexError);
    std::size_t i = 0;
    for (const auto& f : all)
        EXPECT_EQ(f->to_row(), frame(i++).to_row());
    EXPECT_EQ(i, 12u);
}

TEST_F(Concat, NestedSumsAreFlatAndRepeatsAreAllowed) {
    const AtomsIO twice = (a + b) + (a + b);
    auto& backend = dynamic_cast<ConcatBackend<Value>&>(*twice.backend_ptr());
    EXPECT_EQ(backend.sources().size(), 4u);
    ASSERT_EQ(twice.size(), 16u);
    EXPECT_EQ(twice[8]->to_row(), frame(0).to_row());
    const AtomsIO summed = concat(std::vector<AtomsIO>{a, b, c});
    EXPECT_EQ(summed.size(), 12u);
    EXPECT_THROW(concat(std::vector<AtomsIO>{}), Error);
}

TEST_F(Concat, ViewsAndFacadesMix) {
    // b.rows(1..3) is ethanol 6 and 7; a.rows({4, 0}) is 4 and 0.
    const AtomsIO mixed = a.rows({4, 0}) + b.rows(Slice(1, 3)) + c;
    ASSERT_EQ(mixed.size(), 8u);
    const std::vector<std::size_t> expected{4, 0, 6, 7, 8, 9, 10, 11};
    for (std::size_t j = 0; j < expected.size(); ++j)
        EXPECT_EQ(mixed[static_cast<std::int64_t>(j)]->to_row(), frame(expected[j]).to_row()) << j;
}

TEST_F(Concat, ManyRowsAreReadOncePerSourceAndComeBackInRequestOrder) {
    const AtomsIO all = a + b + c;
    const auto picked = all.rows({11, 0, 6, 2, 9, 5}).to_list();
    const std::vector<std::size_t> expected{11, 0, 6, 2, 9, 5};
    for (std::size_t j = 0; j < expected.size(); ++j)
        EXPECT_EQ(picked[j]->to_row(), frame(expected[j]).to_row());
    EXPECT_EQ(a_->reads().size(), 1u);
    EXPECT_EQ(b_->reads().size(), 1u);
    EXPECT_EQ(c_->reads().size(), 1u);
    EXPECT_EQ(a_->rows_read(), (Indices{0, 2}));
    EXPECT_EQ(b_->rows_read(), (Indices{1, 0}));
    EXPECT_EQ(c_->rows_read(), (Indices{3, 1}));

    const auto energies = all.rows({7, 1, 10}).column("calc.energy").to_list();
    ASSERT_EQ(energies.size(), 3u);
    EXPECT_EQ(*energies[0], truth[7].at("calc.energy"));
    EXPECT_EQ(*energies[1], truth[1].at("calc.energy"));
    EXPECT_EQ(*energies[2], truth[10].at("calc.energy"));
}

TEST_F(Concat, LengthsAreLive) {
    const AtomsIO all = a + b;
    EXPECT_EQ(all.size(), 8u);
    a.append(frame(19));
    ASSERT_EQ(all.size(), 9u);
    EXPECT_EQ(all[5]->to_row(), frame(19).to_row()); // a's new last row comes before b's rows
    EXPECT_EQ(all[6]->to_row(), frame(5).to_row());
}

TEST_F(Concat, EveryWriteIsRefusedAndNamesTheConcatenation) {
    AtomsIO all = a + b;
    const auto refused = [](const std::function<void()>& write) {
        try {
            write();
        } catch (const ReadOnlyError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    for (const auto& message :
         {refused([&] { all.append(frame(0)); }), refused([&] { all.set(0, frame(1)); }),
          refused([&] { all.erase(0); }), refused([&] { all.drop({"calc.energy"}); }), refused([&] {
              all.rows(Slice(0, 2)).update({{"info.x", Value(1)}});
          }),
          refused([&] { all.rows({0}).column("calc.energy").set({Value(1.0)}); })}) {
        EXPECT_NE(message.find("concatenation (read-only)"), std::string::npos) << message;
    }
    EXPECT_FALSE(all.writable());
    EXPECT_EQ(a.size(), 5u);
}

// Tiers do not mix: there is no AtomsIO + ObjectIO (Python raises TypeError at run time).
template <class A, class B, class = void> struct Addable : std::false_type {};
template <class A, class B>
struct Addable<A, B, std::void_t<decltype(std::declval<A>() + std::declval<B>())>> : std::true_type {};
static_assert(Addable<AtomsIO, AtomsIO>::value);
static_assert(Addable<ObjectIO, RowView<ObjectItems>>::value);
static_assert(!Addable<AtomsIO, ObjectIO>::value);
static_assert(!Addable<BlobIO, RowView<ObjectItems>>::value);
static_assert(
    std::is_same_v<decltype(std::declval<AtomsIO>() + std::declval<RowView<AtomsItems>>()), AtomsIO>);

} // namespace
} // namespace asebytes::test
