#include "asebytes/value.hpp"

#include <limits>

namespace asebytes {

namespace {
const char* const kTypeNames[] = {"NoneType", "bool",  "int",  "int",  "float",
                                  "str",      "bytes", "list", "dict", "ndarray"};
}

std::string Value::type_name() const {
    if (kind() == Kind::Array && as_array().is_scalar()) return "numpy scalar";
    return kTypeNames[v_.index()];
}

void Value::set_unsigned(unsigned long long v) {
    if (v <= static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max()))
        v_ = static_cast<std::int64_t>(v);
    else
        v_ = static_cast<std::uint64_t>(v);
}

template <class T> const T& Value::get_as(const char* wanted) const {
    if (const T* p = std::get_if<T>(&v_)) return *p;
    throw TypeError(std::string("value is ") + type_name() + ", not " + wanted);
}

bool Value::as_bool() const {
    if (kind() == Kind::Array && as_array().is_scalar() && as_array().dtype() == DType::Bool)
        return as_array().to_vector<bool>()[0];
    return get_as<bool>("bool");
}

std::int64_t Value::as_int() const {
    if (kind() == Kind::UInt) throw TypeError("integer value does not fit in int64");
    if (kind() == Kind::Array && as_array().is_scalar()) {
        const DType d = as_array().dtype();
        if (d != DType::Float16 && d != DType::Float32 && d != DType::Float64 && d != DType::Other &&
            d != DType::Complex64 && d != DType::Complex128)
            return as_array().to_vector<std::int64_t>()[0];
    }
    return get_as<std::int64_t>("int");
}

std::uint64_t Value::as_uint() const {
    if (kind() == Kind::UInt) return std::get<std::uint64_t>(v_);
    const std::int64_t v = as_int();
    if (v < 0) throw TypeError("negative integer where an unsigned one is needed");
    return static_cast<std::uint64_t>(v);
}

double Value::as_double() const {
    switch (kind()) {
    case Kind::Float:
        return std::get<double>(v_);
    case Kind::Int:
        return static_cast<double>(std::get<std::int64_t>(v_));
    case Kind::UInt:
        return static_cast<double>(std::get<std::uint64_t>(v_));
    case Kind::Array:
        if (as_array().is_scalar()) return as_array().to_vector<double>()[0];
        break;
    default:
        break;
    }
    throw TypeError("value is " + type_name() + ", not a number");
}

const std::string& Value::as_string() const { return get_as<std::string>("str"); }
const Binary& Value::as_binary() const { return get_as<Binary>("bytes"); }
const List& Value::as_list() const { return get_as<List>("list"); }
const Map& Value::as_map() const { return get_as<Map>("dict"); }
const NdArray& Value::as_array() const { return get_as<NdArray>("ndarray"); }
NdArray& Value::as_array() { return const_cast<NdArray&>(std::as_const(*this).as_array()); }

const Value* Value::find(const std::string& key) const {
    for (const auto& [k, v] : as_map())
        if (k == key) return &v;
    return nullptr;
}

} // namespace asebytes
