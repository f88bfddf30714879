// libFuzzer target: the msgpack-numpy decoder. Any input must decode or throw asebytes::Error;
// anything else (a crash, a sanitizer report, another exception, a huge allocation) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "asebytes/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const asebytes::Value v =
            asebytes::decode(std::string_view(reinterpret_cast<const char*>(data), size));
        (void)asebytes::encode(v); // what decodes must encode again
    } catch (const asebytes::Error&) {
    }
    return 0;
}
