// A row -> one extended XYZ frame that ASE's reader turns back into the same values (as ASE's
// write_xyz lays it out, but with every number written to full precision: ASE's %16.8f columns
// lose digits).
#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include "asebytes/elements.hpp"
#include "extxyz_format.hpp"
#include "python_json.hpp"

namespace asebytes::extxyz {
namespace {

const std::set<std::string> kPerConfig = {"energy", "stress", "dipole", "magmom", "free_energy"};

bool is_float(DType d) { return d == DType::Float16 || d == DType::Float32 || d == DType::Float64; }
bool is_integer(DType d) {
    return d == DType::Int8 || d == DType::Int16 || d == DType::Int32 || d == DType::Int64 ||
           d == DType::UInt8 || d == DType::UInt16 || d == DType::UInt32 || d == DType::UInt64;
}

// ASE's escape(): quote a string holding spaces, quotes or brackets. Backslashes are escaped too,
// since every extxyz reader treats them as escapes.
std::string escape(const std::string& s) {
    if (s.find('\n') != std::string::npos) throw TypeError("extxyz cannot store a newline in '" + s + "'");
    if (s.find_first_of(" \t\"'{}[]\\=") == std::string::npos && !s.empty()) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out + "\"";
}

// Every element as text (T/F for bools, full precision for floats), in C order.
std::vector<std::string> element_texts(const NdArray& a) {
    std::vector<std::string> out;
    out.reserve(a.size());
    if (a.dtype() == DType::Bool) {
        for (bool b : a.to_vector<bool>())
            out.emplace_back(b ? "T" : "F");
    } else if (is_float(a.dtype())) {
        for (double d : a.to_vector<double>())
            out.push_back(python_json::float_repr(d));
    } else if (is_integer(a.dtype())) {
        for (std::int64_t i : a.to_vector<std::int64_t>())
            out.push_back(std::to_string(i));
    } else {
        throw TypeError("extxyz cannot store arrays of dtype " + a.typestr());
    }
    return out;
}

std::string joined(const NdArray& a) {
    std::string out;
    for (const auto& t : element_texts(a))
        out += (out.empty() ? "" : " ") + t;
    return out;
}

// ASE's key_val_dict_to_str for one value; nullopt for None (written as a bare key).
std::optional<std::string> comment_text(const std::string& key, const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Nil:
        return std::nullopt;
    case Value::Kind::Bool:
        return std::string(v.as_bool() ? "T" : "F");
    case Value::Kind::Int:
        return std::to_string(v.as_int());
    case Value::Kind::UInt:
        return std::to_string(v.as_uint());
    case Value::Kind::Float:
        return python_json::float_repr(v.as_double());
    case Value::Kind::String:
        return v.as_string();
    case Value::Kind::Array: {
        const NdArray& a = v.as_array();
        const bool special = key == "Lattice" || key == "virial" || key == "stress";
        if (special && a.size() == 9) { // flattened in Fortran order
            const NdArray t = NdArray::from<double>({9}, [&] {
                const auto m = a.to_vector<double>();
                return std::vector<double>{m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]};
            }());
            return joined(t);
        }
        if (a.ndim() <= 1) return joined(a);
        return "_JSON " + to_json(v);
    }
    default:
        return "_JSON " + to_json(v);
    }
}

void append_item(std::string& comment, const std::string& key, const Value& v) {
    const auto text = comment_text(key, v);
    comment += " " + escape(key);
    if (text) comment += "=" + escape(*text);
}

struct Column {
    std::string name;
    char type;
    std::size_t width;
    std::vector<std::string> texts; // atoms x width
};

Column column_of(const std::string& name, const Value& v, std::size_t natoms, const std::string& key) {
    Column c{name, 'S', 1, {}};
    if (v.kind() == Value::Kind::List) {
        if (v.as_list().size() != natoms)
            throw TypeError(key + " has " + std::to_string(v.as_list().size()) + " entries for " +
                            std::to_string(natoms) + " atoms");
        for (const auto& s : v.as_list()) {
            if (s.kind() != Value::Kind::String || s.as_string().empty() ||
                s.as_string().find_first_of(" \t\n") != std::string::npos)
                throw TypeError(key + ": extxyz string columns need words without spaces");
            c.texts.push_back(s.as_string());
        }
        return c;
    }
    if (!v.is_array()) throw TypeError(key + " is a " + v.type_name() + ", not a per-atom array");
    const NdArray& a = v.as_array();
    if (a.ndim() < 1 || a.ndim() > 2 || a.shape()[0] != static_cast<std::int64_t>(natoms))
        throw TypeError(key + " is not a per-atom array of shape (" + std::to_string(natoms) + ",) or (" +
                        std::to_string(natoms) + ", k)");
    c.type = a.dtype() == DType::Bool ? 'L' : is_float(a.dtype()) ? 'R' : is_integer(a.dtype()) ? 'I' : '?';
    if (c.type == '?') throw TypeError(key + " has dtype " + a.typestr() + ", which extxyz cannot store");
    c.width = a.ndim() == 2 ? static_cast<std::size_t>(a.shape()[1]) : 1;
    c.texts = element_texts(a);
    return c;
}

bool is_per_atom(const Value& v, std::size_t natoms) {
    return v.is_array() && v.as_array().ndim() >= 1 && v.as_array().ndim() <= 2 &&
           v.as_array().shape()[0] == static_cast<std::int64_t>(natoms);
}

// ASE's PROPERTY_NAME_MAP for the columns it renames.
std::string file_column_name(const std::string& array_name) {
    return array_name == "charges" ? "charge" : array_name;
}

std::string file_result_name(const std::string& name, const ResultNames& names) {
    if (name == "energy") return names.energy;
    if (name == "forces") return names.forces;
    if (name == "stress") return names.stress;
    return name;
}

// Voigt xx yy zz yz xz xy -> the symmetric 3x3 matrix, row-major.
Value stress_matrix(const Value& v) {
    if (!v.is_array() || v.as_array().size() != 6) return v;
    const auto s = v.as_array().to_vector<double>();
    return NdArray::from<double>({3, 3},
                                 std::vector<double>{s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2]});
}

// ASE keeps FixAtoms as a move_mask column (T: the atom moves); nullopt for other constraints.
std::optional<Column> move_mask_of(const Value* constraints, std::size_t natoms) {
    if (!constraints || constraints->kind() != Value::Kind::List || constraints->as_list().size() != 1)
        return std::nullopt;
    const Value& c = constraints->as_list()[0];
    const Value* name = c.kind() == Value::Kind::Map ? c.find("name") : nullptr;
    const Value* kwargs = c.kind() == Value::Kind::Map ? c.find("kwargs") : nullptr;
    const Value* indices = kwargs && kwargs->kind() == Value::Kind::Map ? kwargs->find("indices") : nullptr;
    if (!name || name->kind() != Value::Kind::String || name->as_string() != "FixAtoms" || !indices ||
        indices->kind() != Value::Kind::List)
        return std::nullopt;
    Column mask{"move_mask", 'L', 1, std::vector<std::string>(natoms, "T")};
    for (const auto& i : indices->as_list()) {
        const auto k = i.as_int();
        if (k < 0 || static_cast<std::size_t>(k) >= natoms) throw TypeError("FixAtoms index out of range");
        mask.texts[static_cast<std::size_t>(k)] = "F";
    }
    return mask;
}

} // namespace

std::string write_frame(const Row& row, const ResultNames& names) {
    auto find = [&row](const std::string& key) -> const Value* {
        auto it = row.find(key);
        return it == row.end() ? nullptr : &it->second;
    };
    const Value* numbers_value = find("arrays.numbers");
    if (!numbers_value || !numbers_value->is_array())
        throw TypeError("extxyz needs arrays.numbers in every row");
    const auto numbers = numbers_value->as_array().to_vector<std::int64_t>();
    const std::size_t natoms = numbers.size();

    std::vector<Column> columns;
    Column species{"species", 'S', 1, {}};
    for (auto z : numbers)
        species.texts.emplace_back(element_symbol(static_cast<int>(z)));
    columns.push_back(std::move(species));
    const Value* positions = find("arrays.positions");
    columns.push_back(
        column_of("pos",
                  positions ? *positions
                            : Value(NdArray::zeros(DType::Float64, {static_cast<std::int64_t>(natoms), 3})),
                  natoms, "arrays.positions"));

    // Results of the calculator win over arrays/info of the same name (ASE's reader copies them).
    std::vector<std::pair<std::string, const Value*>> frame_results;
    std::set<std::string> per_atom_results;
    for (const auto& [key, v] : row) {
        if (key.compare(0, 5, "calc.") != 0) continue;
        const std::string name = key.substr(5);
        if (!kPerConfig.count(name) && is_per_atom(v, natoms)) {
            columns.push_back(column_of(file_result_name(name, names), v, natoms, key));
            per_atom_results.insert(name);
        } else {
            frame_results.emplace_back(name, &v);
        }
    }
    for (const auto& [key, v] : row) {
        if (key.compare(0, 7, "arrays.") != 0) continue;
        const std::string name = key.substr(7);
        if (name == "numbers" || name == "positions" || per_atom_results.count(name)) continue;
        columns.insert(columns.end() - static_cast<std::ptrdiff_t>(per_atom_results.size()),
                       column_of(file_column_name(name), v, natoms, key));
    }

    if (auto mask = move_mask_of(find("constraints"), natoms)) columns.push_back(std::move(*mask));

    std::string comment;
    std::vector<double> cell(9, 0.0);
    if (const Value* c = find("cell")) cell = c->as_array().to_vector<double>();
    if (std::any_of(cell.begin(), cell.end(), [](double x) { return x != 0.0; })) {
        std::string lattice;
        for (std::size_t i = 0; i < 9; ++i)
            lattice += (i ? " " : "") + python_json::float_repr(cell[i]);
        comment += "Lattice=\"" + lattice + "\" ";
    }
    comment += "Properties=";
    for (std::size_t i = 0; i < columns.size(); ++i)
        comment +=
            (i ? ":" : "") + columns[i].name + ":" + columns[i].type + ":" + std::to_string(columns[i].width);

    std::set<std::string> results_written;
    for (const auto& fr : frame_results)
        results_written.insert(fr.first);
    for (const auto& [key, v] : row) {
        if (key.compare(0, 5, "info.") != 0) continue;
        const std::string name = key.substr(5);
        if (name == "pbc" || name == "Lattice" || name == "Properties" || results_written.count(name))
            continue;
        append_item(comment, name, v);
    }
    for (const auto& [name, v] : frame_results) {
        const std::string file_name = file_result_name(name, names);
        if (name == "stress") {
            const Value matrix = stress_matrix(*v);
            if (file_name == "stress")
                append_item(comment, file_name, matrix);
            else
                append_item(comment, file_name,
                            NdArray::from<double>({9}, matrix.as_array().to_vector<double>()));
        } else {
            append_item(comment, file_name, *v);
        }
    }
    std::vector<bool> pbc(3, false);
    if (const Value* p = find("pbc")) pbc = p->as_array().to_vector<bool>();
    comment += std::string(" pbc=\"") + (pbc.at(0) ? "T" : "F") + " " + (pbc.at(1) ? "T" : "F") + " " +
               (pbc.at(2) ? "T" : "F") + "\"";

    std::string out = std::to_string(natoms) + "\n" + comment + "\n";
    for (std::size_t atom = 0; atom < natoms; ++atom) {
        bool first = true;
        for (const auto& c : columns)
            for (std::size_t j = 0; j < c.width; ++j) {
                out += first ? "" : " ";
                out += c.texts[atom * c.width + j];
                first = false;
            }
        out += "\n";
    }
    return out;
}

} // namespace asebytes::extxyz
