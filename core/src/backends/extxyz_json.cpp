// JSON for extended XYZ values that are neither numbers, bools, strings nor 1-d arrays: ASE writes
// them as `_JSON <json.dumps(value)>` and reads them back through np.array where the result is
// numeric (ase/io/extxyz.py, key_val_dict_to_str / key_val_str_to_dict).
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>

#include "extxyz_format.hpp"

namespace asebytes::extxyz {
namespace {

class JsonParser {
public:
    explicit JsonParser(std::string_view text) : s_(text) {}

    Value document() {
        Value v = value();
        skip_space();
        if (pos_ != s_.size()) fail("trailing characters");
        return v;
    }

private:
    [[noreturn]] void fail(const char* what) const {
        throw std::invalid_argument(std::string("bad JSON: ") + what + " at offset " + std::to_string(pos_));
    }
    void skip_space() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
            ++pos_;
    }
    bool consume(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }
    Value value() {
        skip_space();
        if (pos_ >= s_.size()) fail("unexpected end");
        const char c = s_[pos_];
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') return string();
        if (consume("true")) return true;
        if (consume("false")) return false;
        if (consume("null")) return Value();
        if (consume("NaN")) return std::nan("");
        if (consume("Infinity")) return HUGE_VAL;
        if (consume("-Infinity")) return -HUGE_VAL;
        return number();
    }
    Value object() {
        ++pos_;
        Map map;
        skip_space();
        if (consume("}")) return map;
        do {
            skip_space();
            if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a key");
            std::string key = string();
            skip_space();
            if (!consume(":")) fail("expected ':'");
            map.emplace_back(std::move(key), value());
            skip_space();
        } while (consume(","));
        if (!consume("}")) fail("expected '}'");
        return map;
    }
    Value array() {
        ++pos_;
        List list;
        skip_space();
        if (consume("]")) return list;
        do {
            list.push_back(value());
            skip_space();
        } while (consume(","));
        if (!consume("]")) fail("expected ']'");
        return list;
    }
    std::string string() {
        ++pos_;
        std::string out;
        while (pos_ < s_.size() && s_[pos_] != '"') {
            char c = s_[pos_++];
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (pos_ >= s_.size()) fail("unfinished escape");
            c = s_[pos_++];
            switch (c) {
            case 'n':
                out.push_back('\n');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'u':
                append_utf8(out, code_point());
                break;
            default:
                out.push_back(c);
            }
        }
        if (!consume("\"")) fail("unfinished string");
        return out;
    }
    unsigned hex4() {
        if (pos_ + 4 > s_.size()) fail("short \\u escape");
        unsigned v = 0;
        const auto [end, ec] = std::from_chars(s_.data() + pos_, s_.data() + pos_ + 4, v, 16);
        if (ec != std::errc() || end != s_.data() + pos_ + 4) fail("bad \\u escape");
        pos_ += 4;
        return v;
    }
    unsigned code_point() {
        unsigned cp = hex4();
        if (cp >= 0xD800 && cp < 0xDC00 && consume("\\u"))
            cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4() - 0xDC00);
        return cp;
    }
    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
    Value number() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) ||
                                    std::string_view("+-.eE").find(s_[pos_]) != std::string_view::npos))
            ++pos_;
        const std::string text(s_.substr(start, pos_ - start));
        if (text.empty()) fail("unexpected character");
        std::int64_t i = 0;
        const auto [iend, iec] = std::from_chars(text.data(), text.data() + text.size(), i);
        if (iec == std::errc() && iend == text.data() + text.size()) return i;
        char* end = nullptr;
        const double d = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size()) fail("bad number");
        return d;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

// What np.array(d) makes of a nested list: a numeric or bool array when it is rectangular and
// uniform, nullopt otherwise (ASE then keeps the Python object).
struct Leaves {
    std::vector<std::int64_t> shape;
    std::vector<const Value*> values;
};

bool collect(const Value& v, std::size_t depth, Leaves& out) {
    if (v.kind() != Value::Kind::List) {
        if (depth < out.shape.size()) return false;
        out.values.push_back(&v);
        return true;
    }
    const List& list = v.as_list();
    if (depth == out.shape.size()) {
        if (!out.values.empty()) return false;
        out.shape.push_back(static_cast<std::int64_t>(list.size()));
    } else if (depth > out.shape.size() || out.shape[depth] != static_cast<std::int64_t>(list.size())) {
        return false;
    }
    for (const auto& x : list)
        if (!collect(x, depth + 1, out)) return false;
    return true;
}

std::optional<Value> as_numpy_array(const Value& v) {
    if (v.kind() != Value::Kind::List) return std::nullopt;
    Leaves leaves;
    if (!collect(v, 0, leaves) || leaves.values.empty()) return std::nullopt;
    bool bools = true, ints = true, numbers = true;
    for (const Value* x : leaves.values) {
        const auto k = x->kind();
        bools = bools && k == Value::Kind::Bool;
        ints = ints && k == Value::Kind::Int;
        numbers = numbers && (k == Value::Kind::Int || k == Value::Kind::Float);
    }
    if (bools) {
        std::vector<bool> b;
        for (const Value* x : leaves.values)
            b.push_back(x->as_bool());
        return Value(NdArray::from<bool>(leaves.shape, b));
    }
    if (ints) {
        std::vector<std::int64_t> i;
        for (const Value* x : leaves.values)
            i.push_back(x->as_int());
        return Value(NdArray::from<std::int64_t>(leaves.shape, i));
    }
    if (numbers) {
        std::vector<double> d;
        for (const Value* x : leaves.values)
            d.push_back(x->as_double());
        return Value(NdArray::from<double>(leaves.shape, d));
    }
    return std::nullopt;
}

void quote(std::string& out, const std::string& s) {
    out.push_back('"');
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            out += buf;
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    out.push_back('"');
}

// The elements of `a` as JSON texts, flat in C order.
std::vector<std::string> element_texts(const NdArray& a) {
    std::vector<std::string> out;
    if (a.dtype() == DType::Bool) {
        for (bool b : a.to_vector<bool>())
            out.push_back(b ? "true" : "false");
    } else if (a.dtype() == DType::Float16 || a.dtype() == DType::Float32 || a.dtype() == DType::Float64) {
        for (double d : a.to_vector<double>())
            out.push_back(to_json(Value(d)));
    } else {
        for (std::int64_t i : a.to_vector<std::int64_t>())
            out.push_back(std::to_string(i));
    }
    return out;
}

void append_nested(std::string& out, const NdArray& a, const std::vector<std::string>& items, std::size_t dim,
                   std::size_t& flat) {
    if (dim == a.ndim()) {
        out += items[flat++];
        return;
    }
    out.push_back('[');
    for (std::int64_t i = 0; i < a.shape()[dim]; ++i) {
        if (i) out += ", ";
        append_nested(out, a, items, dim + 1, flat);
    }
    out.push_back(']');
}

} // namespace

Value parse_json(std::string_view text) {
    Value v = JsonParser(text).document();
    if (auto a = as_numpy_array(v)) return *a;
    return v;
}

std::string to_json(const Value& v) {
    std::string out;
    switch (v.kind()) {
    case Value::Kind::Nil:
        return "null";
    case Value::Kind::Bool:
        return v.as_bool() ? "true" : "false";
    case Value::Kind::Int:
        return std::to_string(v.as_int());
    case Value::Kind::UInt:
        return std::to_string(v.as_uint());
    case Value::Kind::Float: {
        const double d = v.as_double();
        if (std::isnan(d)) return "NaN";
        if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
        return format_double(d);
    }
    case Value::Kind::String:
        quote(out, v.as_string());
        return out;
    case Value::Kind::List: {
        out.push_back('[');
        for (std::size_t i = 0; i < v.as_list().size(); ++i)
            out += (i ? ", " : "") + to_json(v.as_list()[i]);
        out.push_back(']');
        return out;
    }
    case Value::Kind::Map: {
        out.push_back('{');
        bool first = true;
        for (const auto& [k, x] : v.as_map()) {
            if (!first) out += ", ";
            first = false;
            quote(out, k);
            out += ": " + to_json(x);
        }
        out.push_back('}');
        return out;
    }
    case Value::Kind::Array: {
        std::size_t flat = 0;
        append_nested(out, v.as_array(), element_texts(v.as_array()), 0, flat);
        return out;
    }
    case Value::Kind::Binary:
        break;
    }
    throw TypeError("extxyz cannot store bytes values");
}

} // namespace asebytes::extxyz
