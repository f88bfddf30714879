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
    std::vector<hsize_t> dims;      ///< the dataset's extent
    std::vector<hsize_t> chunk;     ///< its chunk shape: axes 0 and 1 tiled, the others whole
    std::size_t item = 0;           ///< bytes of one element
    int level = 0;                  ///< the deflate level of the dataset's filter
    std::vector<std::uint8_t> fill; ///< one element's fill value as stored

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
    /// Reads rows [start, start + count) into `rows` (count * row_bytes() bytes): the chunks are
    /// read as stored and inflated with libdeflate, two at a time. A chunk never written reads as
    /// the fill value. `flush_first`: the dataset may hold chunks HDF5 still caches (a writable
    /// file), written out before.
    void read(hid_t dataset, std::int64_t start, std::int64_t count, std::uint8_t* rows, bool flush_first,
              const std::string& where) const;

private:
    /// The chunks rows [start, start + count) touch.
    struct Span {
        std::vector<hsize_t> offset; ///< the chunk's position in the dataset
        std::int64_t lo = 0, hi = 0; ///< the rows of [start, start + count) in it
        std::size_t first_cell = 0;  ///< its first element along axis 1
        std::size_t width = 0;       ///< its elements along axis 1 inside the extent
        bool whole_rows = false;     ///< it holds none but rows of [start, start + count)
        bool contiguous = false;     ///< and spans the rows whole: it is a stretch of them
    };
    std::vector<Span> spans(std::int64_t start, std::int64_t count) const;
    std::size_t chunk_bytes() const;
    std::size_t cell_bytes() const { return row_bytes() / (dims.size() > 1 ? dims[1] : 1); }
    std::size_t chunk_width() const { return dims.size() > 1 ? chunk[1] : 1; }
    /// copy(offset in the chunk's bytes, offset in rows [start, ...), bytes) for each row of `span`.
    template <class Copy> void for_each_row(const Span& span, std::int64_t start, Copy&& copy) const {
        const std::size_t cell = cell_bytes(), row = row_bytes(), c1 = chunk_width();
        const auto first_row = static_cast<std::int64_t>(span.offset[0]);
        for (std::int64_t g = span.lo; g < span.hi; ++g)
            copy(static_cast<std::size_t>(g - first_row) * c1 * cell,
                 static_cast<std::size_t>(g - start) * row + span.first_cell * cell, span.width * cell);
    }
};

} // namespace asebytes::columnar
