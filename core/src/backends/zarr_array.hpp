#pragma once
// One Zarr v3 array in a directory: its zarr.json and its chunk files (docs/formats/zarr.md).
// Reads and writes whole rows (axis 0) with every other axis complete, which is all the columnar
// store asks for. Written chunks and metadata stay in memory until write_back() (the store's
// commit: a flush, or enough of them), as HDF5 keeps its chunk cache, so an append of a few rows
// does not rewrite every column's last chunk file. Chunk files are written under a temporary name
// and renamed, so a killed writer leaves every chunk whole; a chunk that holds only the fill value
// is not stored (as zarr-python's write_empty_chunks=False), and a missing chunk reads as the fill
// value.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "asebytes/value.hpp"
#include "zarr_codecs.hpp"

namespace asebytes::zarr {

namespace fs = std::filesystem;

namespace detail {
// A decoded chunk: its elements in C order (numbers as little-endian bytes, or strings).
struct ByteChunk {
    std::vector<std::uint8_t> data;
    std::size_t itemsize;
    void copy(std::int64_t dst, const ByteChunk& src, std::int64_t from, std::int64_t n);
    std::size_t bytes() const { return data.size(); }
};
struct StringChunk {
    std::vector<std::string> data;
    void copy(std::int64_t dst, const StringChunk& src, std::int64_t from, std::int64_t n);
    std::size_t bytes() const;
};
// A chunk kept in memory: written since the last write_back (dirty), or read and kept for the
// next read of the same chunk (a random read of a row decodes one chunk of every column).
template <class Chunk> struct Cached {
    Chunk chunk;
    bool dirty = false;
};
} // namespace detail

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
    /// Writes zarr.json now.
    void save_meta(std::vector<fs::path>& written) const;
    /// zarr.json is to be written at the next write_back (after a change of shape or attributes).
    void meta_changed() { meta_dirty_ = true; }
    /// Writes the chunks kept in memory, then zarr.json if it changed.
    void write_back(std::vector<fs::path>& written);
    /// Bytes of the chunks written since the last write_back.
    std::size_t cached_bytes() const { return cached_bytes_; }

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
    template <class Chunk> std::map<std::vector<std::int64_t>, detail::Cached<Chunk>>& cache();
    template <class Chunk> void trim_clean();

    fs::path dir_;
    ArrayMeta meta_;
    std::string where_;
    bool meta_dirty_ = false;
    // Chunks written since the last write_back, decoded (numbers as bytes, or strings).
    std::map<std::vector<std::int64_t>, detail::Cached<detail::ByteChunk>> byte_cache_;
    std::map<std::vector<std::int64_t>, detail::Cached<detail::StringChunk>> string_cache_;
    std::size_t cached_bytes_ = 0; ///< of the dirty chunks
};

} // namespace asebytes::zarr
