// `asebytes formats`: every backend of this build, from the backends' own metadata.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "asebytes/registry.hpp"
#include "commands.hpp"

namespace asebytes::cli {

namespace {

using Json = nlohmann::ordered_json;

std::string forms_of(const BackendMetadata& m) {
    std::string out = m.scheme.empty() ? "" : m.scheme + "://" + m.address;
    for (const auto& ext : m.extensions)
        out += (out.empty() ? "*" : ", *") + ext;
    return out;
}

std::string capabilities_of(const BackendMetadata& m) {
    std::vector<std::string> caps;
    caps.push_back(!m.writable ? "read-only" : m.edits_in_place ? "read-write" : "read, append");
    if (m.groups) caps.push_back("groups");
    if (m.variable_atoms) caps.push_back("variable atoms");
    if (m.parallel_writes) caps.push_back("parallel writes");
    if (m.repairs_uncommitted) caps.push_back("verify --repair");
    if (!m.persistent) caps.push_back("in memory");
    std::string out;
    for (const auto& c : caps)
        out += (out.empty() ? "" : ", ") + c;
    return out;
}

Json metadata_json(const BackendMetadata& m) {
    return Json{{"name", m.name},
                {"description", m.description},
                {"extensions", m.extensions},
                {"scheme", m.scheme.empty() ? Json(nullptr) : Json(m.scheme)},
                {"address", m.scheme.empty() ? Json(nullptr) : Json(m.address)},
                {"native_tier", m.native_tier == Tier::Blob ? "blob" : "object"},
                {"writable", m.writable},
                {"edits_in_place", m.edits_in_place},
                {"groups", m.groups},
                {"variable_atoms", m.variable_atoms},
                {"parallel_writes", m.parallel_writes},
                {"repairs_uncommitted", m.repairs_uncommitted},
                {"storage", m.storage == Storage::File        ? "file"
                            : m.storage == Storage::Directory ? "directory"
                                                              : "none"},
                {"persistent", m.persistent}};
}

void run_formats(bool json) {
    if (json) {
        Json out = Json::array();
        for (const auto& e : backends())
            out.push_back(metadata_json(*e.metadata));
        fmt::print("{}\n", out.dump(2));
        return;
    }
    std::size_t width = 0;
    for (const auto& e : backends())
        width = std::max(width, forms_of(*e.metadata).size());
    for (const auto& e : backends()) {
        const BackendMetadata& m = *e.metadata;
        fmt::print("{:<8} {:<{}} {}\n", m.name, forms_of(m), width, capabilities_of(m));
        fmt::print("{:<8} {}\n", "", m.description);
    }
}

constexpr const char* kFormatsExamples = R"(
Each backend is chosen by the file extension or URI scheme of a store. "read, append" backends
write by appending rows; editing rows in place is reported as not supported.

Examples:
  asebytes formats
  asebytes formats --json | jq '.[].name')";

} // namespace

void add_formats_command(CLI::App& app) {
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd =
        app.add_subcommand("formats", "List the backends: extensions or URI scheme, and what they can do");
    cmd->add_flag("--json", *json, "Print JSON instead of a table");
    cmd->footer(kFormatsExamples);
    cmd->callback([json] { run_formats(*json); });
}

} // namespace asebytes::cli
