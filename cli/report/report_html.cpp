#include "report_html.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>

#include "asebytes/elements.hpp"

namespace asebytes::cli::report {

namespace {

constexpr const char* kStyle = R"(body{font-family:sans-serif;margin:2em;max-width:1300px;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:2px 8px;
text-align:left}th{background:#f3f3f3}section.plot{display:inline-block;vertical-align:top;
margin:0 1em 1.5em 0}section.plot h2{font-size:1.05em;margin:0.2em 0}p.note{color:#8a4b00;
background:#fff4e0;padding:0.4em 0.8em;max-width:560px}p.caption{font-size:0.85em;color:#555;
max-width:600px})";

std::string esc(const std::string& s) { return html_escape(s); }

std::string fmt_g(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return buf;
}

std::string cell(const std::string& text) { return "<td>" + esc(text) + "</td>"; }

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (const auto& s : items)
        out += (out.empty() ? "" : sep) + s;
    return out;
}

std::string join_set(const std::set<std::string>& items) {
    return join(std::vector<std::string>(items.begin(), items.end()), "|");
}

std::string header_table(const StoreHeader& h) {
    std::size_t rows = 0, placeholders = 0;
    for (const auto& g : h.groups)
        rows += g.rows, placeholders += g.placeholders;
    std::string out = "<table id=\"summary\">\n";
    out += "<tr><th>store</th><td id=\"store\">" + esc(h.store) + "</td></tr>\n";
    out += "<tr><th>backend</th><td id=\"backend\">" + esc(h.backend) + "</td></tr>\n";
    out += "<tr><th>groups</th><td id=\"groups\">" + esc(join(h.all_groups, ", ")) + "</td></tr>\n";
    out += "<tr><th>rows</th><td id=\"rows\">" + std::to_string(rows) + "</td></tr>\n";
    out +=
        "<tr><th>placeholders</th><td id=\"placeholders\">" + std::to_string(placeholders) + "</td></tr>\n";
    return out + "</table>\n";
}

std::string group_table(const GroupSummary& g) {
    std::string out = "<h3>group '" + esc(g.name) + "': <span class=\"group-rows\">" +
                      std::to_string(g.rows) + "</span> rows, <span class=\"group-placeholders\">" +
                      std::to_string(g.placeholders) + "</span> placeholders</h3>\n";
    out += "<table class=\"keys\" data-group=\"" + esc(g.name) + "\" data-rows=\"" + std::to_string(g.rows) +
           "\" data-placeholders=\"" + std::to_string(g.placeholders) + "\">\n";
    out += "<tr><th>key</th><th>type</th><th>dtype</th><th>shape</th><th>rows</th></tr>\n";
    for (const auto& [name, k] : g.keys)
        out += "<tr data-key=\"" + esc(name) + "\">" + cell(name) + cell(join_set(k.types)) +
               cell(join_set(k.dtypes)) + cell(shape_text(k)) + "<td class=\"key-rows\">" +
               std::to_string(k.rows) + "</td></tr>\n";
    return out + "</table>\n";
}

std::string section(const std::string& id, const std::string& title, const std::string& body) {
    return "<section class=\"plot\" id=\"plot-" + id + "\">\n<h2>" + esc(title) + "</h2>\n" + body +
           "</section>\n";
}

std::string missing(const std::string& id, const std::string& title, const std::string& why) {
    return "<section class=\"plot missing\" id=\"plot-" + id + "\">\n<h2>" + esc(title) +
           "</h2>\n<p class=\"note\">Left out: " + esc(why) + "</p>\n</section>\n";
}

std::string non_finite_note(const Range& r) {
    if (r.non_finite == 0) return "";
    return "<p class=\"note\">" + std::to_string(r.non_finite) +
           " value(s) that are NaN or infinite are not shown.</p>\n";
}

using Pick = std::function<const std::vector<double>*(const SeriesData&)>;

// Overlaid histograms of one per-frame scalar, or nothing when no series has a value.
std::string frame_histogram(const ReportData& data, const Pick& pick, const std::string& x_label,
                            std::string* note) {
    Range range;
    for (const auto& s : data.series())
        if (const auto* v = pick(s))
            for (double x : *v)
                range.add(x);
    if (range.empty()) return "";
    const BinEdges edges = bin_edges(range);
    std::vector<Series> series;
    for (const auto& s : data.series()) {
        const auto* v = pick(s);
        series.push_back(
            Series{s.name, v ? count_into(*v, edges) : std::vector<double>(edges.bins, 0.0), {}});
    }
    if (note) *note += non_finite_note(range);
    return histogram_svg(x_label, edges, series, "frames");
}

std::string scalar_plot(const ReportData& data, const std::string& id, const std::string& title,
                        const std::string& x_label, const Pick& pick, const std::string& why_missing,
                        const std::string& caption = "") {
    std::string note;
    const std::string svg = frame_histogram(data, pick, x_label, &note);
    if (svg.empty()) return missing(id, title, why_missing);
    return section(id, title,
                   svg + note + (caption.empty() ? "" : "<p class=\"caption\">" + esc(caption) + "</p>\n"));
}

std::string stress_plot(const ReportData& data) {
    static const char* const kNames[] = {"xx", "yy", "zz", "yz", "xz", "xy"};
    std::string body;
    for (std::size_t c = 0; c < 6; ++c)
        body += frame_histogram(
            data, [c](const SeriesData& s) { return &s.stress[c]; },
            std::string("stress ") + kNames[c] + " (eV/\u00c5\u00b3)", nullptr);
    if (body.empty()) return missing("stress", "Stress components", "no frame has calc.stress.");
    return section("stress", "Stress components (Voigt, ASE sign)", body);
}

std::vector<int> elements_seen(const ReportData& data) {
    std::map<int, std::size_t> atoms;
    for (const auto& s : data.series())
        for (const auto& [z, h] : s.force_by_element)
            atoms[z] += h.range().count;
    std::vector<int> out;
    for (const auto& [z, n] : atoms)
        out.push_back(z);
    std::stable_sort(out.begin(), out.end(), [&](int a, int b) { return atoms[a] > atoms[b]; });
    if (out.size() > 8) out.resize(8); // the commonest; a report is not a periodic table
    return out;
}

std::string force_per_atom_plot(const ReportData& data) {
    std::string body;
    for (int z : elements_seen(data)) {
        Range range;
        for (const auto& s : data.series())
            if (auto it = s.force_by_element.find(z); it != s.force_by_element.end())
                range.merge(it->second.range());
        if (range.empty()) continue;
        const BinEdges edges = bin_edges(range, 40);
        std::vector<Series> series;
        for (const auto& s : data.series()) {
            const auto it = s.force_by_element.find(z);
            series.push_back(Series{s.name,
                                    it == s.force_by_element.end() ? std::vector<double>(edges.bins, 0.0)
                                                                   : it->second.rebin(edges),
                                    {}});
        }
        const std::string element = z == 0 ? "atoms" : element_symbol(z);
        body += "<div class=\"element\" data-element=\"" + esc(element) + "\">" +
                histogram_svg("|F| of " + element + " (eV/\u00c5)", edges, series, "atoms") + "</div>\n";
    }
    if (body.empty()) return missing("force-per-atom", "|F| per atom", "no frame has calc.forces.");
    return section("force-per-atom", "|F| per atom, by element", body);
}

std::string composition_plot(const ReportData& data) {
    std::map<int, std::size_t> total;
    for (const auto& s : data.series())
        for (const auto& [z, n] : s.species)
            total[z] += n;
    if (total.empty()) return missing("composition", "Composition", "no frame has arrays.numbers.");
    std::vector<std::string> categories;
    std::vector<Series> series;
    for (const auto& s : data.series()) {
        Series out{s.name, {}, {}};
        for (const auto& [z, n] : total) {
            const auto it = s.species.find(z);
            out.y.push_back(it == s.species.end() ? 0.0 : static_cast<double>(it->second));
        }
        series.push_back(std::move(out));
    }
    for (const auto& [z, n] : total)
        categories.push_back(element_symbol(z));
    return section("composition", "Composition (atoms per element)", bar_svg("atoms", categories, series));
}

std::string trace_plot(const ReportData& data, const std::string& id, const std::string& title,
                       const std::string& y_label, bool temperature, const std::string& why_missing) {
    std::vector<Series> series;
    bool any = false;
    for (const auto& s : data.series()) {
        Series out{s.name, temperature ? s.temperature_y : s.energy_y,
                   temperature ? s.temperature_x : s.energy_x};
        // Sorted by step: a shuffled split is still read along the trajectory.
        std::vector<std::size_t> order(out.x.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return out.x[a] < out.x[b]; });
        Series sorted{s.name, {}, {}};
        for (auto i : order)
            sorted.x.push_back(out.x[i]), sorted.y.push_back(out.y[i]);
        any = any || !sorted.x.empty();
        series.push_back(std::move(sorted));
    }
    if (!any) return missing(id, title, why_missing);
    const std::string x_label =
        data.steps_seen() ? (data.rows_without_step() ? "info.step (row where absent)" : "info.step") : "row";
    return section(id, title, line_svg(x_label, y_label, series));
}

std::string outlier_rows(const std::string& what, const TopK& top, const std::string& unit) {
    std::string out;
    for (std::size_t i = 0; i < top.items().size(); ++i) {
        const auto& o = top.items()[i];
        out += "<tr><td>" + esc(what) + "</td><td>" + std::to_string(i + 1) + "</td><td>" + esc(o.group) +
               "</td><td class=\"row\">" + std::to_string(o.row) + "</td><td>" + esc(o.series) + "</td><td>" +
               fmt_g(o.value) + " " + esc(unit) + "</td></tr>\n";
    }
    return out;
}

std::string outliers(const ReportData& data) {
    const std::string rows = outlier_rows("largest max |F|", data.top_force(), "eV/\u00c5") +
                             outlier_rows("lowest energy per atom", data.low_energy(), "eV") +
                             outlier_rows("highest energy per atom", data.high_energy(), "eV");
    if (rows.empty()) return missing("outliers", "Outliers", "no frame has calc.energy or calc.forces.");
    return "<section id=\"outliers\">\n<h2>Outliers</h2>\n<table "
           "id=\"outlier-table\">\n<tr><th>by</th><th>rank</th>"
           "<th>group</th><th>row</th><th>series</th><th>value</th></tr>\n" +
           rows +
           "</table>\n<p class=\"caption\">Rows are positions within their group: asebytes show STORE "
           "ROW --group GROUP prints one.</p>\n</section>\n";
}

std::string series_note(const ReportData& data) {
    std::string out;
    if (data.folded_series())
        out += "<p class=\"note\">More than seven series: the rest are drawn together as 'other'.</p>\n";
    if (data.unknown_constraints() > 0)
        out += "<p class=\"note\">" + std::to_string(data.unknown_constraints()) +
               " frame(s) with constraints other than FixAtoms and FixCom have no temperature.</p>\n";
    return out;
}

std::string plots(const ReportData& data) {
    std::string out;
    out += scalar_plot(
        data, "energy-per-atom", "Energy per atom", "calc.energy / atoms (eV)",
        [](const SeriesData& s) { return &s.energy_per_atom; },
        "no frame has both calc.energy and arrays.numbers.");
    out += scalar_plot(
        data, "max-force", "Largest force per frame", "max |F| (eV/\u00c5)",
        [](const SeriesData& s) { return &s.max_force; }, "no frame has calc.forces.");
    out += force_per_atom_plot(data);
    out += scalar_plot(
        data, "natoms", "Atoms per frame", "atoms", [](const SeriesData& s) { return &s.natoms; },
        "no frame has arrays.numbers.");
    out += composition_plot(data);
    out += stress_plot(data);
    out += scalar_plot(
        data, "volume-per-atom", "Volume per atom", "cell volume / atoms (\u00c5\u00b3)",
        [](const SeriesData& s) { return &s.volume_per_atom; }, "no frame has a cell of non-zero volume.");
    out += trace_plot(data, "energy-trace", "Energy along the trajectory", "calc.energy (eV)", false,
                      "no frame has calc.energy.");
    out += trace_plot(data, "temperature-trace", "Temperature along the trajectory", "T (K)", true,
                      "no frame has arrays.momenta (T = 2 KE / (dof kB), as ASE's Atoms.get_temperature).");
    return out;
}

std::string extra_plots(const ReportData& data, const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& key : keys) {
        std::string id = "key-";
        for (char c : key)
            id += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
        out += scalar_plot(
            data, id, key, key,
            [key](const SeriesData& s) {
                const auto it = s.extra.find(key);
                return it == s.extra.end() ? nullptr : &it->second;
            },
            "no frame has a number under " + key + ".");
    }
    return out;
}

} // namespace

std::string report_html(const StoreHeader& header, const ReportData& data,
                        const std::vector<std::string>& keys) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
           "'unsafe-inline'\">\n";
    out += "<title>asebytes report: " + esc(header.store) + "</title>\n<style>" + kStyle +
           "</style>\n</head>\n<body>\n";
    out += "<h1>asebytes report: " + esc(header.store) + "</h1>\n" + header_table(header);
    for (const auto& g : header.groups)
        out += group_table(g);
    std::vector<std::string> names;
    for (const auto& s : data.series())
        names.push_back(s.name + " (" + std::to_string(s.frames) + " frames)");
    out += "<p id=\"series\">Series: " + esc(join(names, ", ")) + "</p>\n" + series_note(data);
    out += plots(data) + extra_plots(data, keys) + outliers(data);
    return out + "</body>\n</html>\n";
}

} // namespace asebytes::cli::report
