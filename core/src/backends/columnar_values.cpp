#include "columnar_values.hpp"

#include <cmath>
#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

namespace asebytes::columnar {
namespace {

using Json = nlohmann::ordered_json;

Json json_of(const Value& v, const std::string& what) {
    switch (v.kind()) {
    case Value::Kind::Nil:
        return nullptr;
    case Value::Kind::Bool:
        return v.as_bool();
    case Value::Kind::Int:
        return v.as_int();
    case Value::Kind::UInt:
        return v.as_uint();
    case Value::Kind::Float:
        return v.as_double();
    case Value::Kind::String:
        return v.as_string();
    case Value::Kind::List: {
        Json out = Json::array();
        for (const auto& item : v.as_list())
            out.push_back(json_of(item, what));
        return out;
    }
    case Value::Kind::Map: {
        Json out = Json::object();
        for (const auto& [k, item] : v.as_map()) {
            if (k.binary)
                throw TypeError(what +
                                ": a dict with bytes keys cannot be stored as JSON in a columnar store");
            out[std::string(k)] = json_of(item, what);
        }
        return out;
    }
    default:
        throw TypeError(what + ": a " + v.type_name() +
                        " inside a list or dict cannot be stored in a columnar store (JSON holds only "
                        "None, bool, int, float, str, list and dict)");
    }
}

Value value_of(const Json& j) {
    switch (j.type()) {
    case Json::value_t::null:
        return Value();
    case Json::value_t::boolean:
        return Value(j.get<bool>());
    case Json::value_t::number_integer:
        return Value(j.get<std::int64_t>());
    case Json::value_t::number_unsigned:
        return Value(j.get<std::uint64_t>());
    case Json::value_t::number_float:
        return Value(j.get<double>());
    case Json::value_t::string:
        return Value(j.get<std::string>());
    case Json::value_t::array: {
        List out;
        for (const auto& item : j)
            out.push_back(value_of(item));
        return Value(std::move(out));
    }
    case Json::value_t::object: {
        Map out;
        for (const auto& [k, item] : j.items())
            out.emplace_back(MapKey(k), value_of(item));
        return Value(std::move(out));
    }
    default:
        return Value();
    }
}

} // namespace

std::string to_json(const Value& v, const std::string& what) {
    return json_of(v, what).dump(-1, ' ', /*ensure_ascii=*/true);
}

Value from_json(const std::string& text) {
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Value(text);
    return value_of(j);
}

std::vector<std::uint8_t> fill_bytes(const std::string& dtype) {
    std::vector<std::uint8_t> out(itemsize_of(dtype), 0);
    if (dtype == "<f8") {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        std::memcpy(out.data(), &nan, sizeof nan);
    } else if (dtype == "<f4") {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        std::memcpy(out.data(), &nan, sizeof nan);
    } else if (dtype == "<f2") {
        out = {0x00, 0x7e}; // IEEE half quiet NaN
    }
    return out;
}

NdArray filled(const std::string& dtype, std::vector<std::int64_t> shape) {
    std::size_t n = 1;
    for (auto s : shape)
        n *= static_cast<std::size_t>(s);
    const auto one = fill_bytes(dtype);
    std::vector<std::uint8_t> bytes(n * one.size());
    for (std::size_t i = 0; i < n; ++i)
        std::memcpy(bytes.data() + i * one.size(), one.data(), one.size());
    return NdArray(dtype, std::move(shape), std::move(bytes));
}

bool all_nan(const std::string& dtype, const std::uint8_t* bytes, std::size_t count) {
    if (dtype == "<f8") {
        for (std::size_t i = 0; i < count; ++i) {
            double d;
            std::memcpy(&d, bytes + 8 * i, 8);
            if (!std::isnan(d)) return false;
        }
        return true;
    }
    if (dtype == "<f4") {
        for (std::size_t i = 0; i < count; ++i) {
            float f;
            std::memcpy(&f, bytes + 4 * i, 4);
            if (!std::isnan(f)) return false;
        }
        return true;
    }
    if (dtype == "<f2") {
        for (std::size_t i = 0; i < count; ++i) {
            const unsigned h = bytes[2 * i] | (bytes[2 * i + 1] << 8);
            if ((h & 0x7c00) != 0x7c00 || (h & 0x03ff) == 0) return false;
        }
        return true;
    }
    return false;
}

} // namespace asebytes::columnar
