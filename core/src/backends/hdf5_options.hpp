#pragma once
// The HDF5 options the columnar (*.h5, *.h5p) and H5MD (*.h5md) stores share: `compression`
// (gzip, the upstream default, or none), `compression_opts` (gzip level 0-9, default 4) and
// `chunk_frames` (chunk length along the frame axis, default 64).
#include <optional>
#include <string>

#include "asebytes/backends/columnar.hpp"
#include "asebytes/registry.hpp"

namespace asebytes {

/// Reads and checks the shared options; `backend` names them in errors.
inline Hdf5Settings read_hdf5_options(OptionReader& reader, const std::string& backend) {
    Hdf5Settings o;
    const std::string compression = reader.get("compression", "gzip");
    const std::size_t level = reader.get_size("compression_opts", 4);
    o.chunk_frames = reader.get_size("chunk_frames", o.chunk_frames);
    if (compression == "none")
        o.gzip_level.reset();
    else if (compression == "gzip")
        o.gzip_level = static_cast<int>(level);
    else
        throw Error(backend + " option 'compression' must be gzip or none, got '" + compression + "'");
    if (level > 9)
        throw Error(backend + " option 'compression_opts' is a gzip level 0-9, got " + std::to_string(level));
    if (o.chunk_frames == 0) throw Error(backend + " option 'chunk_frames' must be at least 1");
    return o;
}

} // namespace asebytes
