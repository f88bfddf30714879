#include "frame_stats.hpp"

#include <algorithm>
#include <cmath>

namespace asebytes::cli {

void Spread::add(double x) {
    min = count ? std::min(min, x) : x;
    max = count ? std::max(max, x) : x;
    sum += x;
    ++count;
}

namespace {
std::optional<double> number_of(const Value& v) {
    if (v.kind() == Value::Kind::Float || v.kind() == Value::Kind::Int || v.kind() == Value::Kind::UInt)
        return v.as_double();
    if (v.is_array() && v.as_array().size() == 1) return v.as_array().to_vector<double>()[0];
    return std::nullopt;
}
} // namespace

void FrameStats::add(const Row& row) {
    std::optional<std::size_t> atoms;
    if (auto it = row.find("arrays.numbers"); it != row.end() && it->second.is_array()) {
        const auto numbers = it->second.as_array().to_vector<std::int64_t>();
        for (auto z : numbers)
            ++species[static_cast<int>(z)];
        atoms = numbers.size();
        natoms.add(static_cast<double>(*atoms));
    }
    if (auto it = row.find("calc.energy"); it != row.end()) {
        if (const auto e = number_of(it->second)) {
            energy.add(*e);
            if (atoms && *atoms > 0) energy_per_atom.add(*e / static_cast<double>(*atoms));
        }
    }
    if (auto it = row.find("calc.forces"); it != row.end() && it->second.is_array()) {
        const auto f = it->second.as_array().to_vector<double>();
        double largest = 0;
        for (std::size_t i = 0; i + 2 < f.size(); i += 3)
            largest = std::max(largest, std::sqrt(f[i] * f[i] + f[i + 1] * f[i + 1] + f[i + 2] * f[i + 2]));
        max_force.add(largest);
    }
}

} // namespace asebytes::cli
