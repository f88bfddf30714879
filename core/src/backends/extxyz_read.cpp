// One extended XYZ frame -> a row, as ASE 3.22's _read_xyz_frame builds the Atoms and asebytes'
// atoms_to_dict flattens them: info keys in info.*, per-config results (energy, stress, ...) also
// in calc.*, per-atom columns in arrays.* and per-atom results (forces, ...) also in calc.*.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <optional>

#include "asebytes/elements.hpp"
#include "extxyz_format.hpp"

namespace asebytes::extxyz {
namespace {

const char* const kPerConfig[] = {"energy", "stress", "dipole", "magmom", "free_energy"};
const char* const kPerAtom[] = {"forces", "stresses", "charges", "magmoms", "energies"};

bool contains(const char* const* begin, const char* const* end, const std::string& name) {
    return std::find_if(begin, end, [&](const char* n) { return name == n; }) != end;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// The lines of a frame's text, one at a time.
class LineCursor {
public:
    explicit LineCursor(std::string_view text) : rest_(text) {}
    bool next(std::string_view& line) {
        if (rest_.empty()) return false;
        const auto nl = rest_.find('\n');
        line = rest_.substr(0, nl);
        rest_ = nl == std::string_view::npos ? std::string_view() : rest_.substr(nl + 1);
        ++number_;
        return true;
    }
    std::size_t number() const { return number_; } // lines consumed so far
    std::size_t bytes_left() const { return rest_.size(); }

private:
    std::string_view rest_;
    std::size_t number_ = 0;
};

struct Column {
    std::string name; // as in the file
    char type = 'R';  // R, I, S, L
    std::size_t width = 1;
    std::vector<std::string_view> tokens; // atoms x width, row-major
};

std::vector<Column> parse_properties(const Value& properties) {
    if (properties.kind() != Value::Kind::String)
        throw FormatError(1, "Properties must be a string like species:S:1:pos:R:3");
    const std::string& text = properties.as_string();
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t colon; (colon = text.find(':', start)) != std::string::npos; start = colon + 1)
        fields.push_back(text.substr(start, colon - start));
    fields.push_back(text.substr(start));
    if (fields.size() % 3 != 0)
        throw FormatError(1, "Properties '" + text + "' is not name:type:columns triples");
    std::vector<Column> columns;
    for (std::size_t i = 0; i < fields.size(); i += 3) {
        Column c;
        c.name = fields[i];
        const std::string& type = fields[i + 1];
        if (type.size() != 1 || std::string("RISL").find(type[0]) == std::string::npos)
            throw FormatError(1, "unknown property type '" + type + "' of '" + c.name + "' (R, I, S or L)");
        c.type = type[0];
        const auto [end, ec] =
            std::from_chars(fields[i + 2].data(), fields[i + 2].data() + fields[i + 2].size(), c.width);
        if (ec != std::errc() || end != fields[i + 2].data() + fields[i + 2].size() || c.width == 0)
            throw FormatError(1, "bad column count '" + fields[i + 2] + "' of property '" + c.name + "'");
        columns.push_back(std::move(c));
    }
    return columns;
}

std::size_t parse_count(std::string_view line) {
    const std::string_view t = trim(line);
    std::size_t n = 0;
    const char* begin = t.data() + (!t.empty() && t.front() == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, t.data() + t.size(), n);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size())
        throw FormatError(0, "expected the number of atoms, found '" + std::string(t.substr(0, 40)) + "'");
    return n;
}

// Splits every atom line into its columns' tokens.
void read_atom_lines(LineCursor& lines, std::size_t natoms, std::vector<Column>& columns) {
    // Counts come from the file: a value needs at least two bytes (itself and a separator), so more
    // than that many is a truncated or damaged frame, not a reason to allocate.
    const std::size_t most_values = lines.bytes_left() / 2 + 1;
    std::size_t width = 0;
    for (const auto& c : columns) {
        if (natoms > 0 && c.width > most_values - width) // a frame without atoms reads no values
            throw FormatError(lines.number(), "Properties declares " + std::to_string(c.width) +
                                                  " columns for '" + c.name +
                                                  "', more than the file has values");
        width += c.width;
    }
    if (width > 0 && natoms <= most_values / width)
        for (auto& c : columns)
            c.tokens.reserve(natoms * c.width);
    std::vector<std::string_view> tokens;
    for (std::size_t atom = 0; atom < natoms; ++atom) {
        std::string_view line;
        if (!lines.next(line))
            throw FormatError(lines.number(), "truncated frame: " + std::to_string(natoms) +
                                                  " atoms declared, the file ends after " +
                                                  std::to_string(atom));
        tokens.clear();
        for (std::size_t i = 0; i < line.size();) {
            while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
                ++i;
            const std::size_t start = i;
            while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
                ++i;
            if (i > start) tokens.push_back(line.substr(start, i - start));
        }
        // ASE ignores extra values on an atom line; too few is an error.
        if (tokens.size() < width)
            throw FormatError(lines.number() - 1, "atom line has " + std::to_string(tokens.size()) +
                                                      " values, Properties needs " + std::to_string(width));
        std::size_t k = 0;
        for (auto& c : columns)
            for (std::size_t j = 0; j < c.width; ++j)
                c.tokens.push_back(tokens[k++]);
    }
}

double to_double(std::string_view token, std::size_t line, const std::string& name) {
    const std::string s(token);
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || s.find_first_of("xXpP(") != std::string::npos)
        throw FormatError(line, "'" + s + "' in column '" + name + "' is not a number");
    return d;
}

std::int64_t to_int(std::string_view token, std::size_t line, const std::string& name) {
    std::int64_t v = 0;
    const char* begin = token.data() + (!token.empty() && token.front() == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, token.data() + token.size(), v);
    if (token.empty() || ec != std::errc() || end != token.data() + token.size())
        throw FormatError(line, "'" + std::string(token) + "' in column '" + name + "' is not an integer");
    return v;
}

bool to_bool(std::string_view token, std::size_t line, const std::string& name) {
    if (token == "T" || token == "True") return true;
    if (token == "F" || token == "False") return false;
    throw FormatError(line, "'" + std::string(token) + "' in column '" + name + "' is not T or F");
}

std::vector<std::int64_t> shape_of(const Column& c, std::size_t natoms) {
    if (c.width == 1) return {static_cast<std::int64_t>(natoms)};
    return {static_cast<std::int64_t>(natoms), static_cast<std::int64_t>(c.width)};
}

// The column as numpy would hold it: R float64, I int32 (numpy's 'i'), L bool. String columns
// other than species become a list of str: numpy keeps them as object arrays, which asebytes
// could only pickle.
Value column_value(const Column& c, std::size_t natoms, std::size_t first_line) {
    auto line_of = [&](std::size_t k) { return first_line + k / std::max<std::size_t>(c.width, 1); };
    const std::size_t n = c.tokens.size();
    if (c.type == 'R') {
        std::vector<double> v(n);
        for (std::size_t k = 0; k < n; ++k)
            v[k] = to_double(c.tokens[k], line_of(k), c.name);
        return NdArray::from<double>(shape_of(c, natoms), v);
    }
    if (c.type == 'I') {
        std::vector<std::int32_t> v(n);
        for (std::size_t k = 0; k < n; ++k)
            v[k] = static_cast<std::int32_t>(to_int(c.tokens[k], line_of(k), c.name));
        return NdArray::from<std::int32_t>(shape_of(c, natoms), v);
    }
    if (c.type == 'L') {
        std::vector<bool> v(n);
        for (std::size_t k = 0; k < n; ++k)
            v[k] = to_bool(c.tokens[k], line_of(k), c.name);
        return NdArray::from<bool>(shape_of(c, natoms), v);
    }
    List list;
    for (const auto& t : c.tokens)
        list.emplace_back(std::string(t));
    return list;
}

std::vector<std::int64_t> numbers_of_symbols(const Column& c, std::size_t first_line) {
    std::vector<std::int64_t> numbers;
    for (std::size_t k = 0; k < c.tokens.size(); ++k) {
        std::string s(c.tokens[k]); // ASE capitalises: "CU" and "cu" are Cu
        for (std::size_t i = 0; i < s.size(); ++i)
            s[i] = static_cast<char>(i == 0 ? std::toupper(static_cast<unsigned char>(s[i]))
                                            : std::tolower(static_cast<unsigned char>(s[i])));
        const int z = atomic_number(s);
        if (z == 0 && s != "X") throw FormatError(first_line + k, "unknown chemical symbol '" + s + "'");
        numbers.push_back(z);
    }
    return numbers;
}

Value voigt_of(const Value& stress) {
    if (!stress.is_array()) return stress;
    const auto s = stress.as_array().to_vector<double>();
    if (s.size() == 6) return NdArray::from<double>(s);
    if (s.size() != 9) return stress;
    // A (3,3) array is row-major; a 9-vector is Fortran order. Both are symmetric in practice,
    // and these picks are the same for either.
    return NdArray::from<double>(std::vector<double>{s[0], s[4], s[8], s[5], s[2], s[1]});
}

Value as_float_array(const Value& v) {
    if (!v.is_array()) return v;
    return NdArray::from<double>(v.as_array().shape(), v.as_array().to_vector<double>());
}

// ASE's name for a result the file holds under a renamed key (REF_energy -> energy).
std::string result_name(const std::string& file_key, const ResultNames& names, const char* const* begin,
                        const char* const* end) {
    if (file_key == names.energy) return "energy";
    if (file_key == names.stress) return "stress";
    if (file_key == names.forces) return "forces";
    const bool renamed = file_key == "energy" || file_key == "stress" || file_key == "forces";
    if (!renamed && contains(begin, end, file_key)) return file_key;
    return {};
}

void add_info_and_results(const KeyValues& info, const ResultNames& names, Row& row) {
    for (const auto& [key, value] : info) {
        row["info." + key] = value;
        const std::string result = result_name(key, names, std::begin(kPerConfig), std::end(kPerConfig));
        if (result.empty()) continue;
        if (result == "stress")
            row["calc.stress"] = voigt_of(value);
        else if (result == "dipole")
            row["calc.dipole"] = as_float_array(value);
        else
            row["calc." + result] = value;
    }
}

// File names of the positions, numbers, charges and symbols columns (ASE's PROPERTY_NAME_MAP).
std::string ase_array_name(const std::string& file_name) {
    if (file_name == "pos") return "positions";
    if (file_name == "Z") return "numbers";
    if (file_name == "charge") return "charges";
    if (file_name == "species") return "symbols";
    return file_name;
}

void add_columns(std::vector<Column>& columns, std::size_t natoms, const ResultNames& names, Row& row) {
    constexpr std::size_t kFirstAtomLine = 2;
    std::optional<std::vector<std::int64_t>> numbers, z_column;
    for (auto& c : columns) {
        const std::string name = ase_array_name(c.name);
        if (name == "symbols") {
            numbers = numbers_of_symbols(c, kFirstAtomLine);
            continue;
        }
        Value v = column_value(c, natoms, kFirstAtomLine);
        if (name == "numbers") {
            z_column = v.is_array() ? v.as_array().to_vector<std::int64_t>() : std::vector<std::int64_t>{};
        } else if (name == "charges") {
            row["arrays.initial_charges"] = as_float_array(v); // Atoms(charges=...)
        } else if (name == "positions") {
            row["arrays.positions"] = as_float_array(v);
        } else {
            const std::string result = result_name(name, names, std::begin(kPerAtom), std::end(kPerAtom));
            if (!result.empty() && v.is_array()) row["calc." + result] = as_float_array(v);
            row["arrays." + name] = std::move(v);
        }
    }
    // A Z column wins over the symbols, as ASE sets it last.
    const auto final_numbers = z_column ? *z_column : numbers.value_or(std::vector<std::int64_t>(natoms, 0));
    row["arrays.numbers"] = NdArray::from<std::int64_t>(final_numbers);
    if (!row.count("arrays.positions"))
        row["arrays.positions"] = NdArray::zeros(DType::Float64, {static_cast<std::int64_t>(natoms), 3});
}

// move_mask (1 column) is ASE's FixAtoms: fixed where the mask is false.
void add_move_mask(Row& row) {
    auto it = row.find("arrays.move_mask");
    if (it == row.end() || !it->second.is_array() || it->second.as_array().ndim() != 1) return;
    List indices;
    const auto mask = it->second.as_array().to_vector<bool>();
    for (std::size_t i = 0; i < mask.size(); ++i)
        if (!mask[i]) indices.emplace_back(static_cast<std::int64_t>(i));
    row.erase(it);
    row["constraints"] =
        List{Value(Map{{"name", Value("FixAtoms")}, {"kwargs", Value(Map{{"indices", Value(indices)}})}})};
}

std::array<bool, 3> pbc_of(const Value& v) {
    if (v.kind() == Value::Kind::Bool) return {v.as_bool(), v.as_bool(), v.as_bool()};
    if (v.kind() == Value::Kind::List && v.as_list().size() == 3) {
        std::array<bool, 3> out{};
        for (std::size_t i = 0; i < 3; ++i) {
            if (v.as_list()[i].kind() != Value::Kind::Bool) break;
            out[i] = v.as_list()[i].as_bool();
            if (i == 2) return out;
        }
    }
    throw FormatError(1, "pbc must be one or three of T/F");
}

} // namespace

Row read_frame(std::string_view text, Need need, const ResultNames& names) {
    LineCursor lines(text);
    std::string_view line;
    if (!lines.next(line)) throw FormatError(0, "expected the number of atoms, found the end of the file");
    const std::size_t natoms = parse_count(line);
    if (!lines.next(line)) throw FormatError(1, "truncated frame: the comment line is missing");
    KeyValues info;
    try {
        info = parse_comment(trim(line));
    } catch (const FormatError& e) {
        throw FormatError(1, e.what());
    }
    auto take = [&info](const char* key) -> std::optional<Value> {
        auto it = std::find_if(info.begin(), info.end(), [&](const auto& kv) { return kv.first == key; });
        if (it == info.end()) return std::nullopt;
        Value v = std::move(it->second);
        info.erase(it);
        return v;
    };
    Row row;
    const auto pbc_value = take("pbc");
    const auto lattice = take("Lattice");
    std::array<bool, 3> pbc{};
    if (pbc_value)
        pbc = pbc_of(*pbc_value);
    else if (lattice)
        pbc = {true, true, true}; // ASE's default for a file with a Lattice
    row["pbc"] = NdArray::from<bool>(std::vector<bool>(pbc.begin(), pbc.end()));
    // ASE's cell is the transpose of the Fortran-ordered Lattice: the nine numbers row by row.
    std::vector<double> cell(9, 0.0);
    if (lattice) {
        const auto l = lattice->as_array().to_vector<double>();
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t j = 0; j < 3; ++j)
                cell[3 * i + j] = l[3 * j + i];
    }
    row["cell"] = NdArray::from<double>({3, 3}, cell);
    const Value properties = take("Properties").value_or(Value("species:S:1:pos:R:3"));
    add_info_and_results(info, names, row);
    if (need == Need::CommentOnly) return row;

    auto columns = parse_properties(properties);
    read_atom_lines(lines, natoms, columns);
    add_columns(columns, natoms, names, row);
    add_move_mask(row);
    return row;
}

} // namespace asebytes::extxyz
