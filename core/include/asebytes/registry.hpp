#pragma once
// The registry: which backend serves a path or URI, built from the backends' own metadata
// (spec/registry-and-servers.md). One table in registry.cpp lists every backend.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asebytes/backend.hpp"

namespace asebytes {

/// How to open a store.
struct OpenOptions {
    /// The collection inside the store; the backend's default group when unset.
    std::optional<std::string> group;
    /// Open without write access (a missing store is then an error).
    bool readonly = false;
    /// Backend-specific settings, e.g. {"map_size", "1073741824"} for LMDB. Unknown names are an
    /// error naming them.
    std::map<std::string, std::string> options;
};

/// One registered backend: its description and how to open it.
struct BackendEntry {
    const BackendMetadata* metadata;
    /// Opens the native tier; the other tier comes through an adapter.
    std::function<std::shared_ptr<BlobReadBackend>(const std::string&, const OpenOptions&)> open_blob;
    std::function<std::shared_ptr<ObjectReadBackend>(const std::string&, const OpenOptions&)> open_object;
    std::function<std::vector<std::string>(const std::string&)> list_groups;
};

/// Every backend this build knows, in registration order.
const std::vector<BackendEntry>& backends();
/// The backend for a path (by extension) or URI (by scheme). Error listing the known ones.
const BackendEntry& backend_for(const std::string& path);
/// Opens a store at the blob tier.
std::shared_ptr<BlobReadBackend> open_blob_backend(const std::string& path, const OpenOptions& options = {});
/// Opens a store at the object tier.
std::shared_ptr<ObjectReadBackend> open_object_backend(const std::string& path,
                                                       const OpenOptions& options = {});
/// The groups stored at `path` (empty when there is nothing there).
std::vector<std::string> list_groups(const std::string& path);

/// open_blob_backend or open_object_backend, chosen by value type.
template <class V>
std::shared_ptr<ReadBackend<V>> open_backend(const std::string& path, const OpenOptions& options);
template <>
inline std::shared_ptr<BlobReadBackend> open_backend<std::string>(const std::string& path,
                                                                  const OpenOptions& options) {
    return open_blob_backend(path, options);
}
template <>
inline std::shared_ptr<ObjectReadBackend> open_backend<Value>(const std::string& path,
                                                              const OpenOptions& options) {
    return open_object_backend(path, options);
}

/// Reads backend options by name and rejects the ones nobody asked for.
class OptionReader {
public:
    OptionReader(const OpenOptions& options, std::string backend);
    /// The option's value, or `fallback` when unset.
    std::string get(const std::string& name, const std::string& fallback);
    std::size_t get_size(const std::string& name, std::size_t fallback);
    bool get_bool(const std::string& name, bool fallback);
    /// Error naming every option that was given but not read.
    void finish() const;

private:
    std::map<std::string, std::string> remaining_;
    std::string backend_;
};

} // namespace asebytes
