#include "asebytes/codec.hpp"

#include <cstring>

#include <msgpack.hpp> // MSGPACK_NO_BOOST comes from the build

namespace asebytes {
namespace {

// msgpack-cxx packs into anything with write(); appending to a std::string avoids a copy.
struct StringSink {
    std::string& out;
    void write(const char* data, std::size_t n) { out.append(data, n); }
};
using Packer = msgpack::packer<StringSink>;

void pack_bin(Packer& pk, std::string_view bytes) {
    pk.pack_bin(static_cast<std::uint32_t>(bytes.size()));
    pk.pack_bin_body(bytes.data(), static_cast<std::uint32_t>(bytes.size()));
}

void pack_str(Packer& pk, std::string_view s) {
    pk.pack_str(static_cast<std::uint32_t>(s.size()));
    pk.pack_str_body(s.data(), static_cast<std::uint32_t>(s.size()));
}

// msgpack-cxx 4 packs integral doubles (300.0) as ints; Python always writes float 64 (0xcb).
void pack_float64(StringSink& sink, double d) {
    std::uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    char buf[9];
    buf[0] = static_cast<char>(0xcb);
    for (int i = 0; i < 8; ++i)
        buf[1 + i] = static_cast<char>((bits >> (56 - 8 * i)) & 0xff);
    sink.write(buf, sizeof buf);
}

void pack_array(Packer& pk, const NdArray& a) {
    // msgpack-numpy's encode(): keys are Python bytes (bin), the dtype string is a str.
    const std::string_view data(reinterpret_cast<const char*>(a.bytes()), a.nbytes());
    if (a.is_scalar()) {
        pk.pack_map(3);
        pack_bin(pk, "nd");
        pk.pack_false();
        pack_bin(pk, "type");
        pack_str(pk, a.typestr());
        pack_bin(pk, "data");
        pack_bin(pk, data);
        return;
    }
    pk.pack_map(5);
    pack_bin(pk, "nd");
    pk.pack_true();
    pack_bin(pk, "type");
    pack_str(pk, a.typestr());
    pack_bin(pk, "kind");
    pack_bin(pk, "");
    pack_bin(pk, "shape");
    pk.pack_array(static_cast<std::uint32_t>(a.ndim()));
    for (auto d : a.shape())
        pk.pack_int64(d);
    pack_bin(pk, "data");
    pack_bin(pk, data);
}

void pack_value(Packer& pk, StringSink& sink, const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Nil:
        pk.pack_nil();
        break;
    case Value::Kind::Bool:
        v.as_bool() ? pk.pack_true() : pk.pack_false();
        break;
    case Value::Kind::Int:
        pk.pack_int64(v.as_int());
        break;
    case Value::Kind::UInt:
        pk.pack_uint64(v.as_uint());
        break;
    case Value::Kind::Float:
        pack_float64(sink, v.as_double());
        break;
    case Value::Kind::String:
        pack_str(pk, v.as_string());
        break;
    case Value::Kind::Binary: {
        const Binary& b = v.as_binary();
        pack_bin(pk, std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
        break;
    }
    case Value::Kind::List:
        pk.pack_array(static_cast<std::uint32_t>(v.as_list().size()));
        for (const auto& x : v.as_list())
            pack_value(pk, sink, x);
        break;
    case Value::Kind::Map:
        pk.pack_map(static_cast<std::uint32_t>(v.as_map().size()));
        for (const auto& [k, x] : v.as_map()) {
            if (k.binary)
                pack_bin(pk, k);
            else
                pack_str(pk, k);
            pack_value(pk, sink, x);
        }
        break;
    case Value::Kind::Array:
        pack_array(pk, v.as_array());
        break;
    }
}

// ---- decoding -------------------------------------------------------------------------------

constexpr std::size_t kMaxDepth = 64;

[[noreturn]] void corrupt(const std::string& what) { throw CorruptDataError(what); }

std::string_view bytes_of(const msgpack::object& o) {
    if (o.type == msgpack::type::BIN) return {o.via.bin.ptr, o.via.bin.size};
    if (o.type == msgpack::type::STR) return {o.via.str.ptr, o.via.str.size};
    corrupt("expected bytes or str in a numpy array record");
}

// The value under bin key `key` in a msgpack-numpy record, or nullptr.
const msgpack::object* record_field(const msgpack::object_map& m, std::string_view key) {
    for (std::uint32_t i = 0; i < m.size; ++i) {
        const auto& k = m.ptr[i].key;
        if (k.type == msgpack::type::BIN && std::string_view(k.via.bin.ptr, k.via.bin.size) == key)
            return &m.ptr[i].val;
    }
    return nullptr;
}

std::vector<std::uint8_t> to_buffer(std::string_view s) {
    return std::vector<std::uint8_t>(s.begin(), s.end());
}

Value numpy_record(const msgpack::object_map& m, const msgpack::object& nd) {
    const msgpack::object* type = record_field(m, "type");
    const msgpack::object* data = record_field(m, "data");
    if (!type || !data) corrupt("numpy record without 'type' or 'data'");
    if (nd.type != msgpack::type::BOOLEAN) corrupt("numpy record with a non-boolean 'nd'");
    const std::string typestr(bytes_of(*type));
    try {
        if (!nd.via.boolean) // numpy scalar
            return NdArray(typestr, {}, to_buffer(bytes_of(*data)), true);
        if (const msgpack::object* kind = record_field(m, "kind")) {
            const std::string_view k = bytes_of(*kind);
            if (k == "O") corrupt("numpy object array (pickled) refused: unpickling would run code");
            if (!k.empty())
                corrupt("structured numpy arrays (kind '" + std::string(k) + "') are not supported");
        }
        const msgpack::object* shape = record_field(m, "shape");
        if (!shape || shape->type != msgpack::type::ARRAY) corrupt("numpy array record without a shape");
        std::vector<std::int64_t> dims;
        for (std::uint32_t i = 0; i < shape->via.array.size; ++i) {
            const auto& d = shape->via.array.ptr[i];
            if (d.type != msgpack::type::POSITIVE_INTEGER)
                corrupt("numpy array shape is not a list of sizes");
            dims.push_back(static_cast<std::int64_t>(d.via.u64));
        }
        return NdArray(typestr, std::move(dims), to_buffer(bytes_of(*data)));
    } catch (const TypeError& e) {
        corrupt(std::string("bad numpy array: ") + e.what());
    }
}

Value to_value(const msgpack::object& o) {
    switch (o.type) {
    case msgpack::type::NIL:
        return Value();
    case msgpack::type::BOOLEAN:
        return Value(o.via.boolean);
    case msgpack::type::POSITIVE_INTEGER:
        return Value(static_cast<unsigned long long>(o.via.u64));
    case msgpack::type::NEGATIVE_INTEGER:
        return Value(static_cast<long long>(o.via.i64));
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
        return Value(o.via.f64);
    case msgpack::type::STR:
        return Value(std::string(o.via.str.ptr, o.via.str.size));
    case msgpack::type::BIN:
        return Value(to_buffer({o.via.bin.ptr, o.via.bin.size}));
    case msgpack::type::ARRAY: {
        List list;
        list.reserve(o.via.array.size);
        for (std::uint32_t i = 0; i < o.via.array.size; ++i)
            list.push_back(to_value(o.via.array.ptr[i]));
        return Value(std::move(list));
    }
    case msgpack::type::MAP: {
        const auto& m = o.via.map;
        if (const msgpack::object* nd = record_field(m, "nd")) return numpy_record(m, *nd);
        if (record_field(m, "complex")) corrupt("Python complex numbers are not supported");
        Map map;
        map.reserve(m.size);
        for (std::uint32_t i = 0; i < m.size; ++i) {
            const auto& key = m.ptr[i].key;
            // Python's msgpack (strict_map_key) reads only str and bytes keys; so do we.
            if (key.type != msgpack::type::STR && key.type != msgpack::type::BIN)
                corrupt("dict key that is neither str nor bytes (Python's msgpack refuses it too)");
            map.emplace_back(MapKey(std::string(bytes_of(key)), key.type == msgpack::type::BIN),
                             to_value(m.ptr[i].val));
        }
        return Value(std::move(map));
    }
    case msgpack::type::EXT:
        corrupt("msgpack extension types are not supported");
    }
    corrupt("unknown msgpack type");
}

// Reference strings and bins in the input instead of copying them into the zone: the value is
// converted (one copy) before the input goes away.
bool reference_all(msgpack::type::object_type, std::size_t, void*) { return true; }

} // namespace

void encode_append(std::string& out, const Value& value) {
    StringSink sink{out};
    Packer pk(sink);
    pack_value(pk, sink, value);
}

std::string encode(const Value& value) {
    std::string out;
    encode_append(out, value);
    return out;
}

Value decode(std::string_view bytes) {
    if (bytes.empty()) corrupt("empty value (zero bytes)");
    // Every element needs at least one byte, so counts above the input size are lies: refuse them
    // before msgpack-cxx allocates for them.
    const std::size_t n = bytes.size();
    const msgpack::unpack_limit limit(n, n, n, n, n, kMaxDepth);
    std::size_t offset = 0;
    msgpack::object_handle handle;
    try {
        handle = msgpack::unpack(bytes.data(), n, offset, reference_all, nullptr, limit);
    } catch (const msgpack::insufficient_bytes&) {
        corrupt("truncated msgpack value (" + std::to_string(n) + " bytes)");
    } catch (const msgpack::depth_size_overflow&) {
        corrupt("msgpack value nested deeper than " + std::to_string(kMaxDepth) + " levels");
    } catch (const std::exception& e) {
        corrupt(std::string("malformed msgpack value: ") + e.what());
    }
    if (offset != n) corrupt("malformed msgpack value: " + std::to_string(n - offset) + " trailing bytes");
    return to_value(handle.get());
}

BlobRow encode_row(const Row& row) {
    BlobRow out;
    for (const auto& [k, v] : row)
        out.emplace_hint(out.end(), k, encode(v));
    return out;
}

Row decode_row(const BlobRow& row, const std::string& where) {
    Row out;
    for (const auto& [k, bytes] : row) {
        try {
            out.emplace_hint(out.end(), k, decode(bytes));
        } catch (const CorruptDataError& e) {
            throw CorruptDataError(where + ", key '" + k + "': " + e.what());
        }
    }
    return out;
}

} // namespace asebytes
