// `asebytes report`: the HTML page it writes, its header checked against `asebytes info --json`,
// and the page opened in headless Chromium (skipped where there is none; scripts/setup installs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>

#include "asebytes/asebytes.hpp"
#include "cli_runner.hpp"
#ifdef ASEBYTES_LMP
#include "lammps_run.hpp"
#endif
#include "python.hpp"

namespace asebytes::test {
namespace {

// Every plot a store with energies, forces, stress, cells, momenta and steps gets.
const std::vector<std::string> kPlots = {"energy-per-atom", "max-force",    "force-per-atom",
                                         "natoms",          "composition",  "stress",
                                         "volume-per-atom", "energy-trace", "temperature-trace"};

Row md_frame(std::mt19937& rng, std::int64_t step) {
    std::normal_distribution<double> gauss(0, 1);
    const std::size_t n = 4 + static_cast<std::size_t>(step / 10) % 5;
    std::vector<std::int64_t> numbers(n, 29);
    numbers[0] = 28;
    std::vector<double> positions, forces, momenta;
    for (std::size_t i = 0; i < 3 * n; ++i) {
        positions.push_back(3.6 * gauss(rng));
        forces.push_back(0.5 * gauss(rng));
        momenta.push_back(0.3 * gauss(rng)); // amu A / ASE time: some hundred K for Cu
    }
    const std::int64_t ni = static_cast<std::int64_t>(n);
    Row row;
    row["arrays.numbers"] = Value(NdArray::from<std::int64_t>({ni}, numbers));
    row["arrays.positions"] = Value(NdArray::from<double>({ni, 3}, positions));
    row["arrays.momenta"] = Value(NdArray::from<double>({ni, 3}, momenta));
    row["cell"] = Value(NdArray::from<double>({3, 3}, {7.2, 0, 0, 0, 7.2, 0, 0, 0, 7.2}));
    row["pbc"] = Value(NdArray::from<bool>({3}, {true, true, true}));
    row["calc.energy"] = Value(-3.5 * static_cast<double>(n) + 0.1 * gauss(rng));
    row["calc.forces"] = Value(NdArray::from<double>({ni, 3}, forces));
    row["calc.stress"] = Value(NdArray::from<double>({6}, {0.01, 0.02, 0.015, 0.001, -0.002, 0.0005}));
    row["info.step"] = Value(step);
    return row;
}

// An LMDB store with groups train (30 frames) and test (10).
fs::path md_store(const TempDir& dir) {
    const fs::path path = dir / "md.lmdb";
    std::mt19937 rng(7);
    for (const auto& [group, frames] :
         std::vector<std::pair<std::string, int>>{{"train", 30}, {"test", 10}}) {
        ObjectIO io(path.string(), OpenOptions{group, false, {}});
        std::vector<Row> rows;
        for (int i = 0; i < frames; ++i)
            rows.push_back(md_frame(rng, 10 * i));
        io.extend(rows);
    }
    return path;
}

fs::path report_of(const fs::path& store, const TempDir& dir, const std::vector<std::string>& extra = {}) {
    const fs::path out = dir / (store.filename().string() + ".html");
    std::vector<std::string> args{"report", store.string(), "-o", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    cli_output(args);
    return out;
}

bool has_plot(const std::string& html, const std::string& id) {
    return html.find("<section class=\"plot\" id=\"plot-" + id + "\">") != std::string::npos;
}

bool has_note(const std::string& html, const std::string& id) {
    return html.find("<section class=\"plot missing\" id=\"plot-" + id + "\">") != std::string::npos;
}

std::string shape_of(const Json& shape) {
    if (shape.is_null()) return "";
    if (shape.is_string()) return shape.get<std::string>();
    std::string out = "(";
    for (std::size_t d = 0; d < shape.size(); ++d)
        out += (d ? ", " : "") +
               (shape[d].is_string() ? shape[d].get<std::string>() : std::to_string(shape[d].get<long>()));
    return out + (shape.size() == 1 ? ",)" : ")");
}

// The header table of a report agrees with `asebytes info --json` of the same store.
void expect_header_matches_info(const std::string& html, const fs::path& store) {
    const Json info = cli_info_json({store.string()});
    EXPECT_NE(html.find("<td id=\"rows\">" + std::to_string(info["rows"].get<std::size_t>()) + "</td>"),
              std::string::npos);
    EXPECT_NE(html.find("<td id=\"backend\">" + info["backend"].get<std::string>() + "</td>"),
              std::string::npos);
    for (const auto& [group, g] : info["group_info"].items()) {
        EXPECT_NE(html.find("data-group=\"" + group + "\" data-rows=\"" +
                            std::to_string(g["rows"].get<std::size_t>()) + "\" data-placeholders=\"" +
                            std::to_string(g["placeholders"].get<std::size_t>()) + "\""),
                  std::string::npos)
            << group;
        for (const auto& [key, k] : g["keys"].items()) {
            const std::string dtype = k["dtype"].is_null() ? "" : k["dtype"].get<std::string>();
            const std::string want = "<tr data-key=\"" + key + "\"><td>" + key + "</td><td>" +
                                     k["type"].get<std::string>() + "</td><td>" + dtype + "</td><td>" +
                                     shape_of(k["shape"]) + "</td><td class=\"key-rows\">" +
                                     std::to_string(k["rows"].get<std::size_t>()) + "</td></tr>";
            EXPECT_NE(html.find(want), std::string::npos) << want;
        }
    }
}

TEST(CliReport, DrawsEveryPlotOfAnMdStoreWithAHeaderAsInfoGivesIt) {
    const TempDir dir;
    const auto store = md_store(dir);
    const std::string html = read_bytes(report_of(store, dir));
    for (const auto& id : kPlots)
        EXPECT_TRUE(has_plot(html, id)) << id;
    EXPECT_NE(html.find("id=\"outlier-table\""), std::string::npos);
    EXPECT_NE(html.find("train (30 frames)"), std::string::npos) << "one series per group";
    EXPECT_NE(html.find("fraction of frames"), std::string::npos) << "groups overlaid as fractions";
    expect_header_matches_info(html, store);
}

TEST(CliReport, LoadsNothingFromOutsideTheFile) {
    const TempDir dir;
    const std::string html = read_bytes(report_of(md_store(dir), dir));
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("href="), std::string::npos);
    EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
}

TEST(CliReport, LeavesOutPlotsWhoseKeysAreMissingWithANote) {
    const TempDir dir;
    const auto store = copy_golden("objects.lmdb", dir);
    const std::string html = read_bytes(report_of(store, dir));
    for (const auto& id : kPlots)
        EXPECT_TRUE(has_note(html, id)) << id;
    EXPECT_NE(html.find("Left out: no frame has calc.forces."), std::string::npos);
    expect_header_matches_info(html, store);
}

TEST(CliReport, OverlaysOneSeriesPerValueOfBy) {
    const TempDir dir;
    const auto store = copy_golden("periodic.lmdb", dir);
    const std::string html = read_bytes(report_of(store, dir, {"--by", "info.config_type", "--top", "3"}));
    std::set<std::string> types;
    for (const auto& row : truth_rows(golden_dir() / "periodic.lmdb.default.read.json"))
        types.insert(row.at("info.config_type").as_string());
    ASSERT_GT(types.size(), 1u);
    for (const auto& t : types)
        EXPECT_NE(html.find(">" + t + "</text>"), std::string::npos) << "legend names " << t;
    EXPECT_TRUE(has_note(html, "temperature-trace")) << "periodic has no momenta";
    EXPECT_TRUE(has_plot(html, "volume-per-atom"));
}

TEST(CliReport, PlotsExtraKeysAndNamesThoseNoRowHas) {
    const TempDir dir;
    const auto store = copy_golden("ethanol.lmdb", dir);
    const std::string html = read_bytes(report_of(store, dir, {"--keys", "info.temperature,info.nothing"}));
    EXPECT_TRUE(has_plot(html, "key-info-temperature"));
    EXPECT_TRUE(has_note(html, "key-info-nothing"));
    EXPECT_TRUE(has_note(html, "volume-per-atom")) << "ethanol has no cell";
}

TEST(CliReport, HelpTeachesWithExamples) {
    const CliResult r = run_cli({"report", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("asebytes report run.lmdb"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--by"), std::string::npos);
}

// ---- headless Chromium ---------------------------------------------------------------------

bool have_chromium() { return std::system("command -v chromium >/dev/null 2>&1") == 0; }

// Records script errors, failed loads and policy violations, and how many SVGs have a size,
// into <body> attributes that --dump-dom shows. Placed before the page's own CSP meta, which
// applies only to what follows it.
constexpr const char* kProbe = R"(<script>
var probeErrors = [];
window.addEventListener('error', function (e) { probeErrors.push(String(e.message || 'load error')); }, true);
document.addEventListener('securitypolicyviolation', function (e) { probeErrors.push('csp ' + e.blockedURI); });
window.addEventListener('load', function () {
  var svgs = document.querySelectorAll('svg'), drawn = 0;
  for (var i = 0; i < svgs.length; i++) { var r = svgs[i].getBoundingClientRect(); if (r.width > 0 && r.height > 0) drawn++; }
  var b = document.body;
  b.setAttribute('data-probe', 'done'); b.setAttribute('data-errors', String(probeErrors.length));
  b.setAttribute('data-error-text', probeErrors.join('; '));
  b.setAttribute('data-svgs', String(svgs.length)); b.setAttribute('data-svgs-drawn', String(drawn));
});
</script>
)";

struct Chromium {
    std::string out, err;
};

// chromium --headless on a file:// URL, offline (a proxy that refuses), with its own profile.
Chromium run_chromium(const TempDir& dir, const fs::path& page, const std::string& mode) {
    std::string command = "timeout 120 chromium --headless --disable-gpu --no-first-run --disable-extensions "
                          "--disable-background-networking --disable-sync --proxy-server=127.0.0.1:9 "
                          "--enable-logging=stderr --v=0 --virtual-time-budget=5000 --user-data-dir=" +
                          shell_quoted((dir / "profile").string());
    if (geteuid() == 0) command += " --no-sandbox"; // Chromium refuses to run as root with its sandbox
    command += " " + mode + " " + shell_quoted("file://" + fs::absolute(page).string());
    command += " >" + shell_quoted((dir / "chromium.out").string()) + " 2>" +
               shell_quoted((dir / "chromium.err").string());
    const int status = std::system(command.c_str());
    EXPECT_EQ(status, 0) << command << "\n" << read_bytes(dir / "chromium.err");
    return {read_bytes(dir / "chromium.out"), read_bytes(dir / "chromium.err")};
}

std::string attribute(const std::string& dom, const std::string& name) {
    std::smatch m;
    if (std::regex_search(dom, m, std::regex(name + "=\"([^\"]*)\""))) return m[1];
    return "(absent)";
}

void expect_renders_cleanly(const fs::path& store, const std::vector<std::string>& plots) {
    const TempDir dir;
    const fs::path page = report_of(store, dir);
    std::string html = read_bytes(page);
    html.insert(html.find("<head>") + 6, std::string("\n") + kProbe);
    const fs::path probed = dir / "probed.html";
    std::ofstream(probed) << html;
    const Chromium dom = run_chromium(dir, probed, "--dump-dom");
    EXPECT_EQ(attribute(dom.out, "data-probe"), "done") << dom.err;
    EXPECT_EQ(attribute(dom.out, "data-errors"), "0") << attribute(dom.out, "data-error-text");
    EXPECT_EQ(attribute(dom.out, "data-svgs"), attribute(dom.out, "data-svgs-drawn"))
        << "an SVG without a size";
    EXPECT_EQ(dom.err.find("Uncaught"), std::string::npos) << dom.err;
    for (const auto& id : plots)
        EXPECT_NE(dom.out.find("id=\"plot-" + id + "\""), std::string::npos) << id;
    expect_header_matches_info(dom.out, store); // the numbers as the browser parsed them
    const fs::path png = dir / "report.png";
    run_chromium(dir, page, "--window-size=1300,2200 --screenshot=" + shell_quoted(png.string()));
    EXPECT_EQ(read_bytes(png).substr(0, 4), "\x89PNG") << "no screenshot";
}

TEST(CliReportInChromium, MdStoreReportRendersWithoutErrors) {
    if (!have_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
    const TempDir dir;
    expect_renders_cleanly(md_store(dir), kPlots);
}

TEST(CliReportInChromium, GoldenPeriodicAndEthanolReportsRenderWithoutErrors) {
    if (!have_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
    const TempDir dir;
    expect_renders_cleanly(
        copy_golden("periodic.lmdb", dir),
        {"energy-per-atom", "max-force", "force-per-atom", "natoms", "composition", "stress"});
    expect_renders_cleanly(copy_golden("ethanol.lmdb", dir), {"energy-per-atom", "energy-trace"});
}

// LAMMPS's Cu EAM system run with fix asebytes (positions, forces, stress, momenta every 10 steps):
// the report of a real MD store, temperature trace included.
TEST(CliReportInChromium, CuEamRunReportRendersWithoutErrors) {
#ifndef ASEBYTES_LMP
    GTEST_SKIP() << "lmp_asebytes is not part of this build";
#else
    if (!have_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
    const TempDir dir;
    const auto run =
        run_lammps(dir.path(), cu_system() + "fix frames all asebytes 10 md.lmdb elements Cu velocities yes\n"
                                             "thermo 10\nrun 200\n");
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_EQ(AtomsIO((dir / "md.lmdb").string(), opening(true)).size(), 21u);
    expect_renders_cleanly(dir / "md.lmdb", kPlots);
#endif
}

} // namespace
} // namespace asebytes::test
