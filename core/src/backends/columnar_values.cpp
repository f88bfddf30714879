#include "columnar_values.hpp"

#include <cmath>
#include <cstring>
#include <limits>

#include "python_json.hpp"

namespace asebytes::columnar {
Value from_json(const std::string& text) {
    try {
        return python_json::loads(text);
    } catch (const python_json::DecodeError&) {
        return Value(text);
    }
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
