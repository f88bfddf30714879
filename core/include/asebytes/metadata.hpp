#pragma once
// Every backend describes itself once (as chemfiles' FormatMetadata does); the registry, the
// `asebytes formats` listing and the README's backend table come from these descriptions.
#include <string>
#include <vector>

namespace asebytes {

/// The tier a backend stores natively: encoded bytes, or Values.
enum class Tier { Blob, Object };

struct BackendMetadata {
    std::string name;                    ///< short name, e.g. "lmdb"
    std::string description;             ///< one line for listings
    std::vector<std::string> extensions; ///< path suffixes, e.g. {".lmdb"}
    std::string scheme;                  ///< URI scheme without "://", e.g. "memory"
    Tier native_tier = Tier::Object;
    bool writable = true;
    bool edits_in_place = true;   ///< set/insert/erase/update; false: writes only append
    bool persistent = true;       ///< survives the process
    bool groups = true;           ///< several collections side by side
    bool variable_atoms = true;   ///< rows may have different atom counts
    bool parallel_writes = false; ///< collective writes from every MPI rank
    std::string default_group = "default";
};

} // namespace asebytes
