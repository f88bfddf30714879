#pragma once
// Value <-> bytes, byte-compatible with Python's msgpack.packb(v, default=msgpack_numpy.encode)
// and msgpack.unpackb(b, object_hook=msgpack_numpy.decode) (docs/formats/values.md).
#include <string>
#include <string_view>

#include "asebytes/value.hpp"

namespace asebytes {

/// Encodes one value as Python asebytes stores it.
std::string encode(const Value& value);
/// Appends the encoding of `value` to `out`.
void encode_append(std::string& out, const Value& value);

/// Decodes one value. Throws CorruptDataError (malformed, truncated, trailing bytes, too deep,
/// pickled object arrays, extension types) with a message saying what is wrong.
Value decode(std::string_view bytes);

/// Encodes every value of a row (object tier -> blob tier).
BlobRow encode_row(const Row& row);
/// Decodes every value of a row; `where` names the store and row in error messages.
Row decode_row(const BlobRow& row, const std::string& where);

} // namespace asebytes
