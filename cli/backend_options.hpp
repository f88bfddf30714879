#pragma once
// --option NAME=VALUE arguments: backend settings such as map_size=... (lmdb) or
// energy_key=REF_energy (extxyz), passed through OpenOptions::options.
#include <map>
#include <string>
#include <vector>

#include "asebytes/error.hpp"

namespace asebytes::cli {

/// NAME=VALUE pairs as a map; Error naming the argument that has no '='.
inline std::map<std::string, std::string> parse_backend_options(const std::vector<std::string>& args) {
    std::map<std::string, std::string> out;
    for (const auto& a : args) {
        const auto eq = a.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error("bad --option '" + a + "': expected NAME=VALUE, e.g. energy_key=REF_energy");
        out[a.substr(0, eq)] = a.substr(eq + 1);
    }
    return out;
}

} // namespace asebytes::cli
