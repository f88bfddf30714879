#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "asebytes/codec.hpp"
#include "asebytes/io.hpp"
#include "fresh_store.hpp"

using namespace asebytes;
namespace fs = std::filesystem;

TEST(Registry, ListsEveryBackendFromItsMetadata) {
    bool memory = false;
    for (const auto& e : backends())
        memory |= e.metadata->name == "memory";
    EXPECT_TRUE(memory);
    EXPECT_EQ(backend_for("memory://x").metadata->name, "memory");
}

TEST(Registry, UnknownExtensionOrSchemeNamesThePathAndTheKnownBackends) {
    for (const char* path : {"data.unknownext", "nosuch://x"}) {
        try {
            backend_for(path);
            FAIL() << path;
        } catch (const Error& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(path), std::string::npos) << msg;
            EXPECT_NE(msg.find("memory://"), std::string::npos) << msg;
        }
    }
}

TEST(Registry, RejectsUnknownBackendOptionsByName) {
    OpenOptions o;
    o.options["no_such_option"] = "1";
    try {
        ObjectIO io("memory://registry-options", o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no_such_option"), std::string::npos);
    }
}

TEST(Registry, ReadOnlyOpeningRefusesWrites) {
    ObjectIO("memory://registry-ro").extend({Row{{"a", Value(1)}}});
    OpenOptions ro;
    ro.readonly = true;
    ObjectIO io("memory://registry-ro", ro);
    EXPECT_EQ(io.size(), 1u);
    EXPECT_FALSE(io.writable());
    EXPECT_THROW(io.extend({Row{}}), ReadOnlyError);
    EXPECT_THROW(io.rows().erase(), ReadOnlyError);
    EXPECT_THROW(io.column("a").set({Value(2)}), ReadOnlyError);
}

TEST(Registry, BlobTierOfAnObjectBackendEncodesValues) {
    ObjectIO objects("memory://registry-tiers");
    objects.extend({Row{{"calc.energy", Value(-1.5)}}});
    BlobIO blobs("memory://registry-tiers");
    EXPECT_EQ(blobs.get(0)->at("calc.energy"), encode(Value(-1.5)));
}

// The table read-only openings go through: every backend, at both tiers, refuses writes.
TEST(Registry, EveryWritableBackendOpenedReadOnlyRefusesWritesAtBothTiers) {
    const fs::path dir = fs::temp_directory_path() / ("asebytes-registry-ro-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const auto& e : backends()) {
        const BackendMetadata& m = *e.metadata;
        if (!m.writable) continue;
        SCOPED_TRACE(m.name);
        const std::string path = test::fresh_store(m, dir);
        ObjectIO(path).extend({Row{{"arrays.numbers", NdArray::from<std::int64_t>({1})},
                                   {"arrays.positions", NdArray::from<double>({1, 3}, {0.0, 0.0, 0.0})}}});
        OpenOptions ro;
        ro.readonly = true;
        ObjectIO objects(path, ro);
        EXPECT_EQ(objects.size(), 1u);
        EXPECT_FALSE(objects.writable());
        EXPECT_THROW(objects.extend({Row{}}), ReadOnlyError);
        BlobIO blobs(path, ro);
        EXPECT_FALSE(blobs.writable());
        EXPECT_THROW(blobs.extend({BlobRow{}}), ReadOnlyError);
    }
    fs::remove_all(dir);
}

// What the metadata claims, the entry provides: mpi/ opens collectively and `asebytes verify
// --repair` repairs by these alone.
TEST(Registry, CapabilitiesInTheMetadataComeWithTheEntrysFunctions) {
    for (const auto& e : backends()) {
        SCOPED_TRACE(e.metadata->name);
        EXPECT_EQ(e.metadata->parallel_writes, static_cast<bool>(e.open_collective));
        EXPECT_EQ(e.metadata->repairs_uncommitted, static_cast<bool>(e.repair));
    }
    EXPECT_TRUE(backend_for("x.h5md").metadata->parallel_writes);
    EXPECT_FALSE(backend_for("x.lmdb").metadata->parallel_writes);
    EXPECT_NO_THROW(repair_store("memory://registry-repair")); // nothing to repair, nothing done
}

std::string check_message(const std::vector<BackendEntry>& table) {
    try {
        check_backend_table(table);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(Registry, ItsTableIsCheckedForRepeatsAndMissingFunctions) {
    EXPECT_EQ(check_message(backends()), "");
    const auto twice = [](std::size_t i) {
        std::vector<BackendEntry> t = backends();
        t.push_back(t[i]);
        return t;
    };
    EXPECT_NE(check_message(twice(0)).find("'lmdb' is registered twice"), std::string::npos);

    BackendMetadata clash = *backends()[2].metadata; // h5: another name, the same extension
    clash.name = "other";
    BackendEntry other = backends()[2];
    other.metadata = &clash;
    std::vector<BackendEntry> t = backends();
    t.push_back(other);
    EXPECT_NE(check_message(t).find("extension '.h5'"), std::string::npos) << check_message(t);

    BackendMetadata claims = *backends()[0].metadata; // lmdb claiming parallel writes
    claims.name = "claims";
    claims.extensions = {".claims"};
    claims.parallel_writes = true;
    BackendEntry claimer = backends()[0];
    claimer.metadata = &claims;
    t = backends();
    t.push_back(claimer);
    EXPECT_NE(check_message(t).find("parallel_writes"), std::string::npos) << check_message(t);
}

// The README's backend table is the registry's: one row per backend, in the table's order, with
// its paths or URI and its native tier.
TEST(Registry, TheReadmesBackendTableListsEveryBackendAsItsMetadataDoes) {
    std::ifstream readme(fs::path(ASEBYTES_SOURCE_DIR) / "README.md");
    std::string line;
    while (std::getline(readme, line) && line.rfind("| name | path or URI | native tier |", 0) != 0) {
    }
    ASSERT_TRUE(readme) << "README.md has no backend table";
    std::getline(readme, line); // |---|
    std::vector<std::string> rows;
    while (std::getline(readme, line) && line.rfind("| ", 0) == 0)
        rows.push_back(line);
    ASSERT_EQ(rows.size(), backends().size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const BackendMetadata& m = *backends()[i].metadata;
        std::string forms = m.scheme.empty() ? "" : "`" + m.scheme + "://" + m.address + "`";
        for (const auto& ext : m.extensions)
            forms += (forms.empty() ? "`*" : ", `*") + ext + "`";
        const std::string want =
            "| " + m.name + " | " + forms + " | " + (m.native_tier == Tier::Blob ? "blob" : "object") + " | ";
        EXPECT_EQ(rows[i].substr(0, want.size()), want) << "README row " << i << ": " << rows[i];
    }
}
