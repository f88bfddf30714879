// The ULM container of ASE's .traj files (module ase.io.ulm; docs/formats/traj.md): a 48-byte
// header, a table of item offsets, and items that are an int64 length and JSON, with arrays as raw
// bytes beside them.
// Every size and offset the file declares is checked against its length before it is used.
#include <algorithm>
#include <cstring>
#include <filesystem>

#include "ase_traj_format.hpp"
#include "asebytes/error.hpp"

namespace asebytes::traj {
namespace {

constexpr std::size_t kHeaderBytes = 48; // magic, tag, version, nitems, pos0
// JSON items larger than this are not ASE's (a frame's JSON holds no arrays): a length beyond
// it is damage, not a reason to allocate.
constexpr std::uint64_t kMaxItemJson = std::uint64_t{1} << 30;

// Header, table and length integers are little-endian whatever the writer's machine (writeint).
std::int64_t little_int64(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return static_cast<std::int64_t>(v);
}

void swap_elements(std::vector<std::uint8_t>& bytes, std::size_t width) {
    for (std::size_t i = 0; i + width <= bytes.size(); i += width)
        std::reverse(bytes.begin() + static_cast<std::ptrdiff_t>(i),
                     bytes.begin() + static_cast<std::ptrdiff_t>(i + width));
}

} // namespace

const Value* Item::find(const std::string& key) const {
    for (const auto& [k, v] : data)
        if (k == key) return &v;
    return nullptr;
}

UlmFile::UlmFile(const std::string& path) : path_(path) {
    const std::string what = "ASE trajectory " + path;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw Error(what + " does not exist or is not a file");
    file_size_ = std::filesystem::file_size(path, ec);
    in_.open(path, std::ios::binary);
    if (ec || !in_) throw BackendError("cannot open " + what + " for reading");
    if (file_size_ < kHeaderBytes)
        throw CorruptDataError(what + ": " + std::to_string(file_size_) +
                               " bytes, shorter than the 48-byte ULM header");
    unsigned char header[kHeaderBytes];
    read_at(0, header, sizeof header);
    // "- of Ulm" since ULM version 3, "AFFormat" before; the layout is the same.
    if (std::memcmp(header, "- of Ulm", 8) != 0 && std::memcmp(header, "AFFormat", 8) != 0)
        throw CorruptDataError(what + ": not an ULM file (no '- of Ulm' magic)");
    tag_.assign(reinterpret_cast<const char*>(header + 8), 16);
    tag_.erase(tag_.find_last_not_of(' ') + 1);
    const std::int64_t nitems = little_int64(header + 32);
    const std::int64_t pos0 = little_int64(header + 40);
    if (nitems < 0 || static_cast<std::uint64_t>(nitems) > file_size_ / 8)
        throw CorruptDataError(what + ": the header declares " + std::to_string(nitems) + " items");
    if (nitems == 0) return;
    if (pos0 < static_cast<std::int64_t>(kHeaderBytes) ||
        static_cast<std::uint64_t>(pos0) > file_size_ - static_cast<std::uint64_t>(nitems) * 8)
        throw CorruptDataError(what + ": its table of " + std::to_string(nitems) + " item offsets at byte " +
                               std::to_string(pos0) + " lies outside the file of " +
                               std::to_string(file_size_) + " bytes");
    std::vector<unsigned char> table(static_cast<std::size_t>(nitems) * 8);
    read_at(static_cast<std::uint64_t>(pos0), table.data(), table.size());
    offsets_.reserve(static_cast<std::size_t>(nitems));
    for (std::size_t i = 0; i < static_cast<std::size_t>(nitems); ++i) {
        const std::int64_t o = little_int64(table.data() + 8 * i);
        if (o < static_cast<std::int64_t>(kHeaderBytes) || static_cast<std::uint64_t>(o) > file_size_ - 8)
            throw CorruptDataError(what + ": item " + std::to_string(i) + " is at byte " + std::to_string(o) +
                                   ", outside the file of " + std::to_string(file_size_) + " bytes");
        offsets_.push_back(static_cast<std::uint64_t>(o));
    }
}

void UlmFile::read_at(std::uint64_t offset, void* out, std::size_t n) {
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(static_cast<char*>(out), static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(in_.gcount()) != n)
        throw CorruptDataError("ASE trajectory " + path_ + ": cannot read " + std::to_string(n) +
                               " bytes at byte " + std::to_string(offset) + " (has the file shrunk?)");
}

Item UlmFile::item(std::size_t index) {
    const std::uint64_t at = offsets_.at(index);
    unsigned char length_bytes[8];
    read_at(at, length_bytes, 8);
    const std::int64_t length = little_int64(length_bytes);
    if (length < 0 || static_cast<std::uint64_t>(length) > file_size_ - at - 8 ||
        static_cast<std::uint64_t>(length) > kMaxItemJson)
        throw FormatError("its JSON of " + std::to_string(length) + " bytes at byte " +
                          std::to_string(at + 8) + " runs past the end of the file (" +
                          std::to_string(file_size_) + " bytes)");
    std::string text(static_cast<std::size_t>(length), '\0');
    read_at(at + 8, text.data(), text.size());
    Value decoded = decode_json(text);
    if (decoded.kind() != Value::Kind::Map)
        throw FormatError("its JSON is a " + decoded.type_name() + ", not an object");
    Item item;
    for (auto& [k, v] : decoded.as_map()) {
        if (k == "_little_endian") { // ulm pops it from the item's data
            if (v.kind() != Value::Kind::Bool) throw FormatError("_little_endian is not true or false");
            item.little_endian = v.as_bool();
        } else {
            item.data.emplace_back(k, v);
        }
    }
    return item;
}

ArraySpec array_spec(const Value& descriptor) {
    const Value* spec = descriptor.kind() == Value::Kind::Map ? descriptor.find("ndarray") : nullptr;
    const List* parts = spec && spec->kind() == Value::Kind::List ? &spec->as_list() : nullptr;
    if (!parts || parts->size() != 3 || (*parts)[0].kind() != Value::Kind::List ||
        (*parts)[1].kind() != Value::Kind::String || (*parts)[2].kind() != Value::Kind::Int)
        throw FormatError("an array is not described as {\"ndarray\": [shape, dtype, offset]}");
    ArraySpec out;
    for (const auto& d : (*parts)[0].as_list()) {
        if (d.kind() != Value::Kind::Int || d.as_int() < 0)
            throw FormatError("an array shape holds something other than non-negative integers");
        out.shape.push_back(d.as_int());
    }
    out.dtype_name = (*parts)[1].as_string();
    out.typestr = typestr_of_dtype_name(out.dtype_name);
    out.offset = (*parts)[2].as_int();
    return out;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string out = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + (shape.size() == 1 ? ",)" : ")");
}

NdArray UlmFile::array(const Value& descriptor, bool little_endian) {
    ArraySpec spec = array_spec(descriptor);
    const std::size_t itemsize = itemsize_of(spec.typestr);
    std::uint64_t nbytes = itemsize;
    for (const auto d : spec.shape) {
        const auto n = static_cast<std::uint64_t>(d);
        nbytes = n != 0 && nbytes > file_size_ / n ? file_size_ + 1 : nbytes * n; // +1: more than the file
    }
    if (spec.offset < 0 || nbytes > file_size_ ||
        static_cast<std::uint64_t>(spec.offset) > file_size_ - nbytes)
        throw FormatError("an array of " + spec.dtype_name + " of shape " + shape_text(spec.shape) +
                          " at byte " + std::to_string(spec.offset) + " runs past the end of the file (" +
                          std::to_string(file_size_) + " bytes)");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(nbytes));
    read_at(static_cast<std::uint64_t>(spec.offset), bytes.data(), bytes.size());
    if (!little_endian && itemsize > 1) {
        // A complex element is two floats, each swapped on its own.
        const DType dtype = dtype_from_typestr(spec.typestr);
        swap_elements(bytes,
                      dtype == DType::Complex64 || dtype == DType::Complex128 ? itemsize / 2 : itemsize);
    }
    return NdArray(spec.typestr, std::move(spec.shape), std::move(bytes));
}

} // namespace asebytes::traj
