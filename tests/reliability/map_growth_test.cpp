// LMDB's map starts small and grows on demand (doubling): through 4 GiB of writes the map
// grows step by step to what the live data needs, while overwrites keep the file small (LMDB
// reuses freed pages) and every row holds its last write.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "asebytes/backends/lmdb.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

constexpr std::size_t kRows = 32;            // live rows
constexpr std::size_t kDoubles = 128 * 1024; // 1 MiB a row
constexpr std::size_t kWrites = 4096;        // 4 GiB written in all, ~128 times what the file holds

Row mebibyte_row(std::size_t write) {
    return Row{
        {"write", Value(static_cast<std::int64_t>(write))},
        {"arrays.data", NdArray::from<double>(std::vector<double>(kDoubles, static_cast<double>(write)))}};
}

std::size_t map_size_of(const ObjectIO& io) {
    auto object = std::dynamic_pointer_cast<LmdbObjectBackend>(io.backend_ptr());
    return dynamic_cast<LmdbBlobBackend&>(*object->inner()).map_size();
}

TEST(LmdbMapGrowth, GrowsStepByStepThroughFourGibibytesOfWritesWhileTheFileStaysSmall) {
    TempDir dir;
    const auto path = (dir / "grow.lmdb").string();
    OpenOptions o;
    o.options["map_size"] = "65536";
    o.options["sync"] = "no"; // durability is not under test here; fsync of every write would be
    ObjectIO io(path, o);
    const std::size_t initial = map_size_of(io);
    for (std::size_t w = 0; w < kWrites; ++w) {
        if (w < kRows)
            io.extend({mebibyte_row(w)});
        else
            io.set(static_cast<std::int64_t>(w % kRows), mebibyte_row(w));
    }
    EXPECT_GE(map_size_of(io), initial << 9) << "at least 9 doublings from 64 KiB";
    EXPECT_GE(map_size_of(io), kRows << 20);
    EXPECT_LE(fs::file_size(fs::path(path) / "default" / "data.mdb"), std::uintmax_t{4 * kRows} << 20)
        << "freed pages are not reused";
    ASSERT_EQ(io.size(), kRows);
    for (std::size_t i = 0; i < kRows; ++i) {
        const std::size_t last = kWrites - kRows + i;
        const auto row = *io.get(static_cast<std::int64_t>(i));
        EXPECT_EQ(row.at("write"), Value(static_cast<std::int64_t>(last)));
        EXPECT_EQ(row.at("arrays.data").as_array().to_vector<double>().back(), static_cast<double>(last));
    }
}

} // namespace
} // namespace asebytes::test
