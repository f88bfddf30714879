// The report's plotting code (cli/report/): nice ticks, binning of exact and streamed values, the
// temperature as ASE computes it, and the SVG it draws.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>

#include "report/plot.hpp"
#include "report/report_data.hpp"

namespace asebytes::cli::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

double total(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

Range range_of(const std::vector<double>& values) {
    Range r;
    for (double x : values)
        r.add(x);
    return r;
}

TEST(NiceStep, RoundsUpToOneTwoOrFiveTimesAPowerOfTen) {
    EXPECT_DOUBLE_EQ(nice_step(0.3), 0.5);
    EXPECT_DOUBLE_EQ(nice_step(0.2), 0.2);
    EXPECT_DOUBLE_EQ(nice_step(7), 10);
    EXPECT_DOUBLE_EQ(nice_step(1), 1);
    EXPECT_DOUBLE_EQ(nice_step(1.5e-7), 2e-7);
}

TEST(NiceStep, IsOneForZeroNaNAndInfinity) {
    EXPECT_EQ(nice_step(0), 1);
    EXPECT_EQ(nice_step(kNaN), 1);
    EXPECT_EQ(nice_step(kInf), 1);
}

TEST(NiceAxis, CoversTheRangeWithTicksAtMultiplesOfTheStep) {
    const Axis a = nice_axis(0.13, 9.7);
    EXPECT_LE(a.lo, 0.13);
    EXPECT_GE(a.hi, 9.7);
    EXPECT_DOUBLE_EQ(a.step, 2);
    EXPECT_LE(a.ticks.size(), 7u);
    for (double t : a.ticks)
        EXPECT_NEAR(std::remainder(t, a.step), 0, 1e-12) << t;
}

TEST(NiceAxis, WidensAroundAConstantValue) {
    const Axis a = nice_axis(-3.5, -3.5);
    EXPECT_LT(a.lo, -3.5);
    EXPECT_GT(a.hi, -3.5);
    const Axis z = nice_axis(0, 0);
    EXPECT_LT(z.lo, 0);
    EXPECT_GT(z.hi, 0);
}

TEST(NiceAxis, FallsBackToZeroOneWithoutFiniteEnds) {
    const Axis a = nice_axis(kNaN, kInf);
    EXPECT_EQ(a.lo, 0);
    EXPECT_EQ(a.hi, 1);
    const Axis b = nice_axis(kNaN, 4);
    EXPECT_LT(b.lo, 4);
    EXPECT_GT(b.hi, 4);
}

TEST(NiceAxis, StaysFiniteAtTheEndsOfTheDoubleRange) {
    const Axis a = nice_axis(-1e308, 1e308);
    EXPECT_TRUE(std::isfinite(a.step));
    EXPECT_GE(a.ticks.size(), 2u);
}

TEST(TickLabel, UsesTheDecimalsTheStepNeedsAndNeverMinusZero) {
    EXPECT_EQ(tick_label(0.25, 0.05), "0.25");
    EXPECT_EQ(tick_label(4, 2), "4");
    EXPECT_EQ(tick_label(-1e-17, 0.1), "0.0");
    EXPECT_EQ(tick_label(1e6, 2e5), "1e+06");
    EXPECT_EQ(tick_label(3e-6, 1e-6), "3e-06");
}

TEST(BinEdges, OneRowGivesOneBinHoldingIt) {
    const Range r = range_of({2.5});
    const BinEdges e = bin_edges(r);
    EXPECT_EQ(e.bins, 1u);
    EXPECT_LE(e.lo, 2.5);
    EXPECT_GT(e.hi(), 2.5);
    EXPECT_EQ(count_into({2.5}, e), std::vector<double>{1});
}

TEST(BinEdges, ConstantValuesLandInOneBin) {
    const std::vector<double> v(100, -7.25);
    const auto counts = count_into(v, bin_edges(range_of(v)));
    EXPECT_EQ(total(counts), 100);
    EXPECT_EQ(*std::max_element(counts.begin(), counts.end()), 100);
}

TEST(BinEdges, AnEmptyRangeGivesOneEmptyBin) {
    const BinEdges e = bin_edges(Range{});
    EXPECT_EQ(e.bins, 1u);
    EXPECT_EQ(count_into({}, e), std::vector<double>{0});
}

TEST(BinEdges, NiceWidthsAlignedToTheirMultiplesWithTheMaximumInTheLastBin) {
    const std::vector<double> v{0, 0.5, 1};
    const BinEdges e = bin_edges(range_of(v), 30);
    EXPECT_DOUBLE_EQ(e.width, 0.05);
    EXPECT_DOUBLE_EQ(e.lo, 0);
    EXPECT_EQ(e.index_of(1.0), e.bins - 1);
    EXPECT_GE(e.hi(), 1.0);
}

TEST(BinEdges, NaNAndInfinityAreCountedApartAndNotBinned) {
    const std::vector<double> v{1, kNaN, 2, kInf, -kInf, 3};
    const Range r = range_of(v);
    EXPECT_EQ(r.count, 3u);
    EXPECT_EQ(r.non_finite, 3u);
    EXPECT_EQ(r.min, 1);
    EXPECT_EQ(r.max, 3);
    EXPECT_EQ(total(count_into(v, bin_edges(r))), 3);
}

TEST(StreamingHistogram, KeepsTheFirstValuesExactly) {
    StreamingHistogram h(64, 100);
    std::vector<double> v;
    for (int i = 0; i < 50; ++i)
        v.push_back(0.37 * i), h.add(0.37 * i);
    const BinEdges e = bin_edges(h.range());
    EXPECT_EQ(h.rebin(e), count_into(v, e));
}

TEST(StreamingHistogram, KeepsEveryCountWhileItsBinsGrowBothWays) {
    StreamingHistogram h(256, 8);
    std::vector<double> v;
    for (int i = 0; i < 5000; ++i) {
        const double x = (i % 2 ? 1 : -1) * 0.01 * i; // outward, both signs: many doublings
        v.push_back(x);
        h.add(x);
    }
    EXPECT_EQ(h.range().count, 5000u);
    EXPECT_DOUBLE_EQ(h.range().min, *std::min_element(v.begin(), v.end()));
    const BinEdges e = bin_edges(h.range(), 10);
    const auto streamed = h.rebin(e), exact = count_into(v, e);
    EXPECT_EQ(total(streamed), 5000);
    for (std::size_t i = 0; i < e.bins; ++i)
        EXPECT_NEAR(streamed[i], exact[i], 0.02 * 5000) << "bin " << i; // fine bins, coarse display
}

TEST(StreamingHistogram, CopesWithConstantValuesAndNaN) {
    StreamingHistogram h(16, 4);
    for (int i = 0; i < 1000; ++i)
        h.add(i % 10 == 0 ? kNaN : 5.0);
    h.add(6.0);
    EXPECT_EQ(h.range().non_finite, 100u);
    EXPECT_EQ(total(h.rebin(bin_edges(h.range()))), 901);
}

TEST(StreamingHistogram, ValuesApartByDenormalsThenFarAwayEndInTheirBins) {
    StreamingHistogram h(16, 4);
    const double tiny = std::numeric_limits<double>::denorm_min();
    for (int i = 0; i < 5; ++i)
        h.add(i * tiny); // bins of width 0 would never grow to reach the next value
    h.add(1.0);
    EXPECT_EQ(total(h.rebin(bin_edges(h.range()))), 6);
}

TEST(TopK, KeepsTheLargestInOrder) {
    TopK top(3, true);
    std::size_t row = 0;
    for (double v : {5.0, 1.0, 9.0, kNaN, 7.0, 2.0})
        top.add(Outlier{v, "g", row++, ""});
    ASSERT_EQ(top.items().size(), 3u);
    EXPECT_EQ(top.items()[0].value, 9);
    EXPECT_EQ(top.items()[0].row, 2u);
    EXPECT_EQ(top.items()[1].value, 7);
    EXPECT_EQ(top.items()[2].value, 5);
}

Row two_atoms(const std::vector<double>& momenta) {
    Row row;
    row["arrays.numbers"] = Value(NdArray::from<std::int64_t>({2}, {29, 29}));
    row["arrays.momenta"] = Value(NdArray::from<double>({2, 3}, momenta));
    row["arrays.masses"] = Value(NdArray::from<double>({2}, {2.0, 4.0}));
    return row;
}

TEST(Temperature, IsTwiceTheKineticEnergyOverThreeNkB) {
    // KE = 0.5 * (1 / 2 + 4 / 4) = 0.75 eV over 6 degrees of freedom.
    const auto t = temperature_of(two_atoms({1, 0, 0, 0, 2, 0}));
    ASSERT_TRUE(t);
    EXPECT_NEAR(*t, 2 * 0.75 / (6 * 8.6173303e-5), 1e-6 * *t);
}

TEST(Temperature, FixAtomsRemovesThreeDegreesOfFreedomPerAtom) {
    Row row = two_atoms({1, 0, 0, 0, 2, 0});
    const Map kwargs{{std::string("indices"), Value(List{Value(0)})}};
    const Map fix{{std::string("name"), Value("FixAtoms")}, {std::string("kwargs"), Value(kwargs)}};
    row["constraints"] = Value(List{Value(fix)});
    const auto t = temperature_of(row);
    ASSERT_TRUE(t);
    EXPECT_NEAR(*t, 2 * 0.75 / (3 * kBoltzmann), 1e-9 * *t);
}

TEST(Temperature, NeedsMomentaAndKnownConstraints) {
    Row row = two_atoms({1, 0, 0, 0, 2, 0});
    const Map other{{std::string("name"), Value("FixBondLengths")}};
    row["constraints"] = Value(List{Value(other)});
    EXPECT_FALSE(temperature_of(row));
    row.erase("constraints");
    row.erase("arrays.momenta");
    EXPECT_FALSE(temperature_of(row));
}

TEST(HistogramSvg, DrawsOnePathPerSeriesAndEscapesLabels) {
    const BinEdges e = bin_edges(range_of({0, 1}), 4);
    const std::string svg =
        histogram_svg("a <b> & c", e, {Series{"x", {1, 2, 3}, {}}, Series{"y", {3, 2, 1}, {}}}, "frames");
    EXPECT_NE(svg.find("a &lt;b&gt; &amp; c"), std::string::npos);
    EXPECT_NE(svg.find("fraction of frames"), std::string::npos);
    std::size_t paths = 0;
    for (auto at = svg.find("class=\"series\""); at != std::string::npos;
         at = svg.find("class=\"series\"", at + 1))
        ++paths;
    EXPECT_EQ(paths, 2u);
    EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(SeriesColour, UsesTheOkabeItoPalette) {
    EXPECT_STREQ(series_colour(0), "#0072B2");
    EXPECT_STREQ(series_colour(1), "#E69F00");
    EXPECT_STREQ(series_colour(8), series_colour(0));
}

} // namespace
} // namespace asebytes::cli::report
