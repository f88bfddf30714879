#pragma once
// ASE trajectory files, internal to the traj backend: the ULM container (ase/io/ulm.py), ASE's
// JSON dialect (ase/io/jsonio.py) and the rows TrajectoryReader + atoms_to_dict make of its items
// (spec/facades-extra.md, "ASE ULM .traj").
#include <cstdint>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "asebytes/value.hpp"

namespace asebytes::traj {

/// Malformed content; the reader adds the path and the item.
class FormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// ase.io.jsonio.decode(text, always_array=False), as ulm reads items: Python's json, then the
/// object hooks (__ndarray__, __complex__, __datetime__) and integer-looking dict keys made
/// canonical ints (dicts inside dicts only, as fix_int_keys_in_dicts). FormatError when bad.
Value decode_json(std::string_view text);
/// np.array(v, dtype): a number, a bool, a rectangular nested list of them or an array, as an
/// array of `dtype` (floats truncate into integers). FormatError otherwise.
NdArray numpy_array(const Value& v, DType dtype);
/// numpy's dtype of a name such as "float64" ("<f8"); FormatError for names we do not read.
std::string typestr_of_dtype_name(const std::string& name);

/// What an item's `{"ndarray": [shape, dtype, offset]}` says; FormatError when malformed.
struct ArraySpec {
    std::vector<std::int64_t> shape;
    std::string dtype_name;
    std::string typestr;
    std::int64_t offset = 0;
};
ArraySpec array_spec(const Value& descriptor);
/// "(9, 3)", for messages.
std::string shape_text(const std::vector<std::int64_t>& shape);

/// One item of the file: its JSON object and the byte order of its arrays.
struct Item {
    Map data;
    bool little_endian = true;
    /// The value of `key` (an array is under `key.`), or nullptr.
    const Value* find(const std::string& key) const;
};

/// An open ULM file: header and offsets table read and checked, items read on demand.
class UlmFile {
public:
    /// CorruptDataError naming `path` for a wrong magic, a short header or a table past the end.
    explicit UlmFile(const std::string& path);
    const std::string& path() const { return path_; }
    const std::string& tag() const { return tag_; }
    std::size_t size() const { return offsets_.size(); }
    /// Item `index`'s JSON. FormatError when its bytes or JSON are damaged.
    Item item(std::size_t index);
    /// The array an item's `{"ndarray": [shape, dtype, offset]}` describes, in native (little)
    /// byte order. FormatError when the descriptor is malformed or its bytes lie past the end.
    NdArray array(const Value& descriptor, bool little_endian);

private:
    std::string path_;
    std::ifstream in_;
    std::uint64_t file_size_ = 0;
    std::string tag_;
    std::vector<std::uint64_t> offsets_;

    void read_at(std::uint64_t offset, void* out, std::size_t n);
};

/// Which flat keys a read needs (all when empty).
using KeyWanted = std::function<bool(const std::string&)>;

/// The row of `item` as TrajectoryReader builds its Atoms and atoms_to_dict flattens them;
/// `header` is item 0, whose numbers, pbc, masses and constraints items without numbers inherit.
/// Arrays are read only for wanted keys. FormatError when the item is inconsistent.
Row read_row(UlmFile& file, const Item& item, const Item& header, const KeyWanted& wanted);
/// FormatError unless item 0 has what TrajectoryReader reads from it (version, pbc, numbers).
void check_header_item(const Item& header);

} // namespace asebytes::traj
