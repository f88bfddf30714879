#include <gtest/gtest.h>

#include "asebytes/codec.hpp"
#include "asebytes/io.hpp"

using namespace asebytes;

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
