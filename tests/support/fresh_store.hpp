#pragma once
// A new, empty store of any registered backend, for tests that go through the whole registry.
#include <string>

#include "asebytes/metadata.hpp"
#include "golden.hpp"

namespace asebytes::test {

/// A file (or directory) in `dir` with the backend's first extension, a fresh memory:// name, or a
/// fresh database of this test program's Redis server (redis_server.hpp).
std::string fresh_store(const BackendMetadata& backend, const fs::path& dir);

} // namespace asebytes::test
