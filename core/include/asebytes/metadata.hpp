#pragma once
// Every backend describes itself once (as chemfiles' FormatMetadata does); the registry, the
// `asebytes formats` listing and the README's backend table come from these descriptions, and
// what a backend can do is asked of them, never of a path's suffix.
#include <string>
#include <vector>

namespace asebytes {

/// The tier a backend stores natively: encoded bytes, or Values.
enum class Tier { Blob, Object };

/// Where a store's bytes are: one file at its path, files in a directory at its path, or in no
/// file of ours (this process's memory, a server). The bad-input corpus and the fuzz targets
/// damage the stores that are files.
enum class Storage { File, Directory, None };

struct BackendMetadata {
    std::string name;                    ///< short name, e.g. "lmdb"
    std::string description;             ///< one line for listings
    std::vector<std::string> extensions; ///< path suffixes, e.g. {".lmdb"}
    std::string scheme;                  ///< URI scheme without "://", e.g. "memory"
    /// What follows "<scheme>://" in a store's URI, for listings, e.g. "NAME" or "host[:port]".
    std::string address = "NAME";
    Tier native_tier = Tier::Object;
    bool writable = true;
    bool edits_in_place = true; ///< set/insert/erase/update; false: writes only append
    bool persistent = true;     ///< survives the process
    Storage storage = Storage::File;
    /// Text, frame after frame: a file cut short can be a valid, shorter store (extxyz).
    bool text = false;
    bool groups = true;         ///< several collections side by side
    bool variable_atoms = true; ///< rows may have different atom counts
    /// Every MPI rank writes its own atoms (BackendEntry::open_collective); mpi/ and the fix
    /// choose between that and gathering to rank 0 by this flag alone.
    bool parallel_writes = false;
    /// A writer killed between two flushes can leave rows that point past the data written;
    /// BackendEntry::repair cuts them (`asebytes verify --repair`).
    bool repairs_uncommitted = false;
    std::string default_group = "default";
};

} // namespace asebytes
