#include "asebytes/registry.hpp"

#include <set>

#include "decimal.hpp"

#include "asebytes/adapters.hpp"
#include "asebytes/backends/ase_traj.hpp"
#include "asebytes/backends/columnar.hpp"
#include "asebytes/backends/extxyz.hpp"
#include "asebytes/backends/h5md.hpp"
#include "asebytes/backends/lmdb.hpp"
#include "asebytes/backends/memory.hpp"
#include "asebytes/backends/redis.hpp"

namespace asebytes {
namespace {

std::string scheme_of(const std::string& path) {
    const auto pos = path.find("://");
    return pos == std::string::npos ? std::string() : path.substr(0, pos);
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string known_list() {
    std::string out;
    for (const auto& e : backends()) {
        const auto& m = *e.metadata;
        std::string forms = m.scheme.empty() ? "" : m.scheme + "://";
        for (const auto& ext : m.extensions)
            forms += (forms.empty() ? "*" : ", *") + ext;
        out += (out.empty() ? "" : "; ") + m.name + " (" + forms + ")";
    }
    return out;
}

// Read-only openings of writable backends are handed out without their writing half, for every
// backend alike.
template <class V>
std::shared_ptr<ReadBackend<V>> as_opened(std::shared_ptr<ReadBackend<V>> b, bool readonly) {
    if (readonly && dynamic_cast<ReadWriteBackend<V>*>(b.get()))
        return std::make_shared<ReadOnlyAdapter<V>>(b);
    return b;
}

std::vector<BackendEntry> checked(std::vector<BackendEntry> table) {
    check_backend_table(table);
    return table;
}

} // namespace

// The one table of backends (chemfiles keeps its formats in one place, too).
const std::vector<BackendEntry>& backends() {
    static const std::vector<BackendEntry> table = checked({
        LmdbBlobBackend::entry(),
        MemoryBackend::entry(),
        ColumnarBackend::ragged_entry(),
        ColumnarBackend::padded_entry(),
        H5mdBackend::entry(),
        ColumnarBackend::zarr_ragged_entry(),
        ColumnarBackend::zarr_padded_entry(),
        ExtxyzBackend::entry(),
        AseTrajBackend::entry(),
        RedisBlobBackend::entry(),
    });
    return table;
}

void check_backend_table(const std::vector<BackendEntry>& table) {
    std::set<std::string> names, extensions, schemes;
    for (const auto& e : table) {
        if (!e.metadata) throw Error("backend table: an entry without metadata");
        const BackendMetadata& m = *e.metadata;
        const std::string which = "backend table: '" + m.name + "'";
        if (m.name.empty()) throw Error("backend table: a backend without a name");
        if (!names.insert(m.name).second) throw Error(which + " is registered twice");
        if (m.extensions.empty() == m.scheme.empty())
            throw Error(which + " needs file extensions or a URI scheme (one of the two)");
        for (const auto& ext : m.extensions)
            if (ext.size() < 2 || ext[0] != '.' || !extensions.insert(ext).second)
                throw Error(which + ": extension '" + ext +
                            "' is not '.something' or belongs to another backend");
        if (!m.scheme.empty() && !schemes.insert(m.scheme).second)
            throw Error(which + ": URI scheme '" + m.scheme + "' belongs to another backend");
        if ((m.storage == Storage::None) != m.extensions.empty())
            throw Error(which + ": a store in files needs file extensions, one in none a URI scheme");
        if (!e.open_blob && !e.open_object) throw Error(which + " has no way to be opened");
        if (!e.list_groups) throw Error(which + " cannot list its groups");
        if (m.repairs_uncommitted != static_cast<bool>(e.repair))
            throw Error(which + ": repairs_uncommitted and the entry's repair disagree");
        if (m.parallel_writes != static_cast<bool>(e.open_collective))
            throw Error(which + ": parallel_writes and the entry's open_collective disagree");
    }
}

const BackendEntry& backend_for(const std::string& path) {
    const std::string scheme = scheme_of(path);
    std::string trimmed = path;
    while (trimmed.size() > 1 && trimmed.back() == '/')
        trimmed.pop_back();
    for (const auto& e : backends()) {
        if (!scheme.empty()) {
            if (e.metadata->scheme == scheme) return e;
            continue;
        }
        for (const auto& ext : e.metadata->extensions)
            if (ends_with(trimmed, ext)) return e;
    }
    throw Error("no backend for '" + path +
                "': " + (scheme.empty() ? "unknown file extension" : "unknown URI scheme '" + scheme + "'") +
                ". Known: " + known_list());
}

std::shared_ptr<BlobReadBackend> open_blob_backend(const std::string& path, const OpenOptions& options) {
    const BackendEntry& e = backend_for(path);
    if (e.open_blob) return as_opened(e.open_blob(path, options), options.readonly);
    return as_opened(adapt<Value, std::string>(e.open_object(path, options)), options.readonly);
}

std::shared_ptr<ObjectReadBackend> open_object_backend(const std::string& path, const OpenOptions& options) {
    const BackendEntry& e = backend_for(path);
    if (e.open_object) return as_opened(e.open_object(path, options), options.readonly);
    return as_opened(adapt<std::string, Value>(e.open_blob(path, options)), options.readonly);
}

std::vector<std::string> list_groups(const std::string& path) { return backend_for(path).list_groups(path); }

void repair_store(const std::string& path, const OpenOptions& options) {
    const BackendEntry& e = backend_for(path);
    if (!e.metadata->repairs_uncommitted) return;
    OpenOptions writable = options;
    writable.readonly = false;
    e.repair(path, writable);
}

OptionReader::OptionReader(const OpenOptions& options, std::string backend)
    : remaining_(options.options), backend_(std::move(backend)) {}

std::string OptionReader::get(const std::string& name, const std::string& fallback) {
    auto it = remaining_.find(name);
    if (it == remaining_.end()) return fallback;
    std::string v = it->second;
    remaining_.erase(it);
    return v;
}

std::size_t OptionReader::get_size(const std::string& name, std::size_t fallback) {
    const std::string v = get(name, "");
    if (v.empty()) return fallback;
    const auto n = parse_unsigned(v);
    if (!n) throw Error(backend_ + " option '" + name + "' needs a non-negative integer, got '" + v + "'");
    return static_cast<std::size_t>(*n);
}

bool OptionReader::get_bool(const std::string& name, bool fallback) {
    const std::string v = get(name, "");
    if (v.empty()) return fallback;
    if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
    if (v == "0" || v == "false" || v == "no" || v == "off") return false;
    throw Error(backend_ + " option '" + name + "' needs yes/no, got '" + v + "'");
}

void OptionReader::finish() const {
    if (remaining_.empty()) return;
    std::string names;
    for (const auto& kv : remaining_)
        names += (names.empty() ? "'" : ", '") + kv.first + "'";
    throw Error("unknown " + backend_ + " option(s): " + names);
}

} // namespace asebytes
