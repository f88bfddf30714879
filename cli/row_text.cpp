#include "row_text.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include <fmt/core.h>

#include "asebytes/elements.hpp"
#include "asebytes/ndarray.hpp"

namespace asebytes::cli {

namespace {

constexpr std::size_t kInlineElements = 12; // bigger arrays are summarised or tabulated

std::string number_text(double x) { return fmt::format("{:.10g}", x); }

std::string element_text(const NdArray& a, const std::vector<double>& d, const std::vector<std::int64_t>& i,
                         std::size_t k) {
    switch (a.dtype()) {
    case DType::Bool:
        return i[k] ? "True" : "False";
    case DType::Float16:
    case DType::Float32:
    case DType::Float64:
        return number_text(d[k]);
    default:
        return std::to_string(i[k]);
    }
}

std::string nested(const NdArray& a, const std::vector<double>& d, const std::vector<std::int64_t>& i,
                   std::size_t dim, std::size_t& flat) {
    if (dim == a.ndim()) return element_text(a, d, i, flat++);
    std::string out = "[";
    for (std::int64_t k = 0; k < a.shape()[dim]; ++k)
        out += (k ? ", " : "") + nested(a, d, i, dim + 1, flat);
    return out + "]";
}

std::string shape_of(const NdArray& a) {
    std::string out = "(";
    for (std::size_t d = 0; d < a.ndim(); ++d)
        out += (d ? ", " : "") + std::to_string(a.shape()[d]);
    return out + (a.ndim() == 1 ? ",)" : ")");
}

bool numeric(const NdArray& a) {
    return a.dtype() != DType::Other && a.dtype() != DType::Complex64 && a.dtype() != DType::Complex128;
}

std::string array_text(const NdArray& a) {
    if (!numeric(a) || a.size() > kInlineElements)
        return fmt::format("array of shape {}, {}", shape_of(a), dtype_name(a.typestr()));
    const auto d = a.to_vector<double>();
    const auto i = a.dtype() == DType::Bool || !(a.dtype() == DType::Float16 || a.dtype() == DType::Float32 ||
                                                 a.dtype() == DType::Float64)
                       ? a.to_vector<std::int64_t>()
                       : std::vector<std::int64_t>(a.size());
    std::size_t flat = 0;
    return nested(a, d, i, 0, flat);
}

// Columns of the atom table: arrays.* and calc.* with one entry (or row) per atom.
struct AtomColumn {
    std::string key;
    std::size_t width;
    std::vector<std::string> cells;
};

std::vector<AtomColumn> atom_columns(const Row& row, std::size_t natoms) {
    std::vector<AtomColumn> out;
    for (const auto& [key, v] : row) {
        if (key == "arrays.numbers" || !v.is_array()) continue;
        if (key.rfind("arrays.", 0) != 0 && key.rfind("calc.", 0) != 0) continue;
        const NdArray& a = v.as_array();
        if (a.ndim() < 1 || a.ndim() > 2 || a.shape()[0] != static_cast<std::int64_t>(natoms) || !numeric(a))
            continue;
        AtomColumn c{key, a.ndim() == 2 ? static_cast<std::size_t>(a.shape()[1]) : 1, {}};
        const bool real =
            a.dtype() == DType::Float16 || a.dtype() == DType::Float32 || a.dtype() == DType::Float64;
        if (real)
            for (double x : a.to_vector<double>())
                c.cells.push_back(fmt::format("{:.6f}", x));
        else
            for (auto x : a.to_vector<std::int64_t>())
                c.cells.push_back(std::to_string(x));
        out.push_back(std::move(c));
    }
    return out;
}

std::string atom_table(const Row& row, const std::vector<std::int64_t>& numbers) {
    const auto columns = atom_columns(row, numbers.size());
    std::string out = fmt::format("  {:>5} {:<3}", "atom", "");
    std::vector<std::size_t> widths;
    for (const auto& c : columns) {
        std::size_t w = 0;
        for (const auto& cell : c.cells)
            w = std::max(w, cell.size());
        widths.push_back(w);
        const std::size_t span = c.width * (w + 1) - 1;
        out += fmt::format(" | {:<{}}", c.key, span);
    }
    out += "\n";
    for (std::size_t atom = 0; atom < numbers.size(); ++atom) {
        out += fmt::format("  {:>5} {:<3}", atom, element_symbol(static_cast<int>(numbers[atom])));
        for (std::size_t k = 0; k < columns.size(); ++k) {
            out += " |";
            for (std::size_t j = 0; j < columns[k].width; ++j)
                out += fmt::format(" {:>{}}", columns[k].cells[atom * columns[k].width + j], widths[k]);
        }
        out += "\n";
    }
    return out;
}

} // namespace

std::string value_text(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Nil:
        return "None";
    case Value::Kind::Bool:
        return v.as_bool() ? "True" : "False";
    case Value::Kind::Int:
        return std::to_string(v.as_int());
    case Value::Kind::UInt:
        return std::to_string(v.as_uint());
    case Value::Kind::Float:
        return number_text(v.as_double());
    case Value::Kind::String:
        return "'" + v.as_string() + "'";
    case Value::Kind::Binary:
        return fmt::format("<{} bytes>", v.as_binary().size());
    case Value::Kind::List: {
        std::string out = "[";
        for (std::size_t i = 0; i < v.as_list().size(); ++i)
            out += (i ? ", " : "") + value_text(v.as_list()[i]);
        return out + "]";
    }
    case Value::Kind::Map: {
        std::string out = "{";
        bool first = true;
        for (const auto& [k, x] : v.as_map()) {
            out += (first ? "'" : ", '") + k + "': " + value_text(x);
            first = false;
        }
        return out + "}";
    }
    case Value::Kind::Array:
        return array_text(v.as_array());
    }
    return "?";
}

std::string formula_of(const Row& row) {
    auto it = row.find("arrays.numbers");
    if (it == row.end() || !it->second.is_array()) return "";
    return hill_formula(it->second.as_array().to_vector<std::int64_t>());
}

std::string row_text(const Row& row) {
    std::vector<std::int64_t> numbers;
    if (auto it = row.find("arrays.numbers"); it != row.end() && it->second.is_array())
        numbers = it->second.as_array().to_vector<std::int64_t>();
    std::string out;
    if (!numbers.empty()) out += fmt::format("  {} atoms, {}\n", numbers.size(), formula_of(row));
    const auto table_keys = atom_columns(row, numbers.size());
    for (const auto& [key, v] : row) {
        const bool in_table =
            !numbers.empty() && std::any_of(table_keys.begin(), table_keys.end(),
                                            [&key = key](const AtomColumn& c) { return c.key == key; });
        if (in_table || (key == "arrays.numbers" && !numbers.empty())) continue;
        out += fmt::format("  {} = {}\n", key, value_text(v));
    }
    if (!numbers.empty()) out += atom_table(row, numbers);
    return out;
}

} // namespace asebytes::cli
