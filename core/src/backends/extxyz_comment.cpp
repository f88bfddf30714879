// The comment line of extended XYZ: key=value pairs typed as ASE's key_val_str_to_dict types them
// (ase/io/extxyz.py, ASE 3.22), and the JSON that ASE uses for values it cannot write otherwise.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "extxyz_format.hpp"

namespace asebytes::extxyz {
namespace {

// ASE reshapes these 9-vectors to 3x3 in Fortran order.
bool is_special_3x3(const std::string& key) { return key == "Lattice" || key == "virial" || key == "stress"; }

// Splits `line` into [key, value] pairs as ASE does: quotes and brackets group, backslash
// escapes, '=' separates, a key without value means "T".
std::vector<std::pair<std::string, std::string>> split_pairs(std::string_view line) {
    std::vector<std::vector<std::string>> pairs{{std::string()}};
    char closing = 0;
    bool escaped = false;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front())))
        line.remove_prefix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
        line.remove_suffix(1);
    for (char c : line) {
        if (escaped) {
            pairs.back().back().push_back(c);
            escaped = false;
        } else if (c == '\\') {
            escaped = true;
        } else if (closing) {
            if (c == closing)
                closing = 0;
            else
                pairs.back().back().push_back(c);
        } else if (c == '"' || c == '\'' || c == '{' || c == '[') {
            closing = c == '{' ? '}' : c == '[' ? ']' : c;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            const bool at_start = pairs.size() == 1 && pairs[0].size() == 1 && pairs[0][0].empty();
            if (at_start || pairs.back().back().empty()) continue;
            pairs.push_back({std::string()});
        } else if (c == '=') {
            if (pairs.back().size() == 1 && pairs.back()[0].empty()) pairs.pop_back();
            if (pairs.empty()) pairs.push_back({});
            pairs.back().emplace_back();
        } else {
            pairs.back().back().push_back(c);
        }
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : pairs) {
        if (p.empty()) continue;
        if (p.size() == 1) {
            if (!p[0].empty()) out.emplace_back(p[0], "T");
            continue;
        }
        std::string value = p[1];
        for (std::size_t i = 2; i < p.size(); ++i)
            value += "=" + p[i];
        out.emplace_back(p[0], value);
    }
    return out;
}

// Python's re.findall(r'[^\s,]+', value).
std::vector<std::string> tokens_of(const std::string& value) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : value) {
        if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

bool parse_int(const std::string& s, std::int64_t& out) {
    const char* begin = s.data();
    if (*begin == '+') ++begin;
    const auto [end, ec] = std::from_chars(begin, s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && begin != s.data() + s.size();
}

// Python's float(): decimal, exponent, inf/infinity/nan; not C's hex floats.
bool parse_float(const std::string& s, double& out) {
    if (s.empty() || s.find_first_of("xXpP") != std::string::npos || s.find('(') != std::string::npos)
        return false;
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size();
}

// int, then float, as numpy's np.array(tokens, dtype=int / float); nullopt when neither.
std::optional<Value> numeric_value(const std::vector<std::string>& tokens) {
    std::vector<std::int64_t> ints(tokens.size());
    bool all_int = true;
    for (std::size_t i = 0; i < tokens.size() && all_int; ++i)
        all_int = parse_int(tokens[i], ints[i]);
    if (all_int) {
        if (tokens.size() == 1) return Value(NdArray::scalar<std::int64_t>(ints[0]));
        return Value(NdArray::from<std::int64_t>(ints));
    }
    std::vector<double> reals(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i)
        if (!parse_float(tokens[i], reals[i])) return std::nullopt;
    if (tokens.size() == 1) return Value(reals[0]); // np.float64 is stored as a Python float
    return Value(NdArray::from<double>(reals));
}

// The 9-vector as a (3,3) array filled in Fortran order, keeping its dtype.
Value reshape_fortran_3x3(const Value& v, const std::string& key) {
    if (!v.is_array() || v.as_array().shape() != std::vector<std::int64_t>{9})
        throw FormatError(1, "'" + key + "' needs nine numbers (a 3x3 matrix)");
    const NdArray& a = v.as_array();
    const std::size_t item = a.itemsize();
    std::vector<std::uint8_t> bytes(a.nbytes());
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            std::copy_n(a.bytes() + (i + 3 * j) * item, item, bytes.data() + (3 * i + j) * item);
    return NdArray(a.typestr(), {3, 3}, std::move(bytes));
}

// Strings: T/F words become bools, "_JSON ..." becomes the decoded value.
Value string_value(const std::string& value) {
    const auto tokens = tokens_of(value);
    bool all_bool = !tokens.empty();
    for (const auto& t : tokens)
        all_bool = all_bool && (t == "T" || t == "F");
    if (all_bool) {
        if (tokens.size() == 1) return Value(tokens[0] == "T");
        List list;
        for (const auto& t : tokens)
            list.emplace_back(t == "T");
        return list;
    }
    const std::string prefix = "_JSON ";
    if (value.compare(0, prefix.size(), prefix) == 0) {
        try {
            return parse_json(std::string_view(value).substr(prefix.size()));
        } catch (const std::invalid_argument&) {
            return value; // json.loads would fail in ASE; we keep the text
        }
    }
    return value;
}

Value typed_value(const std::string& key, const std::string& value) {
    if (key == "uid") return value; // ASE's UNPROCESSED_KEYS
    std::optional<Value> v = numeric_value(tokens_of(value));
    if (is_special_3x3(key)) return reshape_fortran_3x3(v.value_or(Value(value)), key);
    if (v) return *v;
    return string_value(value);
}

} // namespace

KeyValues parse_comment(std::string_view line) {
    KeyValues out;
    for (const auto& [key, value] : split_pairs(line)) {
        Value v = typed_value(key, value);
        auto it =
            std::find_if(out.begin(), out.end(), [&key = key](const auto& kv) { return kv.first == key; });
        if (it != out.end())
            it->second = std::move(v); // a Python dict keeps the last value
        else
            out.emplace_back(key, std::move(v));
    }
    return out;
}

} // namespace asebytes::extxyz
