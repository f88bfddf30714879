// `asebytes info` statistics for atomistic stores, and `asebytes formats`.
#include <gtest/gtest.h>

#include <cmath>

#include "asebytes/asebytes.hpp"
#include "cli_runner.hpp"

namespace asebytes::test {
namespace {

std::string golden(const std::string& name) { return (golden_dir() / name).string(); }

TEST(CliInfoFrames, JsonGivesSpeciesCountsAndAtomCountRange) {
    const Json frames = cli_info_json({golden("periodic.xyz")}).at("group_info").at("default").at("frames");
    std::size_t cu = 0, al = 0, smallest = 1000, largest = 0;
    for (const auto& row : truth_rows(golden_dir() / "periodic.xyz.read.json")) {
        const auto z = row.at("arrays.numbers").as_array().to_vector<std::int64_t>();
        cu += static_cast<std::size_t>(std::count(z.begin(), z.end(), 29));
        al += static_cast<std::size_t>(std::count(z.begin(), z.end(), 13));
        smallest = std::min(smallest, z.size());
        largest = std::max(largest, z.size());
    }
    EXPECT_EQ(frames.at("species").at("Cu"), cu);
    EXPECT_EQ(frames.at("species").at("Al"), al);
    EXPECT_EQ(frames.at("natoms").at("min"), smallest);
    EXPECT_EQ(frames.at("natoms").at("max"), largest);
}

TEST(CliInfoFrames, JsonGivesEnergyAndLargestForceStatistics) {
    const Json frames = cli_info_json({golden("ethanol.xyz")}).at("group_info").at("default").at("frames");
    double emin = 1e300, emax = -1e300, fmax = 0;
    for (const auto& row : truth_rows(golden_dir() / "ethanol.xyz.read.json")) {
        const double e = row.at("calc.energy").as_double();
        emin = std::min(emin, e);
        emax = std::max(emax, e);
        const auto f = row.at("calc.forces").as_array().to_vector<double>();
        for (std::size_t i = 0; i < f.size(); i += 3)
            fmax = std::max(fmax, std::hypot(f[i], f[i + 1], f[i + 2]));
    }
    EXPECT_DOUBLE_EQ(frames.at("energy").at("min").get<double>(), emin);
    EXPECT_DOUBLE_EQ(frames.at("energy").at("max").get<double>(), emax);
    EXPECT_EQ(frames.at("energy").at("rows"), 20);
    EXPECT_NEAR(frames.at("max_force").at("max").get<double>(), fmax, 1e-12);
}

TEST(CliInfoFrames, TableShowsSpeciesAndRanges) {
    const std::string out = cli_output({"info", golden("periodic.xyz")});
    EXPECT_NE(out.find("backend: extxyz"), std::string::npos) << out;
    EXPECT_NE(out.find("atoms per frame  4 to 64"), std::string::npos) << out;
    EXPECT_NE(out.find("Cu 200"), std::string::npos) << out;
    EXPECT_NE(out.find("max |force|"), std::string::npos) << out;
}

TEST(CliFormats, ListsEveryBackendWithItsExtensionsAndCapabilities) {
    const std::string out = cli_output({"formats"});
    for (const auto& e : backends())
        EXPECT_NE(out.find(e.metadata->name), std::string::npos) << out;
    EXPECT_NE(out.find("*.xyz, *.extxyz"), std::string::npos) << out;
    EXPECT_NE(out.find("read, append"), std::string::npos) << out;
    EXPECT_NE(out.find("memory://"), std::string::npos) << out;
}

TEST(CliFormats, JsonComesFromTheBackendsMetadata) {
    const Json formats = Json::parse(cli_output({"formats", "--json"}));
    ASSERT_EQ(formats.size(), backends().size());
    for (std::size_t i = 0; i < formats.size(); ++i) {
        const BackendMetadata& m = *backends()[i].metadata;
        EXPECT_EQ(formats[i].at("name"), m.name);
        EXPECT_EQ(formats[i].at("extensions").get<std::vector<std::string>>(), m.extensions);
        EXPECT_EQ(formats[i].at("edits_in_place"), m.edits_in_place);
        EXPECT_EQ(formats[i].at("groups"), m.groups);
    }
}

} // namespace
} // namespace asebytes::test
