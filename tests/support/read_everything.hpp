#pragma once
// Reads a whole store as `asebytes verify` does: every group, every row decoded, atomistic rows
// checked as frames. The bad-input corpus test and the fuzz targets feed it damaged stores.
#include <cstddef>
#include <string>

namespace asebytes::test {

/// Opens every group of the store at `path` read-only through the registry (the backend's default
/// group when none is listed) and reads every row; returns the number of rows. Throws what the
/// library throws.
std::size_t read_everything(const std::string& path);

} // namespace asebytes::test
