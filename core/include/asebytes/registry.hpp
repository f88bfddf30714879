#pragma once
// The registry: which backend serves a path or URI, built from the backends' own metadata
// (docs/formats/registry.md). One table in registry.cpp lists every backend.
//
// Adding a backend (as chemfiles' Format.hpp describes adding a format):
//  1. core/include/asebytes/backends/<name>.hpp and core/src/backends/<name>.cpp: the backend,
//     its `describe()` (BackendMetadata: name, extensions or scheme, capabilities) and its
//     `entry()` (how to open it; `repair` / `open_collective` where the metadata claims them).
//     core/CMakeLists.txt builds every file in core/src/backends/.
//  2. One line in the table of backends() in core/src/registry.cpp.
//  3. One line in tests/contract/backends.cpp: the contract suite then runs against it.
// Everything else derives from the table: `asebytes formats`, the README's backend table
// (tests/core/registry_test.cpp checks it), the bad-input corpus and the fuzz targets over the
// backends whose stores are files (tests/data/bad/make_bad_corpus.cpp, fuzz/fuzz_store.cpp),
// read-only opening, repair, and the choice between collective and gathered writes in mpi/.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asebytes/backend.hpp"

namespace asebytes {

class ColumnarBackend;

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
    /// Opens the native tier; the other tier comes through an adapter. A read-only opening
    /// (OpenOptions::readonly) is handed out through ReadOnlyAdapter by the registry.
    std::function<std::shared_ptr<BlobReadBackend>(const std::string&, const OpenOptions&)> open_blob;
    std::function<std::shared_ptr<ObjectReadBackend>(const std::string&, const OpenOptions&)> open_object;
    std::function<std::vector<std::string>(const std::string&)> list_groups;
    /// With metadata->repairs_uncommitted: opens the store for writing and cuts what a killed
    /// writer left past its last flush.
    std::function<void(const std::string&, const OpenOptions&)> repair;
    /// With metadata->parallel_writes: opens the store on every rank of a communicator. The
    /// communicator is a copy of its MPI_Comm handle (a std::shared_ptr<MPI_Comm>, opaque so that
    /// core's headers need no MPI); asebytes/mpi/collective_columnar.hpp makes it.
    std::function<std::shared_ptr<ColumnarBackend>(const std::string&, const OpenOptions&,
                                                   std::shared_ptr<const void>)>
        open_collective;
};

/// Every backend this build knows, in registration order; checked by check_backend_table.
const std::vector<BackendEntry>& backends();
/// Error naming the problem when a table of backends is inconsistent: names, extensions or URI
/// schemes given twice, an entry that cannot be opened, or a capability in the metadata without
/// the entry's function for it.
void check_backend_table(const std::vector<BackendEntry>& table);
/// The backend for a path (by extension) or URI (by scheme). Error listing the known ones.
const BackendEntry& backend_for(const std::string& path);
/// Opens a store at the blob tier.
std::shared_ptr<BlobReadBackend> open_blob_backend(const std::string& path, const OpenOptions& options = {});
/// Opens a store at the object tier.
std::shared_ptr<ObjectReadBackend> open_object_backend(const std::string& path,
                                                       const OpenOptions& options = {});
/// The groups stored at `path` (empty when there is nothing there).
std::vector<std::string> list_groups(const std::string& path);
/// Cuts what a writer killed between two flushes left in the store at `path`, for backends
/// whose metadata says repairs_uncommitted; nothing for the others (their writes are atomic).
void repair_store(const std::string& path, const OpenOptions& options = {});

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
