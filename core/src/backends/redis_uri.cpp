#include "redis_uri.hpp"

#include "decimal.hpp"

#include "asebytes/error.hpp"

namespace asebytes {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986 percent-decoding of the user information, as urllib's unquote does.
std::string percent_decoded(const std::string& text, const std::string& uri) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        const int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
        const int lo = hi < 0 ? -1 : hex_digit(text[i + 2]);
        if (lo < 0) throw Error("Redis URI '" + uri + "': a '%' not followed by two hex digits");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

int number_in(const std::string& text, const std::string& what, const std::string& uri, std::uint64_t max) {
    const auto n = parse_unsigned(text);
    if (!n || *n > max)
        throw Error("Redis URI '" + uri + "': " + what + " '" + text + "' is not a number from 0 to " +
                    std::to_string(max));
    return static_cast<int>(*n);
}

void parse_host_port(const std::string& hostport, const std::string& uri, RedisAddress& out) {
    std::string port;
    if (!hostport.empty() && hostport[0] == '[') { // [IPv6]:port
        const auto close = hostport.find(']');
        if (close == std::string::npos) throw Error("Redis URI '" + uri + "': '[' without ']' in the host");
        out.host = hostport.substr(1, close - 1);
        if (close + 1 < hostport.size()) {
            if (hostport[close + 1] != ':') throw Error("Redis URI '" + uri + "': junk after the host's ']'");
            port = hostport.substr(close + 2);
        }
    } else {
        const auto colon = hostport.rfind(':');
        out.host = hostport.substr(0, colon);
        if (colon != std::string::npos) port = hostport.substr(colon + 1);
    }
    if (out.host.empty()) out.host = "localhost";
    if (!port.empty()) out.port = number_in(port, "port", uri, 65535);
}

void parse_query(const std::string& query, const std::string& uri, RedisAddress& out) {
    std::size_t start = 0;
    while (start <= query.size() && !query.empty()) {
        const auto amp = std::min(query.find('&', start), query.size());
        const std::string arg = query.substr(start, amp - start);
        start = amp + 1;
        if (arg.empty()) continue;
        const auto eq = arg.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error("Redis URI '" + uri + "': query argument '" + arg + "' is not name=value");
        const std::string name = arg.substr(0, eq), value = percent_decoded(arg.substr(eq + 1), uri);
        if (name == "db")
            out.db = number_in(value, "database", uri, 2147483647);
        else
            out.query[name] = value;
    }
}

} // namespace

std::string RedisAddress::display() const {
    const bool v6 = host.find(':') != std::string::npos;
    return "redis://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" +
           std::to_string(db);
}

RedisAddress parse_redis_uri(const std::string& uri) {
    const std::string scheme = "redis://";
    if (uri.compare(0, scheme.size(), scheme) != 0)
        throw Error("Redis URI '" + uri +
                    "': it must start with redis:// (rediss:// and unix:// are not supported)");
    RedisAddress out;
    std::string rest = uri.substr(scheme.size());
    if (const auto hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
    std::string query;
    if (const auto q = rest.find('?'); q != std::string::npos) {
        query = rest.substr(q + 1);
        rest.resize(q);
    }
    std::string path;
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        path = rest.substr(slash);
        rest.resize(slash);
    }
    if (const auto at = rest.rfind('@'); at != std::string::npos) {
        const std::string userinfo = rest.substr(0, at);
        const auto colon = userinfo.find(':');
        out.user = percent_decoded(userinfo.substr(0, colon), uri);
        if (colon != std::string::npos) out.password = percent_decoded(userinfo.substr(colon + 1), uri);
        rest = rest.substr(at + 1);
    }
    parse_host_port(rest, uri, out);
    std::size_t begin = path.find_first_not_of('/');
    if (begin != std::string::npos) {
        const auto end = path.find('/', begin);
        out.db = number_in(path.substr(begin, end - begin), "database", uri, 2147483647);
    }
    parse_query(query, uri, out);
    return out;
}

} // namespace asebytes
