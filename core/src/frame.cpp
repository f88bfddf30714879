#include "asebytes/frame.hpp"

#include "asebytes/row_chunks.hpp"
#include "frame_builder.hpp"

namespace asebytes {
namespace {

std::int64_t as_dim(std::size_t n) { return static_cast<std::int64_t>(n); }

// `v` as an array of shape (N,) (width 0) or (N, width); any empty array passes.
const NdArray& checked_array(const Value& v, const char* key, std::size_t width) {
    if (!v.is_array()) throw TypeError(std::string(key) + " must be an array, not " + v.type_name());
    const NdArray& a = v.as_array();
    const bool ok = width == 0 ? a.ndim() == 1 : (a.ndim() == 2 && a.shape()[1] == as_dim(width));
    if (!ok && !(a.size() == 0))
        throw TypeError(std::string(key) + " has the wrong shape for " +
                        (width == 0 ? "(N,)" : "(N," + std::to_string(width) + ")"));
    return a;
}

template <class T> std::vector<T> array_of(const Value& v, const char* key, std::size_t width) {
    return checked_array(v, key, width).to_vector<T>();
}

} // namespace

Row Frame::to_row() const {
    Row row;
    row["cell"] = NdArray::from<double>({3, 3}, std::vector<double>(cell.begin(), cell.end()));
    row["pbc"] = NdArray::from<bool>(std::vector<bool>(pbc.begin(), pbc.end()));
    row["arrays.numbers"] = NdArray::from<std::int64_t>(numbers);
    row["arrays.positions"] = NdArray::from<double>({as_dim(positions.size() / 3), 3}, positions);
    for (const auto& [k, v] : arrays)
        row["arrays." + k] = v;
    for (const auto& [k, v] : info)
        row["info." + k] = v;
    for (const auto& [k, v] : calc)
        row["calc." + k] = v;
    if (constraints) row["constraints"] = *constraints;
    for (const auto& [k, v] : other)
        row[k] = v;
    return row;
}

template <class V> void FrameBuilder::put(std::string_view key, V&& v) {
    using namespace std::string_view_literals;
    Frame& f = frame_;
    bytes_ += key.size() + value_bytes(v);
    // Keys arrive sorted, so each map grows at its end.
    auto starts = [&](std::string_view p) { return key.substr(0, p.size()) == p; };
    if (key == "arrays.numbers"sv) {
        f.numbers = array_of<std::int64_t>(v, "arrays.numbers", 0);
    } else if (key == "arrays.positions"sv) {
        f.positions = array_of<double>(v, "arrays.positions", 3);
        positions_ = true;
    } else if (key == "cell"sv) {
        const NdArray& c = checked_array(v, "cell", 3);
        if (c.size() != 9) throw TypeError("cell must have shape (3,3)");
        c.copy_to(f.cell.data());
    } else if (key == "pbc"sv) {
        if (!v.is_array() || v.as_array().size() != 3) throw TypeError("pbc must be three booleans");
        v.as_array().copy_to(f.pbc.data());
    } else if (key == "constraints"sv) {
        f.constraints = std::forward<V>(v);
    } else if (starts("arrays."sv)) {
        f.arrays.emplace_hint(f.arrays.end(), key.substr(7), std::forward<V>(v));
    } else if (starts("calc."sv)) {
        f.calc.emplace_hint(f.calc.end(), key.substr(5), std::forward<V>(v));
    } else if (starts("info."sv)) {
        f.info.emplace_hint(f.info.end(), key.substr(5), std::forward<V>(v));
    } else {
        f.other.emplace_hint(f.other.end(), key, std::forward<V>(v));
    }
}

void FrameBuilder::add(std::string_view key, const Value& value) { put(key, value); }
void FrameBuilder::add(std::string_view key, Value&& value) { put(key, std::move(value)); }

Frame FrameBuilder::finish() {
    Frame f = std::move(frame_);
    const bool positions = positions_;
    frame_ = Frame();
    positions_ = false;
    bytes_ = 0;
    if (!positions) f.positions.assign(3 * f.numbers.size(), 0.0);
    if (f.positions.size() != 3 * f.numbers.size())
        throw TypeError("arrays.positions has " + std::to_string(f.positions.size() / 3) +
                        " atoms but arrays.numbers has " + std::to_string(f.numbers.size()));
    return f;
}

Frame Frame::from_row(const Row& row) {
    FrameBuilder b;
    for (const auto& [key, value] : row)
        b.add(key, value);
    return b.finish();
}

Frame Frame::from_row(Row&& row) {
    FrameBuilder b;
    for (auto& [key, value] : row)
        b.add(key, std::move(value));
    return b.finish();
}

std::optional<double> Frame::energy() const {
    auto it = calc.find("energy");
    if (it == calc.end()) return std::nullopt;
    return it->second.as_double();
}

std::optional<std::vector<double>> Frame::forces() const {
    auto it = calc.find("forces");
    if (it == calc.end()) return std::nullopt;
    return array_of<double>(it->second, "calc.forces", 3);
}

std::optional<std::array<double, 6>> Frame::stress() const {
    auto it = calc.find("stress");
    if (it == calc.end()) return std::nullopt;
    const auto s = array_of<double>(it->second, "calc.stress", 0);
    if (s.size() != 6) throw TypeError("calc.stress must have 6 Voigt components");
    std::array<double, 6> out{};
    std::copy(s.begin(), s.end(), out.begin());
    return out;
}

void Frame::set_energy(double energy) { calc["energy"] = energy; }

void Frame::set_forces(const std::vector<double>& forces) {
    calc["forces"] = NdArray::from<double>({as_dim(forces.size() / 3), 3}, forces);
}

void Frame::set_stress(const std::array<double, 6>& voigt) {
    calc["stress"] = NdArray::from<double>(std::vector<double>(voigt.begin(), voigt.end()));
}

bool operator==(const Frame& a, const Frame& b) {
    return a.numbers == b.numbers && a.positions == b.positions && a.cell == b.cell && a.pbc == b.pbc &&
           a.arrays == b.arrays && a.calc == b.calc && a.info == b.info && a.constraints == b.constraints &&
           a.other == b.other;
}

} // namespace asebytes
