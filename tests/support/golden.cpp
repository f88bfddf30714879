#include "golden.hpp"

#include <atomic>
#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "asebytes/error.hpp"

namespace asebytes::test {
namespace {

template <class T> void put(std::vector<std::uint8_t>& out, T v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    out.insert(out.end(), p, p + sizeof(T));
}

void append_element(std::vector<std::uint8_t>& out, DType dtype, const Json& j) {
    switch (dtype) {
    case DType::Float64:
        put<double>(out, j.get<double>());
        break;
    case DType::Float32:
        put<float>(out, j.get<float>());
        break;
    case DType::Int64:
        put<std::int64_t>(out, j.get<std::int64_t>());
        break;
    case DType::Int32:
        put<std::int32_t>(out, j.get<std::int32_t>());
        break;
    case DType::Int16:
        put<std::int16_t>(out, j.get<std::int16_t>());
        break;
    case DType::Int8:
        put<std::int8_t>(out, j.get<std::int8_t>());
        break;
    case DType::UInt8:
        put<std::uint8_t>(out, j.get<std::uint8_t>());
        break;
    case DType::UInt16:
        put<std::uint16_t>(out, j.get<std::uint16_t>());
        break;
    case DType::UInt32:
        put<std::uint32_t>(out, j.get<std::uint32_t>());
        break;
    case DType::UInt64:
        put<std::uint64_t>(out, j.get<std::uint64_t>());
        break;
    case DType::Bool:
        put<std::uint8_t>(out, j.get<bool>() ? 1 : 0);
        break;
    default:
        throw Error("truth dtype not handled by the test helper");
    }
}

void flatten(std::vector<std::uint8_t>& out, DType dtype, const Json& j) {
    if (j.is_array()) {
        for (const auto& x : j)
            flatten(out, dtype, x);
    } else {
        append_element(out, dtype, j);
    }
}

} // namespace

fs::path data_dir() { return fs::path(ASEBYTES_TEST_DATA_DIR); }
fs::path golden_dir() { return data_dir() / "golden"; }

Json load_json(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw Error("cannot read " + path.string());
    return Json::parse(in);
}

Value truth_value(const Json& j) {
    if (j.contains("ndarray")) {
        const std::string ts = j["ndarray"].get<std::string>();
        std::vector<std::int64_t> shape = j["shape"].get<std::vector<std::int64_t>>();
        std::vector<std::uint8_t> bytes;
        flatten(bytes, dtype_from_typestr(ts), j["value"]);
        return NdArray(ts, std::move(shape), std::move(bytes));
    }
    if (j.contains("npscalar")) {
        const std::string ts = j["npscalar"].get<std::string>();
        // np.float64 subclasses Python float, so msgpack stores it as a plain float.
        if (ts == "<f8") return j["value"].get<double>();
        std::vector<std::uint8_t> bytes;
        append_element(bytes, dtype_from_typestr(ts), j["value"]);
        return NdArray(ts, {}, std::move(bytes), true);
    }
    if (j.contains("list")) {
        List list;
        for (const auto& x : j["list"])
            list.push_back(truth_value(x));
        return list;
    }
    if (j.contains("map")) {
        Map map;
        for (const auto& [k, x] : j["map"].items())
            map.emplace_back(k, truth_value(x));
        return map;
    }
    const std::string py = j.at("py").get<std::string>();
    const Json& v = j["value"];
    if (py == "NoneType") return Value();
    if (py == "bool") return v.get<bool>();
    if (py == "str") return v.get<std::string>();
    if (py == "float") return v.get<double>();
    if (py == "int") {
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
            return Value(static_cast<unsigned long long>(v.get<std::uint64_t>()));
        return Value(static_cast<long long>(v.get<std::int64_t>()));
    }
    throw Error("unknown truth type " + py);
}

std::vector<Row> truth_rows(const fs::path& path) {
    std::vector<Row> rows;
    for (const auto& r : load_json(path)) {
        Row row;
        for (const auto& [k, v] : r.items())
            row[k] = truth_value(v);
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<BlobRow> truth_msgpack(const fs::path& path) {
    std::vector<BlobRow> rows;
    for (const auto& r : load_json(path)) {
        BlobRow row;
        for (const auto& [k, v] : r.items())
            row[k] = base64_decode(v.at("msgpack").get<std::string>());
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string base64_decode(const std::string& text) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break;
        const auto pos = alphabet.find(c);
        if (pos == std::string::npos) continue;
        buffer = (buffer << 6) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xff));
        }
    }
    return out;
}

TempDir::TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("asebytes-test-" + std::to_string(rd()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path copy_golden(const std::string& name, const TempDir& dir) {
    const fs::path target = dir / name;
    fs::copy(golden_dir() / name, target, fs::copy_options::recursive);
    if (fs::is_directory(target)) {
        for (const auto& e : fs::recursive_directory_iterator(target))
            fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
        fs::permissions(target, fs::perms::owner_all, fs::perm_options::add);
    } else { // single-file stores (*.h5, *.xyz)
        fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
    }
    return target;
}

std::string test_identifier(std::string text) {
    for (auto& c : text)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return text;
}

std::string describe(const Value& v) {
    std::ostringstream s;
    switch (v.kind()) {
    case Value::Kind::Nil:
        s << "None";
        break;
    case Value::Kind::Bool:
        s << (v.as_bool() ? "True" : "False");
        break;
    case Value::Kind::Int:
        s << v.as_int();
        break;
    case Value::Kind::UInt:
        s << v.as_uint();
        break;
    case Value::Kind::Float:
        s << v.as_double();
        break;
    case Value::Kind::String:
        s << '"' << v.as_string() << '"';
        break;
    case Value::Kind::Binary:
        s << "bytes[" << v.as_binary().size() << "]";
        break;
    case Value::Kind::List: {
        s << '[';
        for (const auto& x : v.as_list())
            s << describe(x) << ", ";
        s << ']';
        break;
    }
    case Value::Kind::Map: {
        s << '{';
        for (const auto& [k, x] : v.as_map())
            s << k << ": " << describe(x) << ", ";
        s << '}';
        break;
    }
    case Value::Kind::Array: {
        const NdArray& a = v.as_array();
        s << (a.is_scalar() ? "scalar " : "ndarray ") << a.typestr() << " (";
        for (auto d : a.shape())
            s << d << ",";
        s << ") " << a.nbytes() << " bytes";
        break;
    }
    }
    return s.str();
}

OpenOptions options_from_args(int argc, char** argv, int first) {
    OpenOptions options;
    for (int a = first; a < argc; ++a) {
        const std::string option = argv[a];
        const auto eq = option.find('=');
        options.options[option.substr(0, eq)] = eq == std::string::npos ? "" : option.substr(eq + 1);
    }
    return options;
}

} // namespace asebytes::test
