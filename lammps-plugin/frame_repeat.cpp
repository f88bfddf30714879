#include "frame_repeat.hpp"

#include <iterator>

#include <cmath>
#include <vector>

namespace asebytes::lammps {
namespace {

const char* const kKeys[] = {"info.step", "arrays.numbers", "arrays.positions", "cell", "pbc"};

const Value* find(const Row& row, const char* key) {
    auto it = row.find(key);
    return it == row.end() ? nullptr : &it->second;
}

std::vector<double> doubles(const Value& v) { return v.as_array().to_vector<double>(); }

bool same_cell(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != 9 || b.size() != 9) return false;
    double scale = 0;
    for (double x : a)
        scale = std::max(scale, std::abs(x));
    for (std::size_t i = 0; i < 9; ++i)
        if (std::abs(a[i] - b[i]) > 1e-10 * std::max(scale, 1.0)) return false;
    return true;
}

// Fractional coordinates of d in the rows a, b, c of a LAMMPS cell (a = (lx,0,0), b = (xy,ly,0),
// c = (xz,yz,lz): lower triangular, as the fix stores it).
void fractional(const std::vector<double>& cell, const double d[3], double s[3]) {
    s[2] = cell[8] != 0 ? d[2] / cell[8] : 0;
    s[1] = cell[4] != 0 ? (d[1] - s[2] * cell[7]) / cell[4] : 0;
    s[0] = cell[0] != 0 ? (d[0] - s[1] * cell[3] - s[2] * cell[6]) / cell[0] : 0;
}

} // namespace

Keys configuration_keys() { return Keys(std::begin(kKeys), std::end(kKeys)); }

Row configuration_of(const Row& frame) {
    Row kept;
    for (const char* key : kKeys)
        if (const Value* v = find(frame, key)) kept.emplace(key, *v);
    return kept;
}

bool same_configuration(const Row& last, const Row& frame) {
    for (const char* key : kKeys)
        if (!find(last, key) || !find(frame, key)) return false;
    if (*find(last, "info.step") != *find(frame, "info.step")) return false;
    if (*find(last, "arrays.numbers") != *find(frame, "arrays.numbers")) return false;
    if (*find(last, "pbc") != *find(frame, "pbc")) return false;
    const auto cell = doubles(*find(frame, "cell"));
    if (!same_cell(doubles(*find(last, "cell")), cell)) return false;
    const auto pbc = find(frame, "pbc")->as_array().to_vector<int>();
    const auto a = doubles(*find(last, "arrays.positions")), b = doubles(*find(frame, "arrays.positions"));
    if (a.size() != b.size() || pbc.size() != 3) return false;
    for (std::size_t i = 0; i + 2 < a.size(); i += 3) {
        double d[3] = {b[i] - a[i], b[i + 1] - a[i + 1], b[i + 2] - a[i + 2]}, s[3];
        fractional(cell, d, s);
        for (int k = 0; k < 3; ++k)
            if (pbc[k]) s[k] -= std::round(s[k]);
        // back to a distance: |s . cell|
        const double r[3] = {s[0] * cell[0] + s[1] * cell[3] + s[2] * cell[6],
                             s[1] * cell[4] + s[2] * cell[7], s[2] * cell[8]};
        if (std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]) > 1e-8) return false;
    }
    return true;
}

} // namespace asebytes::lammps
