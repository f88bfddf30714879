#pragma once
// Large writes of rows into a deflate-compressed dataset, chunk by chunk: we compress with
// libdeflate and store each chunk with H5Dwrite_chunk. HDF5's deflate filter would compress the
// same chunks with zlib, one at a time on the calling thread, which is where gzip writes spent
// their time. The stored bytes are zlib streams like the filter's, so every reader (HDF5, h5py,
// Python asebytes) reads them unchanged; the chunk shape and the dataset's filter pipeline are
// the ones the dataset was created with.
#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asebytes::columnar {

/// How a dataset takes direct chunk writes of rows (whole entries along axis 0).
struct DirectChunks {
    std::vector<hsize_t> dims;       ///< the dataset's extent
    std::vector<hsize_t> chunk;      ///< its chunk shape: axes 0 and 1 tiled, the others whole
    std::size_t item = 0;            ///< bytes of one element
    int level = 0;                   ///< the deflate level of the dataset's filter
    std::vector<std::uint8_t> fill;  ///< one element's fill value as stored

    /// Whether `dataset` can take them for rows of memory type `memtype`: chunked with chunks
    /// that span every axis after the second, deflate its only filter, its file type equal to
    /// `memtype`. nullopt otherwise (the caller writes through H5Dwrite).
    static std::optional<DirectChunks> of(hid_t dataset, hid_t memtype, const std::string& where);

    /// Bytes of one row (one entry along axis 0).
    std::size_t row_bytes() const;

    /// Writes rows [start, start + count) from `rows` (count * row_bytes() bytes), inside the
    /// dataset's extent. A chunk the rows cover only in part keeps its other rows: its stored
    /// bytes are read back (after the dataset's cached chunks are flushed) or, when it was never
    /// written, filled with the fill value, as HDF5 allocates it.
    void write(hid_t dataset, std::int64_t start, std::int64_t count, const std::uint8_t* rows,
               const std::string& where) const;
};

} // namespace asebytes::columnar
