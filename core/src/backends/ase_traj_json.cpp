// ASE's JSON dialect (module ase.io.jsonio) on top of Python's json (python_json::loads): the object
// hooks that turn {"__ndarray__": ...}, {"__complex__": ...} and {"__datetime__": ...} into
// values, and fix_int_keys_in_dicts, which makes integer-looking dict keys ints.
#include <cmath>
#include <complex>
#include <cstring>
#include <limits>
#include <optional>

#include "ase_traj_format.hpp"
#include "python_json.hpp"

namespace asebytes::traj {
namespace {

// The numpy dtype names ASE writes (dtype.name) that have a typed NdArray.
struct DtypeName {
    const char* name;
    const char* typestr;
};
constexpr DtypeName kDtypeNames[] = {
    {"bool", "|b1"},    {"int8", "|i1"},    {"uint8", "|u1"},     {"int16", "<i2"},       {"uint16", "<u2"},
    {"int32", "<i4"},   {"uint32", "<u4"},  {"int64", "<i8"},     {"uint64", "<u8"},      {"float16", "<f2"},
    {"float32", "<f4"}, {"float64", "<f8"}, {"complex64", "<c8"}, {"complex128", "<c16"},
};

double as_number(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Bool:
        return v.as_bool() ? 1.0 : 0.0;
    case Value::Kind::Int:
        return static_cast<double>(v.as_int());
    case Value::Kind::UInt:
        return static_cast<double>(v.as_uint());
    case Value::Kind::Float:
        return v.as_double();
    case Value::Kind::Nil: // numpy stores None in a float array as NaN
        return std::numeric_limits<double>::quiet_NaN();
    default:
        throw FormatError("an array element is a " + v.type_name() + ", not a number");
    }
}

// numpy's assignment of a Python number to an element of type T (floats truncate into ints).
template <class T> T element(const Value& v) {
    if constexpr (std::is_same_v<T, bool>) {
        return as_number(v) != 0.0;
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(as_number(v));
    } else {
        if (v.kind() == Value::Kind::Int) return static_cast<T>(v.as_int());
        if (v.kind() == Value::Kind::UInt) return static_cast<T>(v.as_uint());
        const double x = as_number(v);
        if (!std::isfinite(x) || std::fabs(x) >= 9.2e18)
            throw FormatError("an integer array element is " + python_json::float_repr(x));
        return static_cast<T>(x);
    }
}

template <class T> void fill(std::uint8_t* out, const List& flat) {
    for (std::size_t i = 0; i < flat.size(); ++i) {
        const T x = element<T>(flat[i]);
        std::memcpy(out + i * sizeof(T), &x, sizeof(T));
    }
}

// A complex array's flat list holds re, im pairs (create_ndarray views it as its real dtype).
template <class R> void fill_complex(std::uint8_t* out, const List& flat) { fill<R>(out, flat); }

void fill_elements(NdArray& a, const List& flat) {
    std::uint8_t* out = a.bytes();
    switch (a.dtype()) {
    case DType::Bool:
        return fill<bool>(out, flat);
    case DType::Int8:
        return fill<std::int8_t>(out, flat);
    case DType::Int16:
        return fill<std::int16_t>(out, flat);
    case DType::Int32:
        return fill<std::int32_t>(out, flat);
    case DType::Int64:
        return fill<std::int64_t>(out, flat);
    case DType::UInt8:
        return fill<std::uint8_t>(out, flat);
    case DType::UInt16:
        return fill<std::uint16_t>(out, flat);
    case DType::UInt32:
        return fill<std::uint32_t>(out, flat);
    case DType::UInt64:
        return fill<std::uint64_t>(out, flat);
    case DType::Float32:
        return fill<float>(out, flat);
    case DType::Float64:
        return fill<double>(out, flat);
    case DType::Complex64:
        return fill_complex<float>(out, flat);
    case DType::Complex128:
        return fill_complex<double>(out, flat);
    default:
        throw FormatError("arrays of dtype " + a.typestr() + " are not read");
    }
}

// The shape and the leaves of a nested list as np.array sees it; false when it is ragged.
bool collect(const Value& v, std::size_t depth, std::vector<std::int64_t>& shape, List& leaves) {
    if (v.kind() != Value::Kind::List) {
        if (depth != shape.size()) return false;
        leaves.push_back(v);
        return true;
    }
    const auto n = static_cast<std::int64_t>(v.as_list().size());
    if (depth == shape.size() && leaves.empty())
        shape.push_back(n);
    else if (depth >= shape.size() || shape[depth] != n)
        return false;
    for (const auto& x : v.as_list())
        if (!collect(x, depth + 1, shape, leaves)) return false;
    return true;
}

NdArray converted(const NdArray& a, DType dtype) {
    if (a.dtype() == dtype) return a;
    if (a.dtype() == DType::Complex64 || a.dtype() == DType::Complex128 || a.dtype() == DType::Other)
        throw FormatError("an array of " + a.typestr() + " where numbers are expected");
    List flat;
    flat.reserve(a.size());
    if (a.dtype() == DType::Float16 || a.dtype() == DType::Float32 || a.dtype() == DType::Float64) {
        for (double x : a.to_vector<double>())
            flat.emplace_back(x);
    } else if (a.dtype() == DType::UInt64) {
        for (std::uint64_t x : a.to_vector<std::uint64_t>())
            flat.emplace_back(static_cast<unsigned long long>(x));
    } else {
        for (std::int64_t x : a.to_vector<std::int64_t>())
            flat.emplace_back(static_cast<long long>(x));
    }
    NdArray out = NdArray::zeros(dtype, a.shape());
    fill_elements(out, flat);
    return out;
}

std::vector<std::int64_t> shape_of(const Value& v) {
    if (v.kind() != Value::Kind::List) throw FormatError("an array shape is not a list");
    std::vector<std::int64_t> shape;
    for (const auto& d : v.as_list()) {
        if (d.kind() != Value::Kind::Int || d.as_int() < 0)
            throw FormatError("an array shape holds something other than non-negative integers");
        shape.push_back(d.as_int());
    }
    return shape;
}

// create_ndarray(shape, dtype, flat).
Value ndarray_of(const Value& spec) {
    if (spec.kind() != Value::Kind::List || spec.as_list().size() != 3 ||
        spec.as_list()[1].kind() != Value::Kind::String || spec.as_list()[2].kind() != Value::Kind::List)
        throw FormatError("__ndarray__ is not [shape, dtype, values]");
    const List& parts = spec.as_list();
    const auto shape = shape_of(parts[0]);
    const List& flat = parts[2].as_list();
    const std::string typestr = typestr_of_dtype_name(parts[1].as_string());
    std::uint64_t count = 1;
    for (auto d : shape) {
        if (d != 0 && count > flat.size() / static_cast<std::uint64_t>(d))
            throw FormatError("__ndarray__ has fewer values than its shape");
        count *= static_cast<std::uint64_t>(d);
    }
    const DType dtype = dtype_from_typestr(typestr);
    const bool complex = dtype == DType::Complex64 || dtype == DType::Complex128;
    if (flat.size() != count * (complex ? 2 : 1))
        throw FormatError("__ndarray__ of shape with " + std::to_string(count) + " elements holds " +
                          std::to_string(flat.size()) + " values");
    NdArray a = NdArray::zeros(dtype, shape);
    fill_elements(a, flat);
    return Value(std::move(a));
}

Value complex_of(const Value& spec) {
    if (spec.kind() != Value::Kind::List || spec.as_list().size() != 2)
        throw FormatError("__complex__ is not [re, im]");
    // Python complex has no Value of its own; a numpy complex128 scalar is the nearest.
    return Value(
        NdArray::scalar(std::complex<double>(as_number(spec.as_list()[0]), as_number(spec.as_list()[1]))));
}

// json's object_hook of jsonio, for a dict whose values are already decoded.
Value object_hook(Map&& m) {
    const auto find = [&m](const char* key) -> const Value* {
        for (const auto& [k, v] : m)
            if (k == key) return &v;
        return nullptr;
    };
    if (const Value* t = find("__datetime__")) {
        // A datetime object in Python; kept as its ISO text (msgpack has no datetime either).
        if (t->kind() != Value::Kind::String) throw FormatError("__datetime__ is not a string");
        return *t;
    }
    if (const Value* c = find("__complex__")) return complex_of(*c);
    if (const Value* a = find("__ndarray__")) return ndarray_of(*a);
    return Value(std::move(m));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// str(int(key)) when Python's int() accepts the key (surrounding spaces, a sign, digits with
// single underscores between them), else nothing.
std::optional<std::string> int_key(const std::string& key) {
    std::size_t b = 0, e = key.size();
    while (b < e && is_space(key[b]))
        ++b;
    while (e > b && is_space(key[e - 1]))
        --e;
    bool negative = false;
    if (b < e && (key[b] == '+' || key[b] == '-')) negative = key[b++] == '-';
    std::string digits;
    for (std::size_t i = b; i < e; ++i) {
        const char c = key[i];
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c != '_' || i == b || i + 1 == e || key[i + 1] == '_') {
            return std::nullopt;
        }
    }
    if (digits.empty()) return std::nullopt;
    const auto first = digits.find_first_not_of('0');
    if (first == std::string::npos) return std::string("0");
    return (negative ? "-" : "") + digits.substr(first);
}

// Hooks bottom-up; `fix_keys`: this dict is reached from the top through dicts only.
Value decode_value(Value&& v, bool fix_keys) {
    if (v.kind() == Value::Kind::List) {
        List out;
        out.reserve(v.as_list().size());
        for (const auto& x : v.as_list())
            out.push_back(decode_value(Value(x), false));
        return Value(std::move(out));
    }
    if (v.kind() != Value::Kind::Map) return std::move(v);
    Map decoded;
    decoded.reserve(v.as_map().size());
    for (const auto& [k, x] : v.as_map())
        decoded.emplace_back(k, decode_value(Value(x), fix_keys));
    Value hooked = object_hook(std::move(decoded));
    if (!fix_keys || hooked.kind() != Value::Kind::Map) return hooked;
    Map fixed;
    for (const auto& [k, x] : hooked.as_map()) {
        const std::string key = int_key(k).value_or(k);
        bool replaced = false; // a later duplicate wins in the earlier one's place, as in a dict
        for (auto& [fk, fx] : fixed)
            if (fk == key) {
                fx = x;
                replaced = true;
            }
        if (!replaced) fixed.emplace_back(MapKey(key), x);
    }
    return Value(std::move(fixed));
}

// Python's json gives up (RecursionError) near 1000 nested containers; deeper text is refused
// before the recursive parsers see it, so that a damaged file cannot exhaust the stack.
constexpr std::size_t kMaxDepth = 1000;

void check_depth(std::string_view text) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) throw FormatError("malformed JSON: nested deeper than 1000 levels");
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

} // namespace

std::string typestr_of_dtype_name(const std::string& name) {
    for (const auto& d : kDtypeNames)
        if (name == d.name) return d.typestr;
    throw FormatError("arrays of dtype '" + name.substr(0, 40) + "' are not read");
}

NdArray numpy_array(const Value& v, DType dtype) {
    if (v.is_array()) return converted(v.as_array(), dtype);
    std::vector<std::int64_t> shape;
    List leaves;
    if (!collect(v, 0, shape, leaves)) throw FormatError("a nested list is not rectangular");
    for (const auto& x : leaves)
        if (x.kind() == Value::Kind::List || x.kind() == Value::Kind::Map ||
            x.kind() == Value::Kind::String || x.is_array())
            throw FormatError("a " + x.type_name() + " where numbers are expected");
    NdArray out = NdArray::zeros(dtype, shape);
    fill_elements(out, leaves);
    return out;
}

Value decode_json(std::string_view text) {
    check_depth(text);
    try {
        return decode_value(python_json::loads(text), true);
    } catch (const python_json::DecodeError& e) {
        throw FormatError(std::string("malformed JSON: ") + e.what());
    } catch (const TypeError& e) {
        throw FormatError(std::string("malformed JSON: ") + e.what());
    }
}

} // namespace asebytes::traj
