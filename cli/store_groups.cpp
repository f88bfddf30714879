#include "store_groups.hpp"

#include <filesystem>
#include <system_error>

#include "asebytes/registry.hpp"

namespace asebytes::cli {

namespace fs = std::filesystem;

namespace {
bool is_uri(const std::string& path) { return path.find("://") != std::string::npos; }
} // namespace

void require_existing_store(const std::string& path) {
    backend_for(path); // an unknown extension is reported before a missing file
    std::error_code ec;
    if (!is_uri(path) && !fs::exists(path, ec)) throw Error("'" + path + "': no such file or directory");
}

std::vector<std::string> groups_to_visit(const std::string& path, const std::optional<std::string>& group) {
    if (group) return {*group};
    return list_groups(path);
}

bool same_store(const std::string& a, const std::string& b) {
    if (is_uri(a) || is_uri(b)) return a == b;
    std::error_code ec;
    return fs::equivalent(a, b, ec); // false (with ec set) when either does not exist yet
}

} // namespace asebytes::cli
