#pragma once
// Values as JSON text exactly as Python's json module writes and reads it: what every backend that
// stores JSON text uses (the columnar and H5MD stores' JSON cells, extxyz's `_JSON` values), so a
// cell written here reads in Python as Python's own and the other way round. docs/formats/json.md
// lists the rules.
#include <stdexcept>
#include <string>
#include <string_view>

#include "asebytes/value.hpp"

namespace asebytes::python_json {

/// What dumps does with an NdArray inside the value.
enum class Arrays {
    Refuse,  ///< TypeError: the text would read back as lists, not as the array
    AsLists, ///< nested lists, as numpy's tolist() (ASE's extxyz writes arrays so)
};

/// json.dumps(v) with Python's defaults: separators ", " and ": ", ensure_ascii (every character
/// outside printable ASCII as \uXXXX, surrogate pairs above U+FFFF), NaN / Infinity / -Infinity
/// for the non-finite floats, floats as repr(). TypeError naming `what` for bytes, bytes keys and
/// (with Arrays::Refuse) arrays.
std::string dumps(const Value& v, const std::string& what, Arrays arrays = Arrays::Refuse);

/// json.dumps(v, indent=indent): items on lines of their own, indented by depth, separators ","
/// and ": " (empty containers stay "[]" and "{}"); as zarr-python writes zarr.json.
std::string dumps_indented(const Value& v, int indent, const std::string& what);

/// The error of loads for text that is not JSON to Python, with the offset as Python reports it.
class DecodeError : public std::invalid_argument {
public:
    DecodeError(const std::string& message, std::size_t offset);
    std::size_t offset;
};

/// json.loads(text): objects as Map (last duplicate key wins, in first position as in a Python
/// dict), arrays as List, integers as Int (UInt above INT64_MAX, Float above UINT64_MAX), NaN and
/// the infinities accepted; strict as Python is (no raw control characters in strings, no
/// trailing commas, no leading zeros). DecodeError otherwise.
Value loads(std::string_view text);

/// repr() of a Python float: the shortest text that reads back as `x`, positional for exponents
/// -4..15 ("0.0001", "1e+16", "300.0"), "nan", "inf", "-inf".
std::string float_repr(double x);

} // namespace asebytes::python_json
