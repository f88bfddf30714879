// libFuzzer target: the Zarr stores' open and read path. A valid two-frame store (both layouts'
// metadata, Blosc, zstd and vlen-utf8 chunks, a presence subgroup) is written once; each input's
// first byte picks one of its files (zarr.json documents and chunks, in sorted order) and the rest
// of the input replaces that file, then the store is read as `asebytes verify` reads it and the
// file is put back. It must read or throw asebytes::Error; anything else is a finding.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "asebytes/asebytes.hpp"
#include "read_everything.hpp"

namespace fs = std::filesystem;

namespace {

struct StoreFile {
    fs::path path;
    std::string bytes;
};

fs::path store;
std::vector<StoreFile> files;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& p, const char* data, std::size_t size) {
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(data, static_cast<std::streamsize>(size));
}

void write_valid_store() {
    using namespace asebytes;
    ObjectIO io(store.string());
    io.extend({Row{{"calc.energy", -1.5},
                   {"arrays.positions", NdArray::from<double>({3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8})},
                   {"arrays.numbers", NdArray::from<std::int64_t>({1, 8, 1})},
                   {"pbc", NdArray::from<bool>({true, false, true})},
                   {"info.label", "bulk"}},
               Row{{"calc.energy", -2.5},
                   {"arrays.positions", NdArray::from<double>({2, 3}, {9, 10, 11, 12, 13, 14})},
                   {"arrays.numbers", NdArray::from<std::int64_t>({6, 6})},
                   {"info.tags", List{1, "x"}}}});
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const fs::path dir = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    store = dir / ("asebytes-fuzz-" + std::to_string(getpid()) + ".zarr");
    fs::remove_all(store);
    write_valid_store();
    for (const auto& f : fs::recursive_directory_iterator(store))
        if (f.is_regular_file()) files.push_back({f.path(), read_file(f.path())});
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const StoreFile& f = files[data[0] % files.size()];
    write_file(f.path, reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        asebytes::test::read_everything(store.string());
    } catch (const asebytes::Error&) {
    }
    write_file(f.path, f.bytes.data(), f.bytes.size());
    return 0;
}
