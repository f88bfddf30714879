// Selector and filters: every filter selects exactly the rows a plain loop over the golden truth
// selects, reading only the keys it needs.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

// The indices of `rows` for which `keep` holds: the brute-force answer.
Indices brute_force(const std::vector<Row>& rows, const std::function<bool(const Row&)>& keep) {
    Indices out;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (keep(rows[i])) out.push_back(i);
    return out;
}

double energy_per_atom(const Row& r) {
    return r.at("calc.energy").as_double() / static_cast<double>(r.at("arrays.numbers").as_array().size());
}

double max_force(const Row& r) {
    const auto f = r.at("calc.forces").as_array().to_vector<double>();
    double m = 0;
    for (std::size_t i = 0; i < f.size(); i += 3)
        m = std::max(m, std::hypot(f[i], f[i + 1], f[i + 2]));
    return m;
}

std::set<std::int64_t> species(const Row& r) {
    const auto z = r.at("arrays.numbers").as_array().to_vector<std::int64_t>();
    return {z.begin(), z.end()};
}

std::string format(double x) {
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%.6f", x);
    return buf;
}

struct GoldenStore {
    std::string store; // in tests/data/golden
    std::string truth; // what Python reads from it
};

class SelectGolden : public ::testing::TestWithParam<GoldenStore> {
protected:
    std::vector<Row> truth() const { return truth_rows(golden_dir() / GetParam().truth); }
    // Opened once; LMDB writes a lock file, so it reads a copy.
    std::shared_ptr<ObjectReadBackend> store() {
        if (store_) return store_;
        OpenOptions readonly;
        readonly.readonly = true;
        const std::string& name = GetParam().store;
        const fs::path path =
            name.find(".lmdb") != std::string::npos ? copy_golden(name, dir_) : golden_dir() / name;
        return store_ = open_object_backend(path.string(), readonly);
    }
    Indices select(const std::string& filter) {
        return Selector(store()).where(parse_filter(filter)).chunk_size(7).run();
    }
    TempDir dir_;
    std::shared_ptr<ObjectReadBackend> store_;
};

void PrintTo(const GoldenStore& s, std::ostream* os) { *os << s.store; }

TEST_P(SelectGolden, EnergyPerAtomRangeSelectsExactlyTheRowsInRange) {
    const auto rows = truth();
    std::vector<double> e;
    for (const auto& r : rows)
        e.push_back(energy_per_atom(r));
    std::sort(e.begin(), e.end());
    const double lo = e[e.size() / 4], hi = e[3 * e.size() / 4];
    const std::string filter = "energy_per_atom=" + format(lo) + ":" + format(hi);
    const auto want = brute_force(rows, [&](const Row& r) {
        const double x = energy_per_atom(r);
        return x >= std::stod(format(lo)) && x <= std::stod(format(hi));
    });
    EXPECT_FALSE(want.empty());
    EXPECT_LT(want.size(), rows.size());
    EXPECT_EQ(select(filter), want) << filter;
}

TEST_P(SelectGolden, MaxForceBoundSelectsExactlyTheRowsBelowIt) {
    const auto rows = truth();
    std::vector<double> f;
    for (const auto& r : rows)
        f.push_back(max_force(r));
    std::sort(f.begin(), f.end());
    const std::string bound = format(f[f.size() / 2]);
    const auto want = brute_force(rows, [&](const Row& r) { return max_force(r) <= std::stod(bound); });
    EXPECT_EQ(select("max_force=:" + bound), want);
}

TEST_P(SelectGolden, InfoEqualityAndRangeSelectExactlyTheMatchingRows) {
    const auto rows = truth();
    if (GetParam().store.rfind("periodic", 0) == 0) {
        EXPECT_EQ(select("info.config_type=slab"), brute_force(rows, [](const Row& r) {
                      return r.at("info.config_type").as_string() == "slab";
                  }));
    } else {
        EXPECT_EQ(select("info.step=40:120"), brute_force(rows, [](const Row& r) {
                      const auto s = r.at("info.step").as_double();
                      return s >= 40 && s <= 120;
                  }));
        EXPECT_EQ(select("info.converged=T"),
                  brute_force(rows, [](const Row& r) { return r.at("info.converged").as_bool(); }));
        EXPECT_EQ(select("info.step=30"), (Indices{3}));
    }
}

TEST_P(SelectGolden, AtomCountAndSpeciesFiltersSelectExactlyTheMatchingRows) {
    const auto rows = truth();
    auto natoms = [](const Row& r) { return r.at("arrays.numbers").as_array().size(); };
    EXPECT_EQ(select("natoms=8:32"),
              brute_force(rows, [&](const Row& r) { return natoms(r) >= 8 && natoms(r) <= 32; }));
    const int first = static_cast<int>(*species(rows[0]).begin());
    const std::string symbol = element_symbol(first);
    EXPECT_EQ(select("species=" + symbol),
              brute_force(rows, [&](const Row& r) { return species(r).count(first) > 0; }));
    EXPECT_EQ(select("only_species=" + symbol),
              brute_force(rows, [&](const Row& r) { return species(r) == std::set<std::int64_t>{first}; }));
}

TEST_P(SelectGolden, FiltersCombineWithPositionsAndDropDuplicates) {
    const auto rows = truth();
    const auto got =
        Selector(store()).positions(Slice(2, std::nullopt, 3)).where(parse_filter("natoms=:32")).run();
    Indices want;
    for (std::size_t i = 2; i < rows.size(); i += 3)
        if (rows[i].at("arrays.numbers").as_array().size() <= 32) want.push_back(i);
    EXPECT_EQ(got, want);
}

INSTANTIATE_TEST_SUITE_P(Stores, SelectGolden,
                         ::testing::Values(GoldenStore{"periodic.xyz", "periodic.xyz.read.json"},
                                           GoldenStore{"ethanol.xyz", "ethanol.xyz.read.json"},
                                           GoldenStore{"periodic.lmdb", "periodic.lmdb.default.read.json"},
                                           GoldenStore{"ethanol.lmdb", "ethanol.lmdb.default.read.json"}),
                         [](const auto& i) {
                             std::string n = i.param.store;
                             std::replace(n.begin(), n.end(), '.', '_');
                             return n;
                         });

TEST(Select, DropDuplicatesKeepsTheFirstRowOfEachStep) {
    const std::string store = "memory://select-duplicates";
    ObjectIO io(store);
    for (int step : {0, 10, 10, 20, 0, 30})
        io.append(Row{{"info.step", Value(step)}});
    io.append(Row{{"info.other", Value(1)}});
    EXPECT_EQ(Selector(io.backend_ptr()).drop_duplicates().run(), (Indices{0, 1, 3, 5, 6}));
}

TEST(Select, BadFiltersAreErrorsNamingTheExpression) {
    for (const char* bad : {"energy_per_atom", "energy_per_atom=abc:1", "max_force=5", "species=Xx",
                            "colour=red", "natoms=10:2", "info.step="}) {
        try {
            parse_filter(bad);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
        }
    }
}

TEST(Select, FiltersReadOnlyTheKeysTheyName) {
    EXPECT_EQ(parse_filter("max_force=:1").keys, (Keys{"calc.forces"}));
    EXPECT_EQ(parse_filter("info.config_type=bulk").keys, (Keys{"info.config_type"}));
    EXPECT_EQ(parse_filter("energy_per_atom=-4:").keys, (Keys{"calc.energy", "arrays.numbers"}));
}

} // namespace
} // namespace asebytes::test
