#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace asebytes::cli::report {

namespace {

constexpr double kWidth = 600, kHeight = 320;
constexpr double kLeft = 70, kRight = 16, kTop = 30, kBottom = 50;

std::string number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", x);
    return buf;
}

// (hi - lo) / n without overflowing when the ends are near +-DBL_MAX.
double span_over(double lo, double hi, double n) { return hi / n - lo / n; }

} // namespace

double nice_step(double raw) {
    if (!(raw > 0) || !std::isfinite(raw)) return 1;
    const double base = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / base;
    constexpr double kSlack = 1 + 1e-9; // 0.3 / 0.1 is 2.9999999999999996
    if (f <= 1 * kSlack) return base;
    if (f <= 2 * kSlack) return 2 * base;
    if (f <= 5 * kSlack) return 5 * base;
    return 10 * base;
}

Axis nice_axis(double lo, double hi, std::size_t max_ticks) {
    if (!std::isfinite(lo) && !std::isfinite(hi)) lo = 0, hi = 1;
    if (!std::isfinite(lo)) lo = hi;
    if (!std::isfinite(hi)) hi = lo;
    if (lo > hi) std::swap(lo, hi);
    if (hi - lo <= 1e-12 * std::max(std::abs(lo), std::abs(hi))) {
        const double pad = lo == 0 ? 1.0 : 0.1 * std::abs(lo);
        lo -= pad, hi += pad;
    }
    const double intervals = static_cast<double>(std::max<std::size_t>(max_ticks, 2) - 1);
    Axis axis;
    axis.step = nice_step(span_over(lo, hi, intervals));
    for (int tries = 0; tries < 4; ++tries) {
        axis.lo = std::floor(lo / axis.step) * axis.step;
        axis.hi = std::ceil(hi / axis.step) * axis.step;
        if (span_over(axis.lo, axis.hi, axis.step) <= intervals + 1e-9) break;
        axis.step = nice_step(axis.step * 1.5); // the next of 1, 2, 5
    }
    const auto n = static_cast<std::size_t>(std::llround(span_over(axis.lo, axis.hi, axis.step)));
    for (std::size_t i = 0; i <= n; ++i) {
        double t = std::round(axis.lo / axis.step + static_cast<double>(i)) * axis.step;
        if (std::abs(t) < axis.step * 1e-9) t = 0;
        axis.ticks.push_back(t);
    }
    return axis;
}

std::string tick_label(double value, double step) {
    if (std::abs(value) < std::abs(step) * 1e-9) value = 0; // no "-0"
    char buf[48];
    const double magnitude = std::max(std::abs(value), std::abs(step));
    if (step >= 1e-4 && magnitude < 1e6) {
        const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
        std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    } else {
        const int digits = static_cast<int>(std::clamp(
            std::ceil(std::log10(std::max(std::abs(value), std::abs(step)) / std::abs(step)) + 1e-9) + 1, 1.0,
            15.0));
        std::snprintf(buf, sizeof buf, "%.*g", digits, value);
    }
    return buf;
}

void Range::add(double x) {
    if (!std::isfinite(x)) {
        ++non_finite;
        return;
    }
    min = std::min(min, x);
    max = std::max(max, x);
    ++count;
}

void Range::merge(const Range& other) {
    min = std::min(min, other.min);
    max = std::max(max, other.max);
    count += other.count;
    non_finite += other.non_finite;
}

std::size_t BinEdges::index_of(double x) const {
    const double i = std::floor((x - lo) / width);
    if (!(i > 0)) return 0;
    return std::min(bins - 1, static_cast<std::size_t>(std::min(i, 1e15)));
}

BinEdges bin_edges(const Range& range, std::size_t target_bins) {
    BinEdges edges;
    if (range.empty()) return edges;
    const double span =
        span_over(range.min, range.max, static_cast<double>(std::max<std::size_t>(target_bins, 1)));
    edges.width = span > 0 ? nice_step(span) : nice_step(std::max(std::abs(range.min), 1.0) * 0.1);
    edges.lo = std::floor(range.min / edges.width) * edges.width;
    const double bins = std::floor(span_over(edges.lo, range.max, edges.width)) + 1;
    edges.bins = static_cast<std::size_t>(std::clamp(bins, 1.0, 4.0 * static_cast<double>(target_bins) + 2));
    return edges;
}

std::vector<double> count_into(const std::vector<double>& values, const BinEdges& edges) {
    std::vector<double> counts(edges.bins, 0.0);
    for (double x : values)
        if (std::isfinite(x)) counts[edges.index_of(x)] += 1;
    return counts;
}

StreamingHistogram::StreamingHistogram(std::size_t fine_bins, std::size_t exact_values)
    : fine_bins_(std::max<std::size_t>(2, fine_bins + fine_bins % 2)), exact_values_(exact_values) {}

void StreamingHistogram::add(double x) {
    range_.add(x);
    if (!std::isfinite(x)) return;
    if (!counts_.empty()) return count(x);
    exact_.push_back(x);
    if (exact_.size() > exact_values_) start_bins();
}

void StreamingHistogram::start_bins() {
    double span = span_over(range_.min, range_.max, 1.0);
    if (!(span > 0)) span = std::max(std::abs(range_.min), 1.0) * 1e-3;
    // The values so far fill half the bins, leaving room before the first doubling.
    width_ = span / static_cast<double>(fine_bins_ / 2);
    // A span of a few denormals would give bins of width 0, which no doubling widens.
    if (!(width_ >= std::numeric_limits<double>::min()))
        width_ = std::max(std::abs(range_.min), 1.0) * 1e-3 / static_cast<double>(fine_bins_ / 2);
    origin_ = range_.min;
    counts_.assign(fine_bins_, 0.0);
    for (double x : exact_)
        count(x);
    exact_.clear();
    exact_.shrink_to_fit();
}

void StreamingHistogram::count(double x) {
    const double k = static_cast<double>(fine_bins_);
    while (x < origin_ && std::isfinite(origin_))
        grow_left();
    while (x >= origin_ + k * width_ && std::isfinite(origin_ + k * width_))
        grow_right();
    const double i = std::floor((x - origin_) / width_);
    const auto index = i > 0 ? std::min(fine_bins_ - 1, static_cast<std::size_t>(i)) : 0;
    counts_[index] += 1;
}

void StreamingHistogram::grow_right() {
    const std::size_t half = fine_bins_ / 2;
    for (std::size_t j = 0; j < half; ++j)
        counts_[j] = counts_[2 * j] + counts_[2 * j + 1];
    std::fill(counts_.begin() + static_cast<std::ptrdiff_t>(half), counts_.end(), 0.0);
    width_ *= 2;
}

void StreamingHistogram::grow_left() {
    const std::size_t half = fine_bins_ / 2;
    std::vector<double> merged(fine_bins_, 0.0);
    for (std::size_t j = 0; j < half; ++j)
        merged[half + j] = counts_[2 * j] + counts_[2 * j + 1];
    counts_.swap(merged);
    origin_ -= static_cast<double>(fine_bins_) * width_;
    width_ *= 2;
}

std::vector<double> StreamingHistogram::rebin(const BinEdges& edges) const {
    if (counts_.empty()) return count_into(exact_, edges);
    std::vector<double> out(edges.bins, 0.0);
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        if (counts_[i] == 0) continue;
        const double centre = origin_ + (static_cast<double>(i) + 0.5) * width_;
        out[edges.index_of(std::clamp(centre, range_.min, range_.max))] += counts_[i];
    }
    return out;
}

const char* series_colour(std::size_t i) {
    // Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow,
    // blue, vermillion, reddish purple, black.
    static const char* const kColours[] = {"#E69F00", "#56B4E9", "#009E73", "#F0E442",
                                           "#0072B2", "#D55E00", "#CC79A7", "#000000"};
    // Blue first: it reads well alone, on white, and in print.
    static const std::size_t kOrder[] = {4, 0, 2, 6, 1, 5, 3, 7};
    return kColours[kOrder[i % 8]];
}

std::string html_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

namespace {

// The plotting area of one chart and its two axes.
struct Canvas {
    Axis x, y;
    double px(double v) const { return kLeft + (v - x.lo) / (x.hi - x.lo) * (kWidth - kLeft - kRight); }
    double py(double v) const {
        return kHeight - kBottom - (v - y.lo) / (y.hi - y.lo) * (kHeight - kTop - kBottom);
    }
};

std::string svg_open() {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + number(kWidth) + " " +
           number(kHeight) + "\" width=\"" + number(kWidth) + "\" height=\"" + number(kHeight) +
           "\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\n";
}

std::string text_at(double x, double y, const std::string& anchor, const std::string& text,
                    const std::string& extra = "") {
    return "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" text-anchor=\"" + anchor + "\"" + extra +
           ">" + html_escape(text) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& stroke) {
    return "<line x1=\"" + number(x1) + "\" y1=\"" + number(y1) + "\" x2=\"" + number(x2) + "\" y2=\"" +
           number(y2) + "\" stroke=\"" + stroke + "\"/>\n";
}

std::string y_axis(const Canvas& c, const std::string& label) {
    std::string out;
    for (double t : c.y.ticks) {
        out += line(kLeft, c.py(t), kWidth - kRight, c.py(t), "#e0e0e0");
        out += text_at(kLeft - 6, c.py(t) + 4, "end", tick_label(t, c.y.step));
    }
    const double mid = (kTop + kHeight - kBottom) / 2;
    out += text_at(16, mid, "middle", label, " transform=\"rotate(-90 16 " + number(mid) + ")\"");
    return out;
}

std::string x_axis(const Canvas& c, const std::string& label) {
    std::string out;
    for (double t : c.x.ticks) {
        out += line(c.px(t), kHeight - kBottom, c.px(t), kHeight - kBottom + 5, "#333");
        out += text_at(c.px(t), kHeight - kBottom + 18, "middle", tick_label(t, c.x.step));
    }
    out += text_at((kLeft + kWidth - kRight) / 2, kHeight - 10, "middle", label);
    return out;
}

std::string frame_box() {
    return "<rect x=\"" + number(kLeft) + "\" y=\"" + number(kTop) + "\" width=\"" +
           number(kWidth - kLeft - kRight) + "\" height=\"" + number(kHeight - kTop - kBottom) +
           "\" fill=\"none\" stroke=\"#333\"/>\n";
}

std::string legend(const std::vector<Series>& series) {
    if (series.size() < 2) return "";
    std::string out;
    double x = kLeft;
    for (std::size_t i = 0; i < series.size(); ++i) {
        out += "<rect x=\"" + number(x) + "\" y=\"10\" width=\"12\" height=\"12\" fill=\"" +
               series_colour(i) + "\"/>\n";
        out += text_at(x + 16, 20, "start", series[i].name);
        x += 28 + 7 * static_cast<double>(series[i].name.size());
    }
    return out;
}

double largest(const std::vector<Series>& series) {
    double m = 0;
    for (const auto& s : series)
        for (double v : s.y)
            if (std::isfinite(v)) m = std::max(m, v);
    return m;
}

std::vector<double> as_fractions(const std::vector<double>& counts) {
    double total = 0;
    for (double c : counts)
        total += c;
    std::vector<double> out(counts);
    if (total > 0)
        for (double& v : out)
            v /= total;
    return out;
}

} // namespace

std::string histogram_svg(const std::string& x_label, const BinEdges& edges,
                          const std::vector<Series>& series, const std::string& unit_of_count) {
    std::vector<Series> shown = series;
    if (series.size() > 1)
        for (auto& s : shown)
            s.y = as_fractions(s.y);
    Canvas c{nice_axis(edges.lo, edges.hi()), nice_axis(0, std::max(largest(shown), 1e-300))};
    c.y = nice_axis(0, largest(shown) > 0 ? largest(shown) : 1);
    std::string out =
        svg_open() + y_axis(c, series.size() > 1 ? "fraction of " + unit_of_count : unit_of_count);
    for (std::size_t s = 0; s < shown.size(); ++s) {
        // A step outline over the bins, filled lightly so that overlaid parts stay visible.
        std::string d = "M" + number(c.px(edges.lo)) + "," + number(c.py(0));
        for (std::size_t i = 0; i < edges.bins && i < shown[s].y.size(); ++i) {
            d += " L" + number(c.px(edges.edge(i))) + "," + number(c.py(shown[s].y[i]));
            d += " L" + number(c.px(edges.edge(i + 1))) + "," + number(c.py(shown[s].y[i]));
        }
        d += " L" + number(c.px(edges.hi())) + "," + number(c.py(0)) + " Z";
        const char* colour = series_colour(s);
        out += "<path class=\"series\" d=\"" + d + "\" fill=\"" + colour + "\" fill-opacity=\"" +
               (shown.size() > 1 ? "0.25" : "0.6") + "\" stroke=\"" + colour + "\" stroke-width=\"1.5\"/>\n";
    }
    return out + frame_box() + x_axis(c, x_label) + legend(series) + "</svg>\n";
}

std::string bar_svg(const std::string& y_label, const std::vector<std::string>& categories,
                    const std::vector<Series>& series) {
    Canvas c{Axis{}, nice_axis(0, largest(series) > 0 ? largest(series) : 1)};
    std::string out = svg_open() + y_axis(c, y_label);
    const double slot =
        (kWidth - kLeft - kRight) / static_cast<double>(std::max<std::size_t>(categories.size(), 1));
    const double bar = slot * 0.8 / static_cast<double>(std::max<std::size_t>(series.size(), 1));
    for (std::size_t k = 0; k < categories.size(); ++k) {
        const double x0 = kLeft + slot * (static_cast<double>(k) + 0.1);
        for (std::size_t s = 0; s < series.size(); ++s) {
            const double v = k < series[s].y.size() ? series[s].y[k] : 0;
            out += "<rect class=\"series\" x=\"" + number(x0 + bar * static_cast<double>(s)) + "\" y=\"" +
                   number(c.py(v)) + "\" width=\"" + number(bar) + "\" height=\"" +
                   number(c.py(0) - c.py(v)) + "\" fill=\"" + series_colour(s) + "\"><title>" +
                   html_escape(categories[k]) + ": " + tick_label(v, 1) + "</title></rect>\n";
        }
        out += text_at(x0 + slot * 0.4, kHeight - kBottom + 18, "middle", categories[k]);
    }
    return out + frame_box() + legend(series) + "</svg>\n";
}

std::string line_svg(const std::string& x_label, const std::string& y_label,
                     const std::vector<Series>& series) {
    Range xr, yr;
    for (const auto& s : series)
        for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
            if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) xr.add(s.x[i]), yr.add(s.y[i]);
    Canvas c{nice_axis(xr.min, xr.max), nice_axis(yr.min, yr.max)};
    std::string out = svg_open() + y_axis(c, y_label);
    constexpr std::size_t kMaxPoints = 2000; // a bounded file for long trajectories
    for (std::size_t s = 0; s < series.size(); ++s) {
        const std::size_t n = std::min(series[s].x.size(), series[s].y.size());
        const std::size_t stride = n / kMaxPoints + 1;
        std::string points;
        for (std::size_t i = 0; i < n; i += stride)
            if (std::isfinite(series[s].x[i]) && std::isfinite(series[s].y[i]))
                points += number(c.px(series[s].x[i])) + "," + number(c.py(series[s].y[i])) + " ";
        out += "<polyline class=\"series\" points=\"" + points + "\" fill=\"none\" stroke=\"" +
               series_colour(s) + "\" stroke-width=\"1.5\"/>\n";
    }
    return out + frame_box() + x_axis(c, x_label) + legend(series) + "</svg>\n";
}

} // namespace asebytes::cli::report
