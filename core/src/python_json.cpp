#include "python_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "asebytes/error.hpp"

namespace asebytes::python_json {
namespace {

// ---------------------------------------------------------------------------------------------
// dumps: CPython's Lib/json/encoder.py with its defaults.

void append_u_escape(std::string& out, unsigned unit) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", unit);
    out += buf;
}

// The code point of the UTF-8 sequence at s[i], advancing i; a byte that does not start a valid
// sequence is taken as the code point of its own value (Latin-1), so nothing is lost silently.
unsigned next_code_point(const std::string& s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned c = byte(i);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
        ++i;
        return c;
    }
    unsigned cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            ++i;
            return c;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    i += len;
    return cp;
}

void append_quoted(std::string& out, const std::string& s) {
    out.push_back('"');
    for (std::size_t i = 0; i < s.size();) {
        const unsigned cp = next_code_point(s, i);
        switch (cp) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (cp >= 0x20 && cp < 0x7F) {
                out.push_back(static_cast<char>(cp));
            } else if (cp < 0x10000) {
                append_u_escape(out, cp);
            } else {
                append_u_escape(out, 0xD800 + ((cp - 0x10000) >> 10));
                append_u_escape(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
            }
        }
    }
    out.push_back('"');
}

void append_float(std::string& out, double d) {
    if (std::isnan(d))
        out += "NaN";
    else if (std::isinf(d))
        out += d > 0 ? "Infinity" : "-Infinity";
    else
        out += float_repr(d);
}

class Dumper {
public:
    Dumper(const std::string& what, Arrays arrays, int indent = -1)
        : what_(what), arrays_(arrays), indent_(indent) {}

    void value(std::string& out, const Value& v) const {
        switch (v.kind()) {
        case Value::Kind::Nil:
            out += "null";
            return;
        case Value::Kind::Bool:
            out += v.as_bool() ? "true" : "false";
            return;
        case Value::Kind::Int:
            out += std::to_string(v.as_int());
            return;
        case Value::Kind::UInt:
            out += std::to_string(v.as_uint());
            return;
        case Value::Kind::Float:
            append_float(out, v.as_double());
            return;
        case Value::Kind::String:
            append_quoted(out, v.as_string());
            return;
        case Value::Kind::List:
            out.push_back('[');
            ++level_;
            for (std::size_t i = 0; i < v.as_list().size(); ++i) {
                separate(out, i == 0);
                value(out, v.as_list()[i]);
            }
            close(out, v.as_list().empty());
            out.push_back(']');
            return;
        case Value::Kind::Map: {
            out.push_back('{');
            ++level_;
            bool first = true;
            for (const auto& [k, x] : v.as_map()) {
                if (k.binary) throw TypeError(what_ + ": a dict with bytes keys cannot be stored as JSON");
                separate(out, first);
                first = false;
                append_quoted(out, k);
                out += ": ";
                value(out, x);
            }
            close(out, v.as_map().empty());
            out.push_back('}');
            return;
        }
        case Value::Kind::Array:
            if (arrays_ == Arrays::Refuse)
                throw TypeError(what_ + ": an ndarray inside a list or dict cannot be stored as JSON (it "
                                        "would read back as lists)");
            array(out, v.as_array());
            return;
        case Value::Kind::Binary:
            break;
        }
        throw TypeError(
            what_ + ": a " + v.type_name() +
            " cannot be stored as JSON (JSON holds only None, bool, int, float, str, list and dict)");
    }

private:
    // Between items: ", " on one line, or (with indent, as json.dumps(indent=N)) "," and a new
    // line indented to the container's depth.
    void separate(std::string& out, bool first) const {
        if (indent_ < 0) {
            if (!first) out += ", ";
            return;
        }
        if (!first) out.push_back(',');
        out.push_back('\n');
        out.append(static_cast<std::size_t>(indent_ * level_), ' ');
    }
    void close(std::string& out, bool empty) const {
        --level_;
        if (indent_ < 0 || empty) return;
        out.push_back('\n');
        out.append(static_cast<std::size_t>(indent_ * level_), ' ');
    }

    // numpy's tolist(): nested lists of Python bools, ints and floats, in C order.
    static void array(std::string& out, const NdArray& a) {
        std::vector<std::string> items;
        if (a.dtype() == DType::Bool) {
            for (bool b : a.to_vector<bool>())
                items.emplace_back(b ? "true" : "false");
        } else if (a.dtype() == DType::Float16 || a.dtype() == DType::Float32 ||
                   a.dtype() == DType::Float64) {
            for (double d : a.to_vector<double>()) {
                items.emplace_back();
                append_float(items.back(), d);
            }
        } else {
            for (std::int64_t i : a.to_vector<std::int64_t>())
                items.push_back(std::to_string(i));
        }
        std::size_t flat = 0;
        nested(out, a, items, 0, flat);
    }
    static void nested(std::string& out, const NdArray& a, const std::vector<std::string>& items,
                       std::size_t dim, std::size_t& flat) {
        if (dim == a.ndim()) {
            out += items[flat++];
            return;
        }
        out.push_back('[');
        for (std::int64_t i = 0; i < a.shape()[dim]; ++i) {
            if (i) out += ", ";
            nested(out, a, items, dim + 1, flat);
        }
        out.push_back(']');
    }

    const std::string& what_;
    Arrays arrays_;
    int indent_;
    mutable int level_ = 0;
};

// ---------------------------------------------------------------------------------------------
// loads: CPython's Lib/json/decoder.py and scanner.py with strict=True.

class Parser {
public:
    explicit Parser(std::string_view text) : s_(text) {}

    Value document() {
        skip_space();
        Value v = value();
        skip_space();
        if (pos_ != s_.size()) fail("Extra data");
        return v;
    }

private:
    [[noreturn]] void fail(const char* what) const { throw DecodeError(what, pos_); }
    bool at_end() const { return pos_ >= s_.size(); }
    char peek() const { return at_end() ? '\0' : s_[pos_]; }
    void skip_space() {
        while (!at_end() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    bool consume(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }
    static bool digit(char c) { return c >= '0' && c <= '9'; }

    Value value() {
        if (at_end()) fail("Expecting value");
        switch (s_[pos_]) {
        case '{':
            return object();
        case '[':
            return array();
        case '"':
            ++pos_;
            return string();
        default:
            break;
        }
        if (consume("true")) return true;
        if (consume("false")) return false;
        if (consume("null")) return Value();
        if (consume("NaN")) return std::numeric_limits<double>::quiet_NaN();
        if (consume("Infinity")) return std::numeric_limits<double>::infinity();
        if (consume("-Infinity")) return -std::numeric_limits<double>::infinity();
        return number();
    }

    Value object() {
        ++pos_;
        Map map;
        skip_space();
        if (consume("}")) return map;
        while (true) {
            if (peek() != '"') fail("Expecting property name enclosed in double quotes");
            ++pos_;
            std::string key = string();
            skip_space();
            if (!consume(":")) fail("Expecting ':' delimiter");
            skip_space();
            Value v = value();
            // A Python dict: a repeated key keeps its first position and takes the last value.
            auto it = std::find_if(map.begin(), map.end(), [&](const auto& kv) { return kv.first == key; });
            if (it != map.end())
                it->second = std::move(v);
            else
                map.emplace_back(MapKey(std::move(key)), std::move(v));
            skip_space();
            if (consume("}")) return map;
            if (!consume(",")) fail("Expecting ',' delimiter");
            skip_space();
        }
    }

    Value array() {
        ++pos_;
        List list;
        skip_space();
        if (consume("]")) return list;
        while (true) {
            list.push_back(value());
            skip_space();
            if (consume("]")) return list;
            if (!consume(",")) fail("Expecting ',' delimiter");
            skip_space();
        }
    }

    // After the opening quote.
    std::string string() {
        std::string out;
        while (true) {
            if (at_end()) fail("Unterminated string");
            const char c = s_[pos_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) {
                --pos_;
                fail("Invalid control character");
            }
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (at_end()) fail("Unterminated string");
            switch (s_[pos_++]) {
            case '"':
                out.push_back('"');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '/':
                out.push_back('/');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'u':
                append_utf8(out, code_point());
                break;
            default:
                --pos_;
                fail("Invalid \\escape");
            }
        }
    }
    unsigned hex4() {
        unsigned v = 0;
        const char* begin = s_.data() + pos_;
        if (pos_ + 4 > s_.size()) fail("Invalid \\uXXXX escape");
        const auto [end, ec] = std::from_chars(begin, begin + 4, v, 16);
        if (ec != std::errc() || end != begin + 4) fail("Invalid \\uXXXX escape");
        pos_ += 4;
        return v;
    }
    // A surrogate pair makes one code point; a lone surrogate stays itself, as in Python.
    unsigned code_point() {
        const unsigned cp = hex4();
        if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(pos_, 2) == "\\u") {
            const std::size_t back = pos_;
            pos_ += 2;
            const unsigned low = hex4();
            if (low >= 0xDC00 && low < 0xE000) return 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            pos_ = back;
        }
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

    // Python's NUMBER_RE: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?
    Value number() {
        const std::size_t start = pos_;
        consume("-");
        if (peek() == '0') {
            ++pos_;
        } else if (digit(peek())) {
            while (digit(peek()))
                ++pos_;
        } else {
            pos_ = start;
            fail("Expecting value");
        }
        bool integer = true;
        if (peek() == '.' && pos_ + 1 < s_.size() && digit(s_[pos_ + 1])) {
            integer = false;
            ++pos_;
            while (digit(peek()))
                ++pos_;
        }
        if (peek() == 'e' || peek() == 'E') {
            std::size_t p = pos_ + 1;
            if (p < s_.size() && (s_[p] == '+' || s_[p] == '-')) ++p;
            if (p < s_.size() && digit(s_[p])) {
                integer = false;
                pos_ = p;
                while (digit(peek()))
                    ++pos_;
            }
        }
        const char* first = s_.data() + start;
        const char* last = s_.data() + pos_;
        if (integer) {
            std::int64_t i = 0;
            if (auto [end, ec] = std::from_chars(first, last, i); ec == std::errc() && end == last) return i;
            std::uint64_t u = 0;
            if (auto [end, ec] = std::from_chars(first, last, u); ec == std::errc() && end == last) return u;
        }
        double d = 0;
        const auto [end, ec] = std::from_chars(first, last, d);
        if (ec == std::errc::result_out_of_range) // Python: inf for huge, 0.0 for tiny
            return std::strtod(std::string(first, last).c_str(), nullptr);
        if (ec != std::errc() || end != last) fail("Expecting value");
        return d;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

} // namespace

DecodeError::DecodeError(const std::string& message, std::size_t at)
    : std::invalid_argument(message + ": char " + std::to_string(at)), offset(at) {}

std::string dumps(const Value& v, const std::string& what, Arrays arrays) {
    std::string out;
    Dumper(what, arrays).value(out, v);
    return out;
}

std::string dumps_indented(const Value& v, int indent, const std::string& what) {
    std::string out;
    Dumper(what, Arrays::Refuse, indent).value(out, v);
    return out;
}

Value loads(std::string_view text) { return Parser(text).document(); }

std::string float_repr(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    // The shortest round-trip digits, laid out as CPython's float_repr_style 'short' does
    // (Python/pystrtod.c, format_float_short with mode 'r').
    char buf[40];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    (void)ec; // 40 characters hold any double
    const std::string sci(buf, end);
    const std::size_t e = sci.find('e');
    const bool negative = sci[0] == '-';
    std::string digits;
    for (std::size_t i = negative ? 1 : 0; i < e; ++i)
        if (sci[i] != '.') digits.push_back(sci[i]);
    const int exponent = std::stoi(sci.substr(e + 1));
    const int decpt = exponent + 1; // x = 0.<digits> * 10^decpt
    const int n = static_cast<int>(digits.size());
    std::string out = negative ? "-" : "";
    if (decpt <= -4 || decpt > 16) {
        out += digits.substr(0, 1);
        if (n > 1) out += "." + digits.substr(1);
        const std::string magnitude = std::to_string(std::abs(exponent));
        return out + (exponent < 0 ? "e-" : "e+") + (magnitude.size() < 2 ? "0" : "") + magnitude;
    }
    if (decpt <= 0) return out + "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    if (decpt >= n) return out + digits + std::string(static_cast<std::size_t>(decpt - n), '0') + ".0";
    return out + digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
           digits.substr(static_cast<std::size_t>(decpt));
}

} // namespace asebytes::python_json
