#pragma once
// What a columnar HDF5 file looks like through the HDF5 API, for comparing our files with
// Python's: every dataset's type, extent, chunking, filters and fill value, and the group's
// attributes; and editing a file through that API, as a foreign writer would.
#include <hdf5.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "golden.hpp"

namespace asebytes::test {

struct RawDataset {
    std::string type; ///< "float64", "int32", "bool-enum", "utf8-vlen", ...
    std::vector<unsigned long long> shape, chunk;
    bool unlimited = false; ///< every axis H5S_UNLIMITED
    std::string filters;    ///< "deflate(4)" or ""
    std::string fill;       ///< "nan", "0", "", "default"
    bool operator==(const RawDataset& o) const {
        return type == o.type && shape == o.shape && chunk == o.chunk && unlimited == o.unlimited &&
               filters == o.filters && fill == o.fill;
    }
};

struct RawGroup {
    std::map<std::string, RawDataset> datasets; ///< the group's own datasets
    std::vector<std::string> subgroups;
    std::map<std::string, std::string> attributes; ///< name -> "type: value"
};

RawGroup inspect_group(const fs::path& file, const std::string& group);
/// The attributes of any object (group or dataset) at `path`: name -> "type: value".
std::map<std::string, std::string> inspect_attributes(const fs::path& file, const std::string& path);
std::string describe(const RawDataset& d);

/// Runs `edit` on the file opened read-write through the raw HDF5 API (as a foreign writer would).
void edit_raw(const fs::path& file, const std::function<void(hid_t)>& edit);

} // namespace asebytes::test
