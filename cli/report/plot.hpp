#pragma once
// The plotting code of `asebytes report`: axis ticks, histogram binning (also for streams larger
// than memory) and inline SVG charts. No dependencies beyond the standard library, so that it is
// tested on its own (tests/cli/plot_test.cpp).
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace asebytes::cli::report {

/// An axis from lo to hi with ticks at multiples of a "nice" step (1, 2 or 5 x 10^k).
struct Axis {
    double lo = 0, hi = 1, step = 0.2;
    std::vector<double> ticks;
};

/// The smallest 1, 2 or 5 x 10^k that is >= raw (raw > 0, finite); 1 otherwise.
double nice_step(double raw);
/// An axis covering [lo, hi] with at most about `max_ticks` ticks; widened around a single value,
/// [0, 1] when neither end is finite.
Axis nice_axis(double lo, double hi, std::size_t max_ticks = 6);
/// A tick label with as many decimals as `step` needs ("0.25", "1e+06", never "-0").
std::string tick_label(double value, double step);

/// Finite minimum and maximum of a series, and how many values were not finite.
struct Range {
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    std::size_t count = 0;      ///< finite values
    std::size_t non_finite = 0; ///< NaN and +-inf, left out of every plot

    void add(double x);
    void merge(const Range& other);
    bool empty() const { return count == 0; }
};

/// Equal-width bins lo + i * width, i = 0 .. bins; width is a nice step.
struct BinEdges {
    double lo = 0, width = 1;
    std::size_t bins = 1;

    double edge(std::size_t i) const { return lo + static_cast<double>(i) * width; }
    double hi() const { return edge(bins); }
    /// The bin of a finite x, clamped to the first and last bin.
    std::size_t index_of(double x) const;
};

/// About `target_bins` bins of a nice width, aligned to multiples of it, covering the range;
/// one bin around a constant value, [0, 1) for an empty range.
BinEdges bin_edges(const Range& range, std::size_t target_bins = 30);
/// Counts of the finite values in each bin.
std::vector<double> count_into(const std::vector<double>& values, const BinEdges& edges);

/// A histogram of a stream of any length in fixed memory: the first values are kept exactly;
/// after that they are counted in `fine_bins` bins whose width doubles (neighbours merged)
/// whenever a value falls outside, so the data always spans at least half of them.
class StreamingHistogram {
public:
    explicit StreamingHistogram(std::size_t fine_bins = 2048, std::size_t exact_values = 4096);
    void add(double x);
    const Range& range() const { return range_; }
    /// Counts in `edges` (each fine bin counted at its centre, clamped to the edges' range).
    std::vector<double> rebin(const BinEdges& edges) const;

private:
    void start_bins();
    void count(double x);
    void grow_right();
    void grow_left();

    std::size_t fine_bins_, exact_values_;
    std::vector<double> exact_; ///< the first values, until there are exact_values_ of them
    double origin_ = 0, width_ = 0;
    std::vector<double> counts_; ///< empty while the values are kept exactly
    Range range_;
};

/// One curve of a chart: its name in the legend and its values.
struct Series {
    std::string name;
    std::vector<double> y; ///< a histogram's counts, a bar chart's value per category
    std::vector<double> x; ///< only for line charts
};

/// The Okabe-Ito colour of series i (distinguishable with the common colour-vision deficiencies).
const char* series_colour(std::size_t i);

/// Overlaid histograms on common bins; with several series each is shown as a fraction of its
/// values, so that parts of different sizes compare.
std::string histogram_svg(const std::string& x_label, const BinEdges& edges,
                          const std::vector<Series>& series, const std::string& unit_of_count);
/// Grouped bars, one group per category.
std::string bar_svg(const std::string& y_label, const std::vector<std::string>& categories,
                    const std::vector<Series>& series);
/// Points joined by lines, per series (x sorted by the caller).
std::string line_svg(const std::string& x_label, const std::string& y_label,
                     const std::vector<Series>& series);

/// Text made safe inside HTML and SVG elements and attributes.
std::string html_escape(const std::string& text);

} // namespace asebytes::cli::report
