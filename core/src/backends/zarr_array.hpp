#pragma once
// One Zarr v3 array in a directory: its zarr.json and its chunk files (docs/formats/zarr.md).
// Reads and writes whole rows (axis 0) with every other axis complete, which is all the columnar
// store asks for. Chunk files are written under a temporary name and renamed, so a killed writer
// leaves every chunk whole; a chunk that holds only the fill value is not stored (as zarr-python's
// write_empty_chunks=False), and a missing chunk reads as the fill value.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "asebytes/value.hpp"
#include "zarr_codecs.hpp"

namespace asebytes::zarr {

namespace fs = std::filesystem;

/// What an array's zarr.json says.
struct ArrayMeta {
    std::string dtype;                ///< numpy typestr ("<f8", "|b1", ...) or "str" (columnar::kString)
    std::vector<std::int64_t> shape;  ///< current extent
    std::vector<std::int64_t> chunks; ///< chunk shape (regular grid)
    std::vector<std::uint8_t> fill;   ///< one element, little-endian (numeric arrays)
    std::string fill_text;            ///< string arrays
    CodecChain codecs;
    char separator = '/';        ///< chunk key separator
    bool v2_keys = false;        ///< chunk_key_encoding "v2": "0.0" instead of "c/0/0"
    std::size_t utf32_bytes = 0; ///< fixed_length_utf32 strings: bytes per element
    Value attributes = Value(Map{});
    std::size_t itemsize() const;
    bool strings() const { return dtype == "str"; }
};

/// The metadata in `text` (an array's zarr.json); CorruptDataError naming `where` for malformed or
/// foreign documents, NotSupportedError for what we do not read (sharding, other grids).
ArrayMeta parse_array_meta(const std::string& text, const std::string& where);
/// zarr.json of an array as zarr-python 3 writes it (key order, indent 2).
std::string array_meta_json(const ArrayMeta& meta);
/// A group's zarr.json with these attributes.
std::string group_meta_json(const Value& attributes);
/// The node type ("array", "group") of a zarr.json document; "" when it is not one.
std::string node_type_of(const Value& document);

/// Writes `bytes` to `path` whole: to a temporary name in the same directory, then renamed over
/// `path` (parents created). The path is added to `written` (for a later fsync).
void write_file_atomically(const fs::path& path, const std::vector<std::uint8_t>& bytes,
                           std::vector<fs::path>& written);
/// Every byte of `path`; CorruptDataError naming `where` when it cannot be read.
std::vector<std::uint8_t> read_file(const fs::path& path, const std::string& where);

class Array {
public:
    Array(fs::path dir, ArrayMeta meta, std::string where);
    /// Reads dir/zarr.json.
    static Array open(const fs::path& dir, const std::string& where);

    const ArrayMeta& meta() const { return meta_; }
    ArrayMeta& meta() { return meta_; }
    const fs::path& dir() const { return dir_; }
    /// Writes zarr.json (after a change of shape or attributes).
    void save_meta(std::vector<fs::path>& written) const;

    /// Rows [start, stop) of a numeric array, C order, little-endian.
    std::vector<std::uint8_t> read_rows(std::int64_t start, std::int64_t stop) const;
    std::vector<std::string> read_strings(std::int64_t start, std::int64_t stop) const;
    /// Writes rows [start, start + rows) from `data` (whole rows, little-endian).
    void write_rows(std::int64_t start, std::int64_t rows, const std::uint8_t* data,
                    std::vector<fs::path>& written);
    void write_strings(std::int64_t start, const std::vector<std::string>& rows,
                       std::vector<fs::path>& written);
    /// New extent: chunks past it are deleted, chunks across it keep only what is inside.
    void resize(const std::vector<std::int64_t>& shape, std::vector<fs::path>& written);

private:
    template <class Chunk> void read_region(std::int64_t start, std::int64_t stop, Chunk& out) const;
    template <class Chunk>
    void write_region(std::int64_t start, std::int64_t stop, const Chunk& in, std::vector<fs::path>& written);
    fs::path chunk_path(const std::vector<std::int64_t>& coords) const;

    fs::path dir_;
    ArrayMeta meta_;
    std::string where_;
};

} // namespace asebytes::zarr
