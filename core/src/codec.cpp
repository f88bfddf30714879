#include "asebytes/codec.hpp"

#include <cstring>
#include <optional>

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
// Straight from the bytes into Value (no intermediate object tree): one pass, one allocation
// per string, bytes and array buffer.

constexpr std::size_t kMaxDepth = 64;

[[noreturn]] void corrupt(const std::string& what) { throw CorruptDataError(what); }

// A map key as read: str or bin with its bytes, or another type (refused unless the map is a
// numpy record, as Python's msgpack reads them).
struct RawKey {
    bool str_or_bin = false;
    bool bin = false;
    std::string text;
};

class Decoder {
public:
    Decoder(const std::uint8_t* p, std::size_t n) : p_(p), end_(p + n), n_(n) {}

    Value value(std::size_t depth) {
        const std::uint8_t t = byte();
        if (t <= 0x7f) return Value(static_cast<unsigned long long>(t));
        if (t >= 0xe0) return Value(static_cast<long long>(static_cast<std::int8_t>(t)));
        if ((t & 0xf0) == 0x80) return map(t & 0x0f, depth);
        if ((t & 0xf0) == 0x90) return array(t & 0x0f, depth);
        if ((t & 0xe0) == 0xa0) return Value(text(length_after(t)));
        switch (t) {
        case 0xc0:
            return Value();
        case 0xc2:
            return Value(false);
        case 0xc3:
            return Value(true);
        case 0xc4:
        case 0xc5:
        case 0xc6:
            return Value(bin(length_after(t)));
        case 0xca: {
            const std::uint32_t bits = be<std::uint32_t>();
            float f;
            std::memcpy(&f, &bits, sizeof f);
            return Value(static_cast<double>(f));
        }
        case 0xcb: {
            const std::uint64_t bits = be<std::uint64_t>();
            double d;
            std::memcpy(&d, &bits, sizeof d);
            return Value(d);
        }
        case 0xcc:
        case 0xcd:
        case 0xce:
        case 0xcf:
            return Value(static_cast<unsigned long long>(unsigned_after(t)));
        case 0xd0:
            return signed_value(static_cast<std::int8_t>(be<std::uint8_t>()));
        case 0xd1:
            return signed_value(static_cast<std::int16_t>(be<std::uint16_t>()));
        case 0xd2:
            return signed_value(static_cast<std::int32_t>(be<std::uint32_t>()));
        case 0xd3:
            return signed_value(static_cast<std::int64_t>(be<std::uint64_t>()));
        case 0xd9:
        case 0xda:
        case 0xdb:
            return Value(text(length_after(t)));
        case 0xdc:
            return array(be<std::uint16_t>(), depth);
        case 0xdd:
            return array(be<std::uint32_t>(), depth);
        case 0xde:
            return map(be<std::uint16_t>(), depth);
        case 0xdf:
            return map(be<std::uint32_t>(), depth);
        case 0xc7:
        case 0xc8:
        case 0xc9:
        case 0xd4:
        case 0xd5:
        case 0xd6:
        case 0xd7:
        case 0xd8:
            corrupt("msgpack extension types are not supported");
        default: // 0xc1, never used
            corrupt("malformed msgpack value: byte 0x" + hex(t) + " at offset " +
                    std::to_string(offset() - 1));
        }
    }

    std::size_t offset() const { return static_cast<std::size_t>(p_ - (end_ - n_)); }

private:
    static std::string hex(std::uint8_t b) {
        const char* digits = "0123456789abcdef";
        return {digits[b >> 4], digits[b & 15]};
    }
    [[noreturn]] void truncated() const {
        corrupt("truncated msgpack value (" + std::to_string(n_) + " bytes)");
    }
    void need(std::size_t k) const {
        if (static_cast<std::size_t>(end_ - p_) < k) truncated();
    }
    std::uint8_t byte() {
        need(1);
        return *p_++;
    }
    template <class T> T be() {
        need(sizeof(T));
        T v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i)
            v = static_cast<T>((static_cast<std::uint64_t>(v) << 8) | p_[i]);
        p_ += sizeof(T);
        return v;
    }
    static bool is_str(std::uint8_t t) { return (t & 0xe0) == 0xa0 || t == 0xd9 || t == 0xda || t == 0xdb; }
    static bool is_bin(std::uint8_t t) { return t == 0xc4 || t == 0xc5 || t == 0xc6; }
    // The byte length that follows a str or bin tag `t` (fixstr holds it in the tag).
    std::size_t length_after(std::uint8_t t) {
        if ((t & 0xe0) == 0xa0) return t & 0x1f;
        if (t == 0xd9 || t == 0xc4) return be<std::uint8_t>();
        if (t == 0xda || t == 0xc5) return be<std::uint16_t>();
        return be<std::uint32_t>();
    }
    // The value that follows an unsigned integer tag 0xcc..0xcf.
    std::uint64_t unsigned_after(std::uint8_t t) {
        if (t == 0xcc) return be<std::uint8_t>();
        if (t == 0xcd) return be<std::uint16_t>();
        if (t == 0xce) return be<std::uint32_t>();
        return be<std::uint64_t>();
    }
    // msgpack-cxx and Python read a non-negative signed encoding as a plain (positive) int.
    static Value signed_value(std::int64_t v) {
        return v >= 0 ? Value(static_cast<unsigned long long>(v)) : Value(static_cast<long long>(v));
    }
    std::string_view span(std::size_t k) {
        need(k);
        std::string_view out(reinterpret_cast<const char*>(p_), k);
        p_ += k;
        return out;
    }
    std::string text(std::size_t k) { return std::string(span(k)); }
    Binary bin(std::size_t k) {
        const std::string_view s = span(k);
        return Binary(s.begin(), s.end());
    }
    // Every element takes at least one byte: a count above what is left is a lie, refused before
    // anything is allocated for it.
    void check_count(std::size_t count, std::size_t bytes_each) const {
        if (count > static_cast<std::size_t>(end_ - p_) / bytes_each)
            corrupt("malformed msgpack value: a container of " + std::to_string(count) + " elements in the " +
                    std::to_string(end_ - p_) + " bytes left");
    }
    void enter(std::size_t depth) const {
        if (depth >= kMaxDepth)
            corrupt("msgpack value nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    Value array(std::size_t count, std::size_t depth) {
        enter(depth);
        check_count(count, 1);
        List list;
        list.reserve(count);
        for (std::size_t i = 0; i < count; ++i)
            list.push_back(value(depth + 1));
        return Value(std::move(list));
    }
    RawKey key(std::size_t depth) {
        need(1); // earlier entries may have taken what check_count saw
        const std::uint8_t t = *p_;
        RawKey k;
        if (is_str(t) || is_bin(t)) {
            ++p_;
            k.str_or_bin = true;
            k.bin = is_bin(t);
            k.text = std::string(span(length_after(t)));
        } else {
            value(depth + 1); // skipped: the map is refused below unless it is a numpy record
        }
        return k;
    }
    Value map(std::size_t count, std::size_t depth) {
        enter(depth);
        check_count(count, 2);
        if (Value a = msgpack_numpy_array(count); !a.is_nil()) return a;
        std::vector<RawKey> keys;
        List values;
        keys.reserve(count);
        values.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            keys.push_back(key(depth));
            values.push_back(value(depth + 1));
        }
        if (const Value* nd = record_field(keys, values, "nd")) return numpy_record(keys, values, *nd);
        if (record_field(keys, values, "complex")) corrupt("Python complex numbers are not supported");
        Map out;
        out.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            // Python's msgpack (strict_map_key) reads only str and bytes keys; so do we.
            if (!keys[i].str_or_bin)
                corrupt("dict key that is neither str nor bytes (Python's msgpack refuses it too)");
            out.emplace_back(MapKey(std::move(keys[i].text), keys[i].bin), std::move(values[i]));
        }
        return Value(std::move(out));
    }

    // A bin key of msgpack-numpy's (bin8 of a few bytes) equal to `name`, consumed; false otherwise.
    // (A literal's length is a constant here, so the comparison unrolls inline.)
    template <std::size_t N> bool bin_key(const char (&name)[N]) {
        constexpr std::size_t n = N - 1;
        if (static_cast<std::size_t>(end_ - p_) < 2 + n || p_[0] != 0xc4 || p_[1] != n ||
            !std::equal(name, name + n, p_ + 2,
                        [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; }))
            return false;
        p_ += 2 + n;
        return true;
    }
    // The map msgpack-numpy's encode() writes for an array or a numpy scalar, read in one pass
    // straight into its NdArray: nd, type, (kind, shape,) data in that order. Anything else,
    // nothing consumed and nil returned, for the general reading (which also gives the errors).
    Value msgpack_numpy_array(std::size_t count) {
        const std::uint8_t* const start = p_;
        auto fail = [&] {
            p_ = start;
            return Value();
        };
        if ((count != 5 && count != 3) || !bin_key("nd") || p_ >= end_ || (*p_ != 0xc3 && *p_ != 0xc2))
            return fail();
        const bool array = *p_++ == 0xc3;
        if (array != (count == 5) || !bin_key("type") || p_ >= end_ || (*p_ & 0xe0) != 0xa0) return fail();
        const std::size_t type_size = length_after(*p_++);
        if (static_cast<std::size_t>(end_ - p_) < type_size) return fail();
        std::string typestr(reinterpret_cast<const char*>(p_), type_size);
        p_ += type_size;
        std::vector<std::int64_t> dims;
        if (array) {
            if (!bin_key("kind") || static_cast<std::size_t>(end_ - p_) < 2 || p_[0] != 0xc4 || p_[1] != 0)
                return fail();
            p_ += 2;
            if (!bin_key("shape") || p_ >= end_ || (*p_ & 0xf0) != 0x90) return fail();
            dims.resize(*p_++ & 0x0f);
            for (auto& dim : dims) {
                if (p_ >= end_) return fail();
                const std::uint8_t d = *p_++;
                if (d <= 0x7f)
                    dim = d;
                else if (d >= 0xcc && d <= 0xce)
                    dim = static_cast<std::int64_t>(unsigned_after(d));
                else
                    return fail(); // larger or negative sizes: the general reading decides
            }
        }
        if (!bin_key("data") || p_ >= end_ || !is_bin(*p_)) return fail();
        const std::size_t size = length_after(*p_++);
        if (static_cast<std::size_t>(end_ - p_) < size) return fail();
        std::vector<std::uint8_t> data(p_, p_ + size);
        p_ += size;
        try {
            return Value(array ? NdArray(std::move(typestr), std::move(dims), std::move(data))
                               : NdArray(std::move(typestr), {}, std::move(data), true));
        } catch (const TypeError&) {
            return fail(); // the general reading reports it
        }
    }

    // The value under bin key `name` in a map, or nullptr (msgpack-numpy's keys are bytes).
    static Value* record_field(std::vector<RawKey>& keys, List& values, std::string_view name) {
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i].bin && keys[i].text == name) return &values[i];
        return nullptr;
    }
    static std::string_view bytes_of(const Value& v) {
        if (v.kind() == Value::Kind::Binary)
            return {reinterpret_cast<const char*>(v.as_binary().data()), v.as_binary().size()};
        if (v.kind() == Value::Kind::String) return v.as_string();
        corrupt("expected bytes or str in a numpy array record");
    }
    static Binary take_bytes(Value& v) {
        // `v` is this decoder's own temporary (Value has no mutable accessor): its buffer moves.
        if (v.kind() == Value::Kind::Binary) return std::move(const_cast<Binary&>(v.as_binary()));
        const std::string_view s = bytes_of(v);
        return Binary(s.begin(), s.end());
    }
    static Value numpy_record(std::vector<RawKey>& keys, List& values, const Value& nd) {
        const Value* type = record_field(keys, values, "type");
        Value* data = record_field(keys, values, "data");
        if (!type || !data) corrupt("numpy record without 'type' or 'data'");
        if (nd.kind() != Value::Kind::Bool) corrupt("numpy record with a non-boolean 'nd'");
        const std::string typestr(bytes_of(*type));
        try {
            if (!nd.as_bool()) return NdArray(typestr, {}, take_bytes(*data), true); // numpy scalar
            if (const Value* kind = record_field(keys, values, "kind")) {
                const std::string_view k = bytes_of(*kind);
                if (k == "O") corrupt("numpy object array (pickled) refused: unpickling would run code");
                if (!k.empty())
                    corrupt("structured numpy arrays (kind '" + std::string(k) + "') are not supported");
            }
            const Value* shape = record_field(keys, values, "shape");
            if (!shape || shape->kind() != Value::Kind::List) corrupt("numpy array record without a shape");
            std::vector<std::int64_t> dims;
            dims.reserve(shape->as_list().size());
            for (const Value& d : shape->as_list()) {
                if (d.kind() == Value::Kind::UInt) {
                    dims.push_back(static_cast<std::int64_t>(d.as_uint()));
                } else if (d.kind() == Value::Kind::Int && d.as_int() >= 0) {
                    dims.push_back(d.as_int());
                } else {
                    corrupt("numpy array shape is not a list of sizes");
                }
            }
            return NdArray(typestr, std::move(dims), take_bytes(*data));
        } catch (const TypeError& e) {
            corrupt(std::string("bad numpy array: ") + e.what());
        }
    }

    const std::uint8_t* p_;
    const std::uint8_t* end_;
    std::size_t n_;
};

} // namespace

void encode_append(std::string& out, const Value& value) {
    StringSink sink{out};
    Packer pk(sink);
    pack_value(pk, sink, value);
}

std::string encode(const Value& value) {
    std::string out;
    // One allocation for the common values (arrays, strings): their payload plus msgpack-numpy's
    // few dozen bytes of header.
    if (value.is_array())
        out.reserve(value.as_array().nbytes() + 64 + 9 * value.as_array().ndim());
    else if (value.kind() == Value::Kind::String)
        out.reserve(value.as_string().size() + 5);
    encode_append(out, value);
    return out;
}

Value decode(std::string_view bytes) {
    if (bytes.empty()) corrupt("empty value (zero bytes)");
    Decoder d(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    Value v = d.value(0);
    if (d.offset() != bytes.size())
        corrupt("malformed msgpack value: " + std::to_string(bytes.size() - d.offset()) + " trailing bytes");
    return v;
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
