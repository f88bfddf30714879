#pragma once
// Direct LMDB access for tests: dump or edit an environment without going through asebytes.
#include <map>
#include <string>

#include "golden.hpp"

namespace asebytes::test {

/// Every key and value of the environment in `dir` (read-only, no lock file).
std::map<std::string, std::string> dump_lmdb(const fs::path& dir);
/// Writes raw key/value pairs into the environment in `dir` (created if needed).
void put_raw(const fs::path& dir, const std::map<std::string, std::string>& items);

} // namespace asebytes::test
