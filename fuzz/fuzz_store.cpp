// libFuzzer target: one file backend's open and read path. The input becomes the store's file,
// which is then read as `asebytes verify` reads it. It must read or throw asebytes::Error;
// anything else is a finding. One binary serves every backend of the registry whose stores are
// single files: ASEBYTES_FUZZ_BACKEND names it (ASEBYTES_FUZZ_BACKEND=list prints them, one
// "name extension" line each, for scripts/fuzz).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "asebytes/error.hpp"
#include "asebytes/registry.hpp"
#include "read_everything.hpp"

namespace {

std::string extension; // of the backend being fuzzed

bool fuzzable(const asebytes::BackendMetadata& m) { return m.storage == asebytes::Storage::File; }

// One file per fuzzing process (parallel jobs must not share it), in memory when possible.
std::string store_path() {
    const std::filesystem::path dir =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    return (dir / ("asebytes-fuzz-" + std::to_string(getpid()) + extension)).string();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* wanted = std::getenv("ASEBYTES_FUZZ_BACKEND");
    const std::string name = wanted ? wanted : "";
    for (const auto& e : asebytes::backends()) {
        if (!fuzzable(*e.metadata)) continue;
        if (name == "list") std::cout << e.metadata->name << " " << e.metadata->extensions.front() << "\n";
        if (e.metadata->name == name) extension = e.metadata->extensions.front();
    }
    if (name == "list") std::exit(0);
    if (extension.empty()) {
        std::cerr << "fuzz_store: set ASEBYTES_FUZZ_BACKEND to a backend whose stores are files "
                     "(ASEBYTES_FUZZ_BACKEND=list names them); got '"
                  << name << "'\n";
        std::exit(2);
    }
    return 0;
}

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
