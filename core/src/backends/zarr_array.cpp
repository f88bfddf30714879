#include "zarr_array.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>

#include "decimal.hpp"
#include "python_json.hpp"

#include "asebytes/error.hpp"
#include "asebytes/ndarray.hpp"

namespace asebytes::zarr {
namespace {

// No chunk (and no row of an array) we read or make is larger: a damaged zarr.json declaring more
// is an error, not an allocation of that size.
constexpr std::int64_t kMaxChunkBytes = std::int64_t{1} << 30;

// ---- zarr data types and our typestrs --------------------------------------------------------

struct DataType {
    const char* zarr;
    const char* typestr;
};
// One table for both directions (reading and writing zarr.json).
constexpr DataType kDataTypes[] = {
    {"bool", "|b1"},    {"int8", "|i1"},    {"int16", "<i2"},  {"int32", "<i4"},  {"int64", "<i8"},
    {"uint8", "|u1"},   {"uint16", "<u2"},  {"uint32", "<u4"}, {"uint64", "<u8"}, {"float16", "<f2"},
    {"float32", "<f4"}, {"float64", "<f8"}, {"string", "str"},
};

std::string zarr_name_of(const std::string& typestr) {
    for (const auto& t : kDataTypes)
        if (typestr == t.typestr) return t.zarr;
    throw TypeError("no Zarr data type for numpy dtype " + typestr);
}

const Value* member(const Value& map, const std::string& key) {
    if (map.kind() != Value::Kind::Map) return nullptr;
    for (const auto& [k, v] : map.as_map())
        if (k == key) return &v;
    return nullptr;
}

const Value& required(const Value& map, const std::string& key, const std::string& where) {
    const Value* v = member(map, key);
    if (!v) throw CorruptDataError(where + ": zarr.json has no \"" + key + "\"");
    return *v;
}

std::vector<std::int64_t> int_list(const Value& v, const std::string& what, const std::string& where) {
    if (v.kind() != Value::Kind::List)
        throw CorruptDataError(where + ": \"" + what + "\" is not a list of integers");
    std::vector<std::int64_t> out;
    for (const Value& x : v.as_list()) {
        if (x.kind() != Value::Kind::Int || x.as_int() < 0)
            throw CorruptDataError(where + ": \"" + what + "\" is not a list of non-negative integers");
        out.push_back(x.as_int());
    }
    return out;
}

bool is_float_type(const std::string& typestr) { return typestr.size() > 1 && typestr[1] == 'f'; }

template <class T> std::vector<std::uint8_t> bytes_of(T v) {
    std::vector<std::uint8_t> out(sizeof(T));
    std::memcpy(out.data(), &v, sizeof(T));
    return out;
}

// A fill value of a numeric type, from JSON: a number, true/false, "NaN", "Infinity",
// "-Infinity" or "0x..." (the element's bits as a hex integer).
std::vector<std::uint8_t> fill_bytes(const Value& v, const std::string& typestr, const std::string& where) {
    const std::size_t n = itemsize_of(typestr);
    const DType dt = dtype_from_typestr(typestr);
    if (v.kind() == Value::Kind::String) {
        const std::string& s = v.as_string();
        if (s.rfind("0x", 0) == 0) {
            std::uint64_t bits = 0;
            const char* first = s.data() + 2;
            const auto [end, ec] = std::from_chars(first, s.data() + s.size(), bits, 16);
            if (ec != std::errc() || end != s.data() + s.size() || s.size() == 2)
                throw CorruptDataError(where + ": fill_value '" + s + "' is not a hexadecimal number");
            auto out = bytes_of(bits);
            out.resize(n);
            return out;
        }
        double d = s == "NaN" ? NAN : s == "Infinity" ? INFINITY : s == "-Infinity" ? -INFINITY : 0;
        if (s != "NaN" && s != "Infinity" && s != "-Infinity")
            throw CorruptDataError(where + ": fill_value '" + s + "' is not a number");
        if (dt == DType::Float32) return bytes_of(static_cast<float>(d));
        if (dt == DType::Float64) return bytes_of(d);
        throw CorruptDataError(where + ": fill_value '" + s + "' for an array that is not of floats");
    }
    const double d = v.kind() == Value::Kind::Bool ? (v.as_bool() ? 1.0 : 0.0) : v.as_double();
    switch (dt) {
    case DType::Bool:
        return bytes_of(static_cast<std::uint8_t>(d != 0));
    case DType::Int8:
        return bytes_of(static_cast<std::int8_t>(v.as_int()));
    case DType::Int16:
        return bytes_of(static_cast<std::int16_t>(v.as_int()));
    case DType::Int32:
        return bytes_of(static_cast<std::int32_t>(v.as_int()));
    case DType::Int64:
        return bytes_of(static_cast<std::int64_t>(v.as_int()));
    case DType::UInt8:
        return bytes_of(static_cast<std::uint8_t>(v.as_uint()));
    case DType::UInt16:
        return bytes_of(static_cast<std::uint16_t>(v.as_uint()));
    case DType::UInt32:
        return bytes_of(static_cast<std::uint32_t>(v.as_uint()));
    case DType::UInt64:
        return bytes_of(static_cast<std::uint64_t>(v.as_uint()));
    case DType::Float32:
        return bytes_of(static_cast<float>(d));
    case DType::Float64:
        return bytes_of(d);
    default:
        return std::vector<std::uint8_t>(n, 0);
    }
}

// The JSON of a numeric fill value, as zarr-python writes it.
Value fill_json(const ArrayMeta& m) {
    if (m.strings()) return Value(m.fill_text);
    NdArray one(m.dtype, {}, m.fill);
    switch (one.dtype()) {
    case DType::Bool:
        return Value(one.to_vector<bool>()[0]);
    case DType::Float32:
    case DType::Float64: {
        const double d = one.to_vector<double>()[0];
        if (std::isnan(d)) return Value("NaN");
        if (std::isinf(d)) return Value(d > 0 ? "Infinity" : "-Infinity");
        return Value(d);
    }
    case DType::UInt64:
        return Value(one.to_vector<std::uint64_t>()[0]);
    default:
        return Value(one.to_vector<std::int64_t>()[0]);
    }
}

Map entries(std::initializer_list<std::pair<const char*, Value>> items) {
    Map m;
    for (const auto& [k, v] : items)
        m.emplace_back(MapKey(k), v);
    return m;
}

std::int64_t product(const std::vector<std::int64_t>& v) {
    std::int64_t p = 1;
    for (auto x : v)
        p *= x;
    return p;
}

std::vector<std::int64_t> strides_of(const std::vector<std::int64_t>& shape) {
    std::vector<std::int64_t> s(shape.size(), 1);
    for (std::size_t d = shape.size(); d-- > 1;)
        s[d - 1] = s[d] * shape[d];
    return s;
}

// Calls run(a_offset, b_offset, length) for each contiguous run (along the last axis) of the box
// [lo, hi), given in array coordinates, in two C-ordered buffers a and b placed at their origins.
template <class F>
void for_each_run(const std::vector<std::int64_t>& lo, const std::vector<std::int64_t>& hi,
                  const std::vector<std::int64_t>& a_origin, const std::vector<std::int64_t>& a_shape,
                  const std::vector<std::int64_t>& b_origin, const std::vector<std::int64_t>& b_shape,
                  F&& run) {
    const std::size_t n = lo.size();
    for (std::size_t d = 0; d < n; ++d)
        if (lo[d] >= hi[d]) return;
    const auto as = strides_of(a_shape), bs = strides_of(b_shape);
    std::vector<std::int64_t> x = lo;
    const std::int64_t length = hi[n - 1] - lo[n - 1];
    while (true) {
        std::int64_t ao = 0, bo = 0;
        for (std::size_t d = 0; d < n; ++d) {
            ao += (x[d] - a_origin[d]) * as[d];
            bo += (x[d] - b_origin[d]) * bs[d];
        }
        run(ao, bo, length);
        std::size_t d = n - 1;
        while (d-- > 0) {
            if (++x[d] < hi[d]) break;
            x[d] = lo[d];
        }
        if (d == static_cast<std::size_t>(-1)) return;
    }
}

// Visits the chunk coordinates of the grid that meet rows [start, stop) (every chunk of the other axes).
template <class F> void for_each_chunk(const ArrayMeta& m, std::int64_t start, std::int64_t stop, F&& visit) {
    const std::size_t n = m.shape.size();
    if (start >= stop) return;
    std::vector<std::int64_t> first(n, 0), last(n);
    for (std::size_t d = 0; d < n; ++d) {
        if (m.shape[d] == 0) return;
        last[d] = (m.shape[d] - 1) / m.chunks[d];
    }
    first[0] = start / m.chunks[0];
    last[0] = (stop - 1) / m.chunks[0];
    std::vector<std::int64_t> k = first;
    while (true) {
        visit(k);
        std::size_t d = n;
        while (d-- > 0) {
            if (++k[d] <= last[d]) break;
            k[d] = first[d];
        }
        if (d == static_cast<std::size_t>(-1)) return;
    }
}

// ---- chunks of numbers and of strings --------------------------------------------------------

using detail::ByteChunk;
using detail::StringChunk;

ByteChunk filled(const ArrayMeta& m, std::int64_t elements, ByteChunk*) {
    ByteChunk c{std::vector<std::uint8_t>(static_cast<std::size_t>(elements) * m.itemsize()), m.itemsize()};
    for (std::size_t i = 0; i < c.data.size(); i += c.itemsize)
        std::memcpy(c.data.data() + i, m.fill.data(), c.itemsize);
    return c;
}

StringChunk filled(const ArrayMeta& m, std::int64_t elements, StringChunk*) {
    return StringChunk{std::vector<std::string>(static_cast<std::size_t>(elements), m.fill_text)};
}

bool all_fill(const ArrayMeta& m, const ByteChunk& c) {
    const std::size_t n = c.itemsize;
    const bool nan_fill = is_float_type(m.dtype) && [&] {
        NdArray one(m.dtype, {}, m.fill);
        return std::isnan(one.to_vector<double>()[0]);
    }();
    for (std::size_t i = 0; i < c.data.size(); i += n) {
        if (nan_fill) {
            double d = 0;
            if (n == 8)
                std::memcpy(&d, c.data.data() + i, 8);
            else if (n == 4) {
                float f = 0;
                std::memcpy(&f, c.data.data() + i, 4);
                d = f;
            }
            if (!std::isnan(d)) return false;
        } else if (std::memcmp(c.data.data() + i, m.fill.data(), n) != 0) {
            return false;
        }
    }
    return true;
}

bool all_fill(const ArrayMeta& m, const StringChunk& c) {
    for (const auto& s : c.data)
        if (s != m.fill_text) return false;
    return true;
}

std::string utf8_of_utf32(const std::uint8_t* p, std::size_t bytes) {
    std::string out;
    for (std::size_t i = 0; i + 4 <= bytes; i += 4) {
        const std::uint32_t c =
            p[i] | p[i + 1] << 8 | p[i + 2] << 16 | static_cast<std::uint32_t>(p[i + 3]) << 24;
        if (c == 0) break; // NUL padding
        if (c < 0x80)
            out += static_cast<char>(c);
        else if (c < 0x800) {
            out += static_cast<char>(0xC0 | c >> 6);
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | c >> 12);
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | c >> 18);
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

std::optional<ByteChunk> load(const ArrayMeta& m, const fs::path& path, std::int64_t elements,
                              const std::string& where, ByteChunk*) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    const std::string at = where + ", chunk " + path.filename().string();
    auto raw =
        decompress(m.codecs, read_file(path, at), static_cast<std::size_t>(elements) * m.itemsize(), at);
    if (m.codecs.big_endian) swap_bytes(raw, m.itemsize());
    return ByteChunk{std::move(raw), m.itemsize()};
}

std::optional<StringChunk> load(const ArrayMeta& m, const fs::path& path, std::int64_t elements,
                                const std::string& where, StringChunk*) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    const std::string at = where + ", chunk " + path.filename().string();
    const auto n = static_cast<std::size_t>(elements);
    if (m.utf32_bytes) { // fixed_length_utf32 through the bytes codec
        auto raw = decompress(m.codecs, read_file(path, at), n * m.utf32_bytes, at);
        StringChunk c;
        for (std::size_t i = 0; i < n; ++i)
            c.data.push_back(utf8_of_utf32(raw.data() + i * m.utf32_bytes, m.utf32_bytes));
        return c;
    }
    return StringChunk{
        decode_strings(decompress_any(m.codecs, read_file(path, at), kMaxChunkBytes, at), n, at)};
}

void store(const ArrayMeta& m, const fs::path& path, const ByteChunk& c, std::vector<fs::path>& written) {
    if (all_fill(m, c)) {
        std::error_code ec;
        fs::remove(path, ec);
        return;
    }
    write_file_atomically(path, compress(m.codecs, c.data), written);
}

void store(const ArrayMeta& m, const fs::path& path, const StringChunk& c, std::vector<fs::path>& written) {
    if (all_fill(m, c)) {
        std::error_code ec;
        fs::remove(path, ec);
        return;
    }
    if (m.utf32_bytes)
        throw NotSupportedError("writing fixed_length_utf32 strings (we write vlen-utf8 arrays)");
    write_file_atomically(path, compress(m.codecs, encode_strings(c.data)), written);
}

} // namespace

std::size_t ArrayMeta::itemsize() const { return strings() ? 0 : itemsize_of(dtype); }

void detail::ByteChunk::copy(std::int64_t dst, const ByteChunk& src, std::int64_t from, std::int64_t n) {
    std::memcpy(data.data() + dst * static_cast<std::int64_t>(itemsize),
                src.data.data() + from * static_cast<std::int64_t>(itemsize),
                static_cast<std::size_t>(n) * itemsize);
}

void detail::StringChunk::copy(std::int64_t dst, const StringChunk& src, std::int64_t from, std::int64_t n) {
    std::copy_n(src.data.begin() + from, n, data.begin() + dst);
}

std::size_t detail::StringChunk::bytes() const {
    std::size_t n = 0;
    for (const auto& s : data)
        n += s.size() + 32;
    return n;
}

template <> std::map<std::vector<std::int64_t>, detail::Cached<ByteChunk>>& Array::cache<ByteChunk>() {
    return byte_cache_;
}
template <> std::map<std::vector<std::int64_t>, detail::Cached<StringChunk>>& Array::cache<StringChunk>() {
    return string_cache_;
}

// Chunks kept only for reading, up to 2 MiB per array (HDF5 keeps 1 MiB per dataset by default).
constexpr std::size_t kCleanChunks = 4096;
constexpr std::size_t kCleanBytes = std::size_t{2} << 20;

template <class Chunk> void Array::trim_clean() {
    auto& cached = cache<Chunk>();
    std::size_t count = 0, bytes = 0;
    for (const auto& [k, c] : cached)
        if (!c.dirty) {
            ++count;
            bytes += c.chunk.bytes();
        }
    if (count <= kCleanChunks && bytes <= kCleanBytes) return;
    for (auto it = cached.begin(); it != cached.end();)
        it = it->second.dirty ? std::next(it) : cached.erase(it);
}

// ---- files -----------------------------------------------------------------------------------

void write_file_atomically(const fs::path& path, const std::vector<std::uint8_t>& bytes,
                           std::vector<fs::path>& written) {
    static std::atomic<unsigned> counter{0};
    fs::create_directories(path.parent_path());
    const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp-" +
                                               std::to_string(::getpid()) + "-" + std::to_string(counter++));
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw BackendError("cannot write " + tmp.string() + " (is the disk full?)");
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec)
        throw BackendError("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
    written.push_back(path);
}

std::vector<std::uint8_t> read_file(const fs::path& path, const std::string& where) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CorruptDataError(where + ": cannot read " + path.string());
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---- metadata --------------------------------------------------------------------------------

std::string node_type_of(const Value& document) {
    const Value* format = member(document, "zarr_format");
    const Value* node = member(document, "node_type");
    if (!format || format->kind() != Value::Kind::Int || format->as_int() != 3) return "";
    return node && node->kind() == Value::Kind::String ? node->as_string() : "";
}

ArrayMeta parse_array_meta(const std::string& text, const std::string& where) {
    Value doc;
    try {
        doc = python_json::loads(text);
    } catch (const python_json::DecodeError& e) {
        throw CorruptDataError(where + ": zarr.json is not JSON (" + e.what() + ")");
    }
    if (node_type_of(doc) != "array") throw CorruptDataError(where + ": zarr.json is not a Zarr v3 array");
    static const char* const known[] = {
        "shape",      "data_type",   "chunk_grid", "chunk_key_encoding",   "fill_value",     "codecs",
        "attributes", "zarr_format", "node_type",  "storage_transformers", "dimension_names"};
    for (const auto& [k, v] : doc.as_map()) {
        if (std::find(std::begin(known), std::end(known), static_cast<const std::string&>(k)) !=
            std::end(known))
            continue;
        const Value* must = member(v, "must_understand");
        if (!must || must->kind() != Value::Kind::Bool || must->as_bool())
            throw NotSupportedError(where + ": zarr.json has \"" + k + "\", an extension we do not know");
    }
    ArrayMeta m;
    m.shape = int_list(required(doc, "shape", where), "shape", where);
    const Value& type = required(doc, "data_type", where);
    if (type.kind() == Value::Kind::String) {
        for (const auto& t : kDataTypes)
            if (type.as_string() == t.zarr) m.dtype = t.typestr;
        if (m.dtype.empty())
            throw NotSupportedError(where + ": data type '" + type.as_string() + "' is not one we read");
    } else if (const Value* name = member(type, "name");
               name && name->kind() == Value::Kind::String && name->as_string() == "fixed_length_utf32") {
        m.dtype = "str";
        const Value* config = member(type, "configuration");
        const Value* length = config ? member(*config, "length_bytes") : nullptr;
        if (!length || length->kind() != Value::Kind::Int || length->as_int() <= 0 || length->as_int() % 4)
            throw CorruptDataError(where +
                                   ": fixed_length_utf32 without a length_bytes that is a multiple of 4");
        m.utf32_bytes = static_cast<std::size_t>(length->as_int());
    } else {
        throw NotSupportedError(where + ": a data type we do not read");
    }
    const Value& grid = required(doc, "chunk_grid", where);
    const Value* grid_name = member(grid, "name");
    if (!grid_name || grid_name->kind() != Value::Kind::String || grid_name->as_string() != "regular")
        throw NotSupportedError(where + ": only regular chunk grids are read");
    const Value* grid_config = member(grid, "configuration");
    m.chunks =
        int_list(grid_config ? required(*grid_config, "chunk_shape", where) : Value(), "chunk_shape", where);
    if (m.chunks.size() != m.shape.size() || m.shape.empty())
        throw CorruptDataError(where + ": chunk_shape and shape have different lengths (or are empty)");
    for (auto c : m.chunks)
        if (c == 0) throw CorruptDataError(where + ": a chunk_shape with a zero");
    // Element counts of a chunk and of one row, capped (8 bytes a string, as an estimate).
    const double item = m.utf32_bytes ? static_cast<double>(m.utf32_bytes)
                        : m.strings() ? 8.0
                                      : static_cast<double>(itemsize_of(m.dtype));
    double chunk_bytes = item, row_bytes = item;
    for (std::size_t d = 0; d < m.chunks.size(); ++d) {
        chunk_bytes *= static_cast<double>(m.chunks[d]);
        if (d > 0) row_bytes *= static_cast<double>(m.shape[d]);
    }
    if (chunk_bytes > static_cast<double>(kMaxChunkBytes) || row_bytes > static_cast<double>(kMaxChunkBytes))
        throw CorruptDataError(where + ": zarr.json declares chunks or rows larger than 1 GiB");
    if (const Value* keys = member(doc, "chunk_key_encoding")) {
        const Value* name = member(*keys, "name");
        m.v2_keys = name && name->kind() == Value::Kind::String && name->as_string() == "v2";
        const Value* config = member(*keys, "configuration");
        const Value* sep = config ? member(*config, "separator") : nullptr;
        m.separator = sep && sep->kind() == Value::Kind::String && sep->as_string() == "." ? '.'
                      : m.v2_keys                                                          ? '.'
                                                                                           : '/';
        if (sep && sep->kind() == Value::Kind::String && sep->as_string() == "/") m.separator = '/';
    }
    if (const Value* st = member(doc, "storage_transformers");
        st && st->kind() == Value::Kind::List && !st->as_list().empty())
        throw NotSupportedError(where + ": storage transformers are not read");
    m.codecs = parse_codecs(required(doc, "codecs", where), where);
    if (m.codecs.strings != (m.strings() && !m.utf32_bytes))
        throw CorruptDataError(where + ": the codecs do not fit the data type (vlen-utf8 is for strings)");
    const Value& fill = required(doc, "fill_value", where);
    if (m.strings())
        m.fill_text = fill.kind() == Value::Kind::String ? fill.as_string() : "";
    else if (fill.kind() == Value::Kind::Nil)
        m.fill = std::vector<std::uint8_t>(m.itemsize(), 0);
    else
        m.fill = fill_bytes(fill, m.dtype, where);
    if (const Value* attrs = member(doc, "attributes"); attrs && attrs->kind() == Value::Kind::Map)
        m.attributes = *attrs;
    return m;
}

std::string array_meta_json(const ArrayMeta& m) {
    List shape, chunks;
    for (auto s : m.shape)
        shape.emplace_back(s);
    for (auto c : m.chunks)
        chunks.emplace_back(c);
    const Value doc(entries({
        {"shape", Value(shape)},
        {"data_type", Value(zarr_name_of(m.dtype))},
        {"chunk_grid", Value(entries({{"name", Value("regular")},
                                      {"configuration", Value(entries({{"chunk_shape", Value(chunks)}}))}}))},
        {"chunk_key_encoding",
         Value(entries(
             {{"name", Value("default")}, {"configuration", Value(entries({{"separator", Value("/")}}))}}))},
        {"fill_value", fill_json(m)},
        {"codecs", codecs_json(m.codecs, m.strings() ? 0 : m.itemsize())},
        {"attributes", m.attributes},
        {"zarr_format", Value(3)},
        {"node_type", Value("array")},
        {"storage_transformers", Value(List{})},
    }));
    return python_json::dumps_indented(doc, 2, "zarr.json");
}

std::string group_meta_json(const Value& attributes) {
    return python_json::dumps_indented(
        Value(
            entries({{"attributes", attributes}, {"zarr_format", Value(3)}, {"node_type", Value("group")}})),
        2, "zarr.json");
}

// ---- the array -------------------------------------------------------------------------------

Array::Array(fs::path dir, ArrayMeta meta, std::string where)
    : dir_(std::move(dir)), meta_(std::move(meta)), where_(std::move(where)) {}

Array Array::open(const fs::path& dir, const std::string& where) {
    const auto bytes = read_file(dir / "zarr.json", where);
    return Array(dir, parse_array_meta(std::string(bytes.begin(), bytes.end()), where), where);
}

void Array::save_meta(std::vector<fs::path>& written) const {
    const std::string text = array_meta_json(meta_);
    write_file_atomically(dir_ / "zarr.json", std::vector<std::uint8_t>(text.begin(), text.end()), written);
}

fs::path Array::chunk_path(const std::vector<std::int64_t>& coords) const {
    std::string key = meta_.v2_keys ? "" : "c";
    for (std::size_t d = 0; d < coords.size(); ++d) {
        if (!key.empty()) key += meta_.separator;
        key += std::to_string(coords[d]);
    }
    return dir_ / fs::path(key); // "/" in the key makes subdirectories
}

template <class Chunk> void Array::read_region(std::int64_t start, std::int64_t stop, Chunk& out) const {
    std::vector<std::int64_t> out_origin(meta_.shape.size(), 0), out_shape = meta_.shape;
    out_origin[0] = start;
    out_shape[0] = stop - start;
    const std::int64_t elements = product(meta_.chunks);
    auto& cached = const_cast<Array*>(this)->cache<Chunk>();
    for_each_chunk(meta_, start, stop, [&](const std::vector<std::int64_t>& k) {
        std::optional<Chunk> loaded;
        const Chunk* chunk = nullptr;
        if (auto it = cached.find(k); it != cached.end()) {
            chunk = &it->second.chunk;
        } else {
            loaded = load(meta_, chunk_path(k), elements, where_, static_cast<Chunk*>(nullptr));
            if (!loaded) return; // the fill value, already there
            chunk = &cached.emplace(k, detail::Cached<Chunk>{std::move(*loaded), false}).first->second.chunk;
        }
        std::vector<std::int64_t> origin(k.size()), lo(k.size()), hi(k.size());
        for (std::size_t d = 0; d < k.size(); ++d) {
            origin[d] = k[d] * meta_.chunks[d];
            lo[d] = std::max(origin[d], out_origin[d]);
            hi[d] = std::min({origin[d] + meta_.chunks[d], out_origin[d] + out_shape[d], meta_.shape[d]});
        }
        for_each_run(lo, hi, origin, meta_.chunks, out_origin, out_shape,
                     [&](std::int64_t a, std::int64_t b, std::int64_t n) { out.copy(b, *chunk, a, n); });
    });
    const_cast<Array*>(this)->trim_clean<Chunk>();
}

template <class Chunk>
void Array::write_region(std::int64_t start, std::int64_t stop, const Chunk& in, std::vector<fs::path>&) {
    std::vector<std::int64_t> in_origin(meta_.shape.size(), 0), in_shape = meta_.shape;
    in_origin[0] = start;
    in_shape[0] = stop - start;
    const std::int64_t elements = product(meta_.chunks);
    for_each_chunk(meta_, start, stop, [&](const std::vector<std::int64_t>& k) {
        std::vector<std::int64_t> origin(k.size()), lo(k.size()), hi(k.size());
        for (std::size_t d = 0; d < k.size(); ++d) {
            origin[d] = k[d] * meta_.chunks[d];
            lo[d] = std::max(origin[d], in_origin[d]);
            hi[d] = std::min({origin[d] + meta_.chunks[d], in_origin[d] + in_shape[d], meta_.shape[d]});
        }
        // A chunk whose rows inside the array are all written needs no read of what it held.
        const bool whole =
            start <= origin[0] && stop >= std::min(origin[0] + meta_.chunks[0], meta_.shape[0]);
        auto& cached = cache<Chunk>();
        auto it = cached.find(k);
        if (it == cached.end()) {
            std::optional<Chunk> chunk;
            if (!whole) chunk = load(meta_, chunk_path(k), elements, where_, static_cast<Chunk*>(nullptr));
            if (!chunk) chunk = filled(meta_, elements, static_cast<Chunk*>(nullptr));
            it = cached.emplace(k, detail::Cached<Chunk>{std::move(*chunk), false}).first;
        }
        if (!it->second.dirty) {
            it->second.dirty = true;
            cached_bytes_ += it->second.chunk.bytes();
        }
        Chunk& chunk = it->second.chunk;
        for_each_run(lo, hi, origin, meta_.chunks, in_origin, in_shape,
                     [&](std::int64_t a, std::int64_t b, std::int64_t n) { chunk.copy(a, in, b, n); });
    });
}

std::vector<std::uint8_t> Array::read_rows(std::int64_t start, std::int64_t stop) const {
    std::vector<std::int64_t> shape = meta_.shape;
    shape[0] = stop - start;
    ByteChunk out = filled(meta_, product(shape), static_cast<ByteChunk*>(nullptr));
    read_region(start, stop, out);
    return std::move(out.data);
}

std::vector<std::string> Array::read_strings(std::int64_t start, std::int64_t stop) const {
    std::vector<std::int64_t> shape = meta_.shape;
    shape[0] = stop - start;
    StringChunk out = filled(meta_, product(shape), static_cast<StringChunk*>(nullptr));
    read_region(start, stop, out);
    return std::move(out.data);
}

void Array::write_rows(std::int64_t start, std::int64_t rows, const std::uint8_t* data,
                       std::vector<fs::path>& written) {
    std::vector<std::int64_t> shape = meta_.shape;
    shape[0] = rows;
    ByteChunk in{
        std::vector<std::uint8_t>(data, data + product(shape) * static_cast<std::int64_t>(meta_.itemsize())),
        meta_.itemsize()};
    write_region(start, start + rows, in, written);
}

void Array::write_strings(std::int64_t start, const std::vector<std::string>& rows,
                          std::vector<fs::path>& written) {
    write_region(start, start + static_cast<std::int64_t>(rows.size()), StringChunk{rows}, written);
}

namespace {
// Sets the elements of `chunk` (at `origin`) that lie at or past `shape` on some axis to the fill.
template <class Chunk>
void clear_outside(const ArrayMeta& m, Chunk& chunk, const std::vector<std::int64_t>& origin,
                   const std::vector<std::int64_t>& shape) {
    const Chunk fill = filled(m, static_cast<std::int64_t>(chunk.data.size()), static_cast<Chunk*>(nullptr));
    for (std::size_t d = 0; d < shape.size(); ++d) {
        std::vector<std::int64_t> lo = origin, hi(origin.size());
        for (std::size_t e = 0; e < origin.size(); ++e)
            hi[e] = origin[e] + m.chunks[e];
        lo[d] = std::max(origin[d], shape[d]);
        for_each_run(lo, hi, origin, m.chunks, origin, m.chunks,
                     [&](std::int64_t a, std::int64_t b, std::int64_t n) { chunk.copy(a, fill, b, n); });
    }
}

template <class Chunk>
void shrink_chunk(const ArrayMeta& m, const fs::path& path, const std::vector<std::int64_t>& origin,
                  const std::vector<std::int64_t>& shape, const std::string& where,
                  std::vector<fs::path>& written) {
    auto chunk = load(m, path, product(m.chunks), where, static_cast<Chunk*>(nullptr));
    if (!chunk) return;
    clear_outside(m, *chunk, origin, shape);
    store(m, path, *chunk, written);
}
} // namespace

void Array::write_back(std::vector<fs::path>& written) {
    for (auto& [k, c] : byte_cache_)
        if (c.dirty) {
            store(meta_, chunk_path(k), c.chunk, written);
            c.dirty = false;
        }
    for (auto& [k, c] : string_cache_)
        if (c.dirty) {
            store(meta_, chunk_path(k), c.chunk, written);
            c.dirty = false;
        }
    cached_bytes_ = 0;
    trim_clean<ByteChunk>();
    trim_clean<StringChunk>();
    if (meta_dirty_) save_meta(written);
    meta_dirty_ = false;
}

void Array::resize(const std::vector<std::int64_t>& shape, std::vector<fs::path>& written) {
    if (shape.size() != meta_.shape.size()) throw Error(where_ + ": resize to another number of axes");
    bool shrinks = false;
    for (std::size_t d = 0; d < shape.size(); ++d)
        shrinks |= shape[d] < meta_.shape[d];
    if (shrinks) { // the cut applies to the files; growing changes no chunk
        write_back(written);
        byte_cache_.clear();
        string_cache_.clear();
    }
    if (shrinks && meta_.shape[0] > 0) {
        for_each_chunk(meta_, 0, meta_.shape[0], [&](const std::vector<std::int64_t>& k) {
            std::vector<std::int64_t> origin(k.size());
            bool outside = false, across = false;
            for (std::size_t d = 0; d < k.size(); ++d) {
                origin[d] = k[d] * meta_.chunks[d];
                outside |= origin[d] >= shape[d];
                across |= origin[d] + meta_.chunks[d] > shape[d] && shape[d] < meta_.shape[d];
            }
            const fs::path path = chunk_path(k);
            std::error_code ec;
            if (outside)
                fs::remove(path, ec);
            else if (across && meta_.strings())
                shrink_chunk<StringChunk>(meta_, path, origin, shape, where_, written);
            else if (across)
                shrink_chunk<ByteChunk>(meta_, path, origin, shape, where_, written);
        });
    }
    meta_.shape = shape;
    meta_dirty_ = true;
}

} // namespace asebytes::zarr
