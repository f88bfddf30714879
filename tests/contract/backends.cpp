// One line per backend: the whole contract suite then runs against it.
#include <atomic>

#include "contract.hpp"
#include "redis_server.hpp"

namespace asebytes::test {
namespace {

std::string memory_store(const fs::path&) {
    static std::atomic<int> n{0};
    return "memory://contract-" + std::to_string(n++);
}

std::string suffix_store(const fs::path& dir, const std::string& ext) {
    static std::atomic<int> n{0};
    return (dir / ("store-" + std::to_string(n++) + ext)).string();
}

} // namespace

INSTANTIATE_TEST_SUITE_P(Memory, Contract, ::testing::Values(StoreSpec{"memory", memory_store}),
                         [](const auto& i) { return i.param.name; });
INSTANTIATE_TEST_SUITE_P(Lmdb, Contract,
                         ::testing::Values(StoreSpec{
                             "lmdb", [](const fs::path& d) { return suffix_store(d, ".lmdb"); }}),
                         [](const auto& i) { return i.param.name; });
// Columnar HDF5: both layouts (gzip, the default; compression=none is covered in
// tests/columnar, since a contract store is named by its path alone).
INSTANTIATE_TEST_SUITE_P(
    Columnar, Contract,
    ::testing::Values(StoreSpec{"h5_ragged", [](const fs::path& d) { return suffix_store(d, ".h5"); }},
                      StoreSpec{"h5p_padded", [](const fs::path& d) { return suffix_store(d, ".h5p"); }}),
    [](const auto& i) { return i.param.name; });

INSTANTIATE_TEST_SUITE_P(H5md, Contract,
                         ::testing::Values(StoreSpec{
                             "h5md", [](const fs::path& d) { return suffix_store(d, ".h5md"); }}),
                         [](const auto& i) { return i.param.name; });

// Zarr v3 directories, both layouts (Blosc-LZ4 by default; compressor=none is covered in tests/zarr).
INSTANTIATE_TEST_SUITE_P(
    Zarr, Contract,
    ::testing::Values(StoreSpec{"zarr_ragged", [](const fs::path& d) { return suffix_store(d, ".zarr"); }},
                      StoreSpec{"zarrp_padded", [](const fs::path& d) { return suffix_store(d, ".zarrp"); }}),
    [](const auto& i) { return i.param.name; });

// A real redis-server of this test program; each store is a database of its own.
INSTANTIATE_TEST_SUITE_P(Redis, Contract,
                         ::testing::Values(StoreSpec{
                             "redis", [](const fs::path&) { return test_redis_server().fresh_uri(); }}),
                         [](const auto& i) { return i.param.name; });

} // namespace asebytes::test
