#pragma once
// Value: what the object tier stores, the C++ image of a Python value as msgpack +
// msgpack-numpy encode it (docs/formats/values.md).
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "asebytes/ndarray.hpp"

namespace asebytes {

class Value;
/// A Python list/tuple.
using List = std::vector<Value>;

/// A dict key: a Python str, or Python bytes when `binary` is set (msgpack allows both; Python
/// asebytes reads both back, and encoding keeps the difference). It is a std::string, so it
/// compares (by text only) and prints like one.
struct MapKey : std::string {
    bool binary = false;
    MapKey() = default;
    MapKey(std::string text, bool is_binary = false) : std::string(std::move(text)), binary(is_binary) {}
    MapKey(const char* text) : std::string(text) {}
};
/// A Python dict, in insertion order (msgpack keeps it).
using Map = std::vector<std::pair<MapKey, Value>>;
/// Python bytes (msgpack bin).
using Binary = std::vector<std::uint8_t>;

class Value {
public:
    enum class Kind { Nil, Bool, Int, UInt, Float, String, Binary, List, Map, Array };

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool v) : v_(v) {}
    Value(int v) : v_(static_cast<std::int64_t>(v)) {}
    Value(long v) : v_(static_cast<std::int64_t>(v)) {}
    Value(long long v) : v_(static_cast<std::int64_t>(v)) {}
    Value(unsigned v) : v_(static_cast<std::int64_t>(v)) {}
    Value(unsigned long v) { set_unsigned(v); }
    Value(unsigned long long v) { set_unsigned(v); }
    Value(double v) : v_(v) {}
    Value(float v) : v_(static_cast<double>(v)) {}
    Value(const char* v) : v_(std::string(v)) {}
    Value(std::string v) : v_(std::move(v)) {}
    Value(Binary v) : v_(std::move(v)) {}
    Value(List v) : v_(std::move(v)) {}
    Value(Map v) : v_(std::move(v)) {}
    Value(NdArray v) : v_(std::move(v)) {}

    Kind kind() const { return static_cast<Kind>(v_.index()); }
    /// Python's type name of the value ("NoneType", "int", "ndarray", ...), for messages.
    std::string type_name() const;
    bool is_nil() const { return kind() == Kind::Nil; }
    bool is_array() const { return kind() == Kind::Array; }

    bool as_bool() const;
    /// An int, or an integer numpy scalar; TypeError otherwise.
    std::int64_t as_int() const;
    std::uint64_t as_uint() const;
    /// A float, an int, or a numeric numpy scalar, as double.
    double as_double() const;
    const std::string& as_string() const;
    const Binary& as_binary() const;
    const List& as_list() const;
    const Map& as_map() const;
    const NdArray& as_array() const;
    NdArray& as_array();
    /// The value of `key` in a map, or nullptr.
    const Value* find(const std::string& key) const;

    friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }
    friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

private:
    template <class T> const T& get_as(const char* wanted) const;
    void set_unsigned(unsigned long long v);

    std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string, Binary, List, Map,
                 NdArray>
        v_;
};

/// A row of the object tier: flat key -> value (docs/formats/values.md).
using Row = std::map<std::string, Value>;
/// A row of the blob tier: key bytes -> encoded value bytes.
using BlobRow = std::map<std::string, std::string>;
/// A list of flat keys.
using Keys = std::vector<std::string>;

} // namespace asebytes
