#pragma once
// How one Value becomes one cell of a columnar store and back: JSON strings for values that are
// not numbers or numeric arrays (upstream _serialize_value / _postprocess in
// asebytes/columnar/_base.py), fill values that mark missing cells (upstream get_fill_value in
// _utils.py). Internal to the columnar backend.
#include <cstdint>
#include <string>
#include <vector>

#include "asebytes/value.hpp"

namespace asebytes::columnar {

/// Python's json.loads, falling back to the raw text when it is not JSON (upstream _postprocess).
Value from_json(const std::string& text);

/// One element of the fill value of a numeric dtype: NaN for floats, 0 for ints, False for bools.
std::vector<std::uint8_t> fill_bytes(const std::string& dtype);
/// An array of `shape` filled with the dtype's fill value.
NdArray filled(const std::string& dtype, std::vector<std::int64_t> shape);
/// True when every element is NaN (a float dtype); Python reads such cells as missing. True for
/// an empty float array too, as numpy's all() of nothing.
bool all_nan(const std::string& dtype, const std::uint8_t* bytes, std::size_t count);

} // namespace asebytes::columnar
