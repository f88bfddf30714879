#pragma once
// Malformed msgpack values, each with the words its decode error must hold. The codec tests
// decode them, and the bad-input corpus (tests/data/bad) writes them as files and into stores.
#include <ostream>
#include <string>
#include <vector>

namespace asebytes::test {

struct BadMsgpack {
    std::string name;     ///< file-name friendly: "deep-array-nesting"
    std::string bytes;    ///< the malformed value
    std::string fragment; ///< a word the CorruptDataError message must contain
};

/// gtest names a case by its name.
inline void PrintTo(const BadMsgpack& b, std::ostream* os) { *os << b.name; }

/// Every malformed value: wrong lengths, deep nesting, huge declared sizes, extension types,
/// numpy records whose shape, dtype or data disagree.
std::vector<BadMsgpack> bad_msgpack_values();

} // namespace asebytes::test
