// The traj backend on the golden file ASE wrote (tests/data/golden/ethanol.traj): rows as Python
// asebytes reads them, the registry's view of it, indices, and writes refused.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "asebytes/backends/ase_traj.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

std::string golden_traj() { return (golden_dir() / "ethanol.traj").string(); }

TEST(Traj, ReadsTheGoldenFileAsPythonAsebytesDoes) {
    const auto truth = truth_rows(golden_dir() / "ethanol.traj.read.json");
    ObjectIO io(golden_traj(), opening(true));
    ASSERT_EQ(io.size(), truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), truth[i]) << "row " << i;
}

TEST(Traj, LaterItemsInheritTheHeaderAndARepeatedHeaderBringsItsConstraints) {
    ObjectIO io(golden_traj());
    EXPECT_EQ(io.get(1)->at("arrays.numbers"), io.get(0)->at("arrays.numbers")); // item 1 has no numbers
    EXPECT_FALSE(io.get(2)->count("constraints"));
    const Row row = *io.get(3);
    const Value& fix = row.at("constraints").as_list().at(0);
    EXPECT_EQ(*fix.find("name"), Value("FixAtoms"));
    EXPECT_EQ(*fix.find("kwargs")->find("indices"), Value(List{Value(0), Value(2)}));
}

TEST(Traj, IsReadOnlyInTheRegistryWithoutGroups) {
    const BackendMetadata& m = *backend_for("run.traj").metadata;
    EXPECT_EQ(m.name, "traj");
    EXPECT_FALSE(m.writable);
    EXPECT_FALSE(m.groups);
    EXPECT_EQ(m.native_tier, Tier::Object);
    EXPECT_EQ(list_groups(golden_traj()), std::vector<std::string>{"default"});
    EXPECT_TRUE(list_groups("/nonexistent/run.traj").empty());
}

TEST(Traj, WritesAreRefusedAsReadOnlyAtEveryTier) {
    ObjectIO objects(golden_traj());
    EXPECT_FALSE(objects.writable());
    EXPECT_THROW(objects.extend({Row{{"calc.energy", Value(1.0)}}}), ReadOnlyError);
    EXPECT_THROW(objects.set(0, Row{}), ReadOnlyError);
    EXPECT_THROW(objects.erase(0), ReadOnlyError);
    EXPECT_THROW(objects.update(0, Row{{"info.x", Value(1)}}), ReadOnlyError);
    BlobIO blobs(golden_traj());
    EXPECT_THROW(blobs.extend({BlobRow{}}), ReadOnlyError);
    AtomsIO atoms(golden_traj());
    EXPECT_THROW(atoms.extend({*atoms.get(0)}), ReadOnlyError);
    EXPECT_EQ(nullptr, std::dynamic_pointer_cast<ObjectReadWriteBackend>(open_object_backend(golden_traj())));
}

TEST(Traj, IndicesOutOfRangeAreIndexErrorsAndNegativeOnesCountFromTheEnd) {
    ObjectIO io(golden_traj());
    EXPECT_EQ(*io.get(-1), *io.get(3));
    EXPECT_EQ(*io.get(-4), *io.get(0));
    EXPECT_THROW(io.get(4), IndexError);
    EXPECT_THROW(io.get(-5), IndexError);
    EXPECT_THROW(io.get(1000000), IndexError);
    auto backend = open_object_backend(golden_traj());
    EXPECT_THROW(backend->get_many({0, 4}), IndexError);
}

TEST(Traj, ReadsOnlyTheRequestedKeysAndKeyErrorsForAbsentOnes) {
    ObjectIO io(golden_traj());
    const Row row = *io.get(2, Keys{"calc.energy", "arrays.positions"});
    EXPECT_EQ(row.size(), 2u);
    EXPECT_EQ(row.at("arrays.positions"), io.get(2)->at("arrays.positions"));
    EXPECT_THROW(io.get(2, Keys{"constraints"}), KeyError);
    auto backend = open_object_backend(golden_traj());
    EXPECT_EQ(backend->get(2, Keys{"constraints", "pbc"})->size(), 1u); // the backend drops absent keys
    const auto column = backend->get_column("constraints", {0, 3});
    EXPECT_FALSE(column[0]);
    EXPECT_TRUE(column[1]);
    EXPECT_EQ(backend->keys(3).size(), io.get(3)->size());
}

TEST(Traj, FramesComeOutOfAtomsIO) {
    AtomsIO io(golden_traj());
    const Frame f = *io.get(0);
    EXPECT_EQ(f.natoms(), 9u);
    EXPECT_EQ(f.positions.size(), 27u);
}

TEST(Traj, AnotherGroupAnUnknownOptionOrAMissingFileIsAnError) {
    OpenOptions other;
    other.group = "train";
    EXPECT_THROW(ObjectIO(golden_traj(), other), Error);
    OpenOptions unknown;
    unknown.options["map_size"] = "1";
    EXPECT_THROW(ObjectIO(golden_traj(), unknown), Error);
    try {
        ObjectIO io("/nonexistent/run.traj");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/run.traj"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace asebytes::test
