// libFuzzer target: one file-based backend's open and read path. The input becomes the store's
// file (ASEBYTES_FUZZ_EXTENSION picks the backend through the registry), which is then read as
// `asebytes verify` reads it. It must read or throw asebytes::Error; anything else is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "asebytes/error.hpp"
#include "read_everything.hpp"

namespace {

// One file per fuzzing process (parallel jobs must not share it), in memory when possible.
std::string store_path() {
    const std::filesystem::path dir =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    return (dir / ("asebytes-fuzz-" + std::to_string(getpid()) + ASEBYTES_FUZZ_EXTENSION)).string();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = store_path();
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    try {
        asebytes::test::read_everything(path);
    } catch (const asebytes::Error&) {
    }
    return 0;
}
