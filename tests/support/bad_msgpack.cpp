#include "bad_msgpack.hpp"

#include <cstdint>

#include "asebytes/codec.hpp"
#include "asebytes/ndarray.hpp"

namespace asebytes::test {
namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int c : b)
        s.push_back(static_cast<char>(c));
    return s;
}

std::string big_endian(std::uint64_t v, int width) {
    std::string s;
    for (int i = width - 1; i >= 0; --i)
        s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    return s;
}

// msgpack-numpy's keys are bin; values as given (already encoded).
std::string bin(const std::string& s) { return bytes({0xc4, static_cast<int>(s.size())}) + s; }
std::string str(const std::string& s) { return bytes({0xd9, static_cast<int>(s.size())}) + s; }
std::string uint64(std::uint64_t v) { return bytes({0xcf}) + big_endian(v, 8); }

/// A msgpack-numpy array record with the given pieces (already encoded as msgpack).
std::string numpy_record(const std::string& type, const std::string& shape, const std::string& data) {
    return bytes({0x85}) + bin("nd") + bytes({0xc3}) + bin("type") + type + bin("kind") + bin("") +
           bin("shape") + shape + bin("data") + data;
}

std::string nested(int levels, int container, const std::string& innermost) {
    std::string s;
    for (int i = 0; i < levels; ++i)
        s += container == 0x91 ? bytes({0x91}) : bytes({0x81}) + str("k");
    return s + innermost;
}

std::string shape_patched_to_three() {
    std::string b = encode(NdArray::from<double>({2}, {1.0, 2.0}));
    b[b.find(bytes({0x91, 0x02})) + 1] = 3; // shape [2] -> [3]: 16 data bytes where 24 are needed
    return b;
}

} // namespace

std::vector<BadMsgpack> bad_msgpack_values() {
    const std::string array = encode(NdArray::from<double>({3}, {1, 2, 3}));
    const std::string two_doubles = bin(std::string(16, '\0'));
    return {
        {"empty", "", "empty"},
        {"truncated-array", array.substr(0, array.size() - 5), "truncated"},
        {"truncated-float", bytes({0xcb, 0x01, 0x02}), "truncated"},
        {"trailing-bytes", encode(Value(1)) + "x", "trailing"},
        {"never-used-byte", bytes({0xc1}), "malformed"},
        {"fixext1", bytes({0xd4, 0x01, 0x00}), "extension"},
        {"ext32-huge", bytes({0xc9, 0xff, 0xff, 0xff, 0xf0, 0x01}), "msgpack"},
        {"array32-huge", bytes({0xdd, 0xff, 0xff, 0xff, 0xff}), "msgpack"},
        {"map32-huge", bytes({0xdf, 0xff, 0xff, 0xff, 0xff}), "msgpack"},
        {"bin32-huge", bytes({0xc6, 0xff, 0xff, 0xff, 0xff, 0x00}), "msgpack"},
        {"str32-huge", bytes({0xdb, 0x7f, 0xff, 0xff, 0xff, 0x41}), "msgpack"},
        {"deep-array-nesting", nested(1000, 0x91, bytes({0xc0})), "deeper"},
        {"deep-map-nesting", nested(1000, 0x81, bytes({0xc0})), "deeper"},
        {"ndarray-shape-exceeds-data", shape_patched_to_three(), "bytes"},
        {"ndarray-negative-dimension", numpy_record(str("<f8"), bytes({0x91, 0xff}), two_doubles), "shape"},
        {"ndarray-huge-shape",
         numpy_record(str("<f8"),
                      bytes({0x93}) + uint64(1ull << 40) + uint64(1ull << 40) + uint64(1ull << 40),
                      two_doubles),
         "too large"},
        {"ndarray-wide-dtype-wraps-size",
         numpy_record(str("<U4294967296"), bytes({0x91}) + uint64(1ull << 40), bin("")), "too large"},
        {"ndarray-bad-dtype", numpy_record(str("f8"), bytes({0x91, 0x02}), two_doubles), "dtype"},
        {"ndarray-shape-not-a-list", numpy_record(str("<f8"), bytes({0x02}), two_doubles), "shape"},
        {"ndarray-without-data", bytes({0x82}) + bin("nd") + bytes({0xc3}) + bin("type") + str("<f8"),
         "data"},
        {"ndarray-nd-not-boolean",
         bytes({0x83}) + bin("nd") + bytes({0x01}) + bin("type") + str("<f8") + bin("data") + bin(""),
         "non-boolean"},
        {"ndarray-pickled-object",
         bytes({0x85}) + bin("nd") + bytes({0xc3}) + bin("type") + str("|O8") + bin("kind") + bin("O") +
             bin("shape") + bytes({0x91, 0x01}) + bin("data") + bin("X"),
         "pickle"},
        {"python-complex", bytes({0x82}) + bin("complex") + bytes({0xc3}) + bin("data") + two_doubles,
         "complex"},
        {"integer-dict-key", bytes({0x81, 0x01, 0xc0}), "key"},
        // Two entries announced; the first one's value takes every byte left (found by fuzz_decode).
        {"map-entries-past-the-end", bytes({0x82, 0xa1}) + "k" + bytes({0xc4, 0x02}) + "xy", "truncated"},
    };
}

} // namespace asebytes::test
