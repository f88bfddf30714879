#include "hdf5_direct_chunks.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <thread>

#include <libdeflate.h>

#include "hdf5_handles.hpp"

namespace asebytes::columnar {
namespace {

using namespace hdf5;

struct CompressorFree {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
struct DecompressorFree {
    void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

// Chunks of one write compressed on this many threads at most: the machines we target have a
// few cores, and under mpirun the simulation holds the others.
constexpr unsigned kMaxThreads = 2;

// The stored chunk at `offset` (`stored` bytes in the file), inflated into `bytes`.
void read_back(hid_t dataset, const hsize_t* offset, hsize_t stored, std::vector<std::uint8_t>& bytes,
               const std::string& where) {
    std::vector<std::uint8_t> raw(stored);
    std::uint32_t mask = 0;
    check(H5Dread_chunk(dataset, H5P_DEFAULT, offset, &mask, raw.data()), where, "H5Dread_chunk");
    if (mask & 1u) { // stored without the filter
        if (raw.size() != bytes.size())
            throw CorruptDataError(where + ": an unfiltered chunk of " + std::to_string(raw.size()) + " bytes, not " +
                                   std::to_string(bytes.size()));
        bytes = std::move(raw);
        return;
    }
    std::unique_ptr<libdeflate_decompressor, DecompressorFree> d(libdeflate_alloc_decompressor());
    std::size_t got = 0;
    if (!d || libdeflate_zlib_decompress(d.get(), raw.data(), raw.size(), bytes.data(), bytes.size(), &got) !=
                  LIBDEFLATE_SUCCESS ||
        got != bytes.size())
        throw CorruptDataError(where + ": a stored chunk does not inflate to its " + std::to_string(bytes.size()) +
                               " bytes");
}

} // namespace

std::optional<DirectChunks> DirectChunks::of(hid_t dataset, hid_t memtype, const std::string& where) {
    PropertyList dcpl(H5Dget_create_plist(dataset), where, "H5Dget_create_plist");
    if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED || H5Pget_nfilters(dcpl.get()) != 1) return std::nullopt;
    unsigned flags = 0, config = 0;
    std::size_t nvalues = 1;
    unsigned values[1] = {0};
    char name[16];
    if (H5Pget_filter2(dcpl.get(), 0, &flags, &nvalues, values, sizeof name, name, &config) != H5Z_FILTER_DEFLATE)
        return std::nullopt;
    Datatype stored(H5Dget_type(dataset), where, "H5Dget_type");
    if (check(H5Tequal(stored.get(), memtype), where, "H5Tequal") <= 0) return std::nullopt;
    Dataspace space(H5Dget_space(dataset), where, "H5Dget_space");
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), where, "H5Sget_simple_extent_ndims");
    if (rank < 1) return std::nullopt;
    DirectChunks out;
    out.dims.resize(static_cast<std::size_t>(rank));
    out.chunk.resize(out.dims.size());
    check(H5Sget_simple_extent_dims(space.get(), out.dims.data(), nullptr), where, "H5Sget_simple_extent_dims");
    if (H5Pget_chunk(dcpl.get(), rank, out.chunk.data()) != rank) return std::nullopt;
    for (std::size_t i = 2; i < out.dims.size(); ++i)
        if (out.chunk[i] != out.dims[i]) return std::nullopt; // tiled further: HDF5 writes those
    out.item = H5Tget_size(stored.get());
    out.level = nvalues >= 1 ? static_cast<int>(values[0]) : 6;
    out.fill.assign(out.item, 0);
    H5D_fill_value_t defined = H5D_FILL_VALUE_UNDEFINED;
    check(H5Pfill_value_defined(dcpl.get(), &defined), where, "H5Pfill_value_defined");
    if (defined != H5D_FILL_VALUE_UNDEFINED)
        check(H5Pget_fill_value(dcpl.get(), stored.get(), out.fill.data()), where, "H5Pget_fill_value");
    return out;
}

std::size_t DirectChunks::row_bytes() const {
    std::size_t n = item;
    for (std::size_t i = 1; i < dims.size(); ++i)
        n *= dims[i];
    return n;
}

void DirectChunks::write(hid_t dataset, std::int64_t start, std::int64_t count, const std::uint8_t* rows,
                         const std::string& where) const {
    if (count <= 0) return;
    // Axis 0 (rows) and axis 1 (atoms of a padded frame) are tiled; a "cell" is one element of
    // axis 1 with every later axis: `cell` bytes.
    const auto c0 = static_cast<std::int64_t>(chunk[0]);
    const std::size_t d1 = dims.size() > 1 ? dims[1] : 1, c1 = dims.size() > 1 ? chunk[1] : 1;
    const std::size_t cell = row_bytes() / d1, row = row_bytes();
    const std::size_t chunk_bytes = static_cast<std::size_t>(c0) * c1 * cell;
    const std::int64_t first = start / c0, last = (start + count - 1) / c0;
    const std::size_t across = (d1 + c1 - 1) / c1; // chunks along axis 1

    struct Chunk {
        std::vector<hsize_t> offset;
        const std::uint8_t* input = nullptr; // the new rows themselves, when they are the chunk
        std::vector<std::uint8_t> bytes;     // otherwise the chunk assembled here
    };
    std::vector<Chunk> chunks;
    chunks.reserve(static_cast<std::size_t>(last - first + 1) * across);
    bool flushed = false;
    for (std::int64_t k0 = first; k0 <= last; ++k0) {
        const std::int64_t lo = std::max(start, k0 * c0), hi = std::min(start + count, (k0 + 1) * c0);
        const bool whole_rows = lo == k0 * c0 && hi == (k0 + 1) * c0;
        for (std::size_t k1 = 0; k1 < across; ++k1) {
            Chunk ch;
            ch.offset.assign(dims.size(), 0);
            ch.offset[0] = static_cast<hsize_t>(k0 * c0);
            if (dims.size() > 1) ch.offset[1] = k1 * c1;
            const std::size_t width = std::min(c1, d1 - k1 * c1); // cells of this chunk inside the extent
            if (whole_rows && across == 1 && width == c1) {
                ch.input = rows + static_cast<std::size_t>(lo - start) * row;
                chunks.push_back(std::move(ch));
                continue;
            }
            ch.bytes.resize(chunk_bytes);
            hsize_t stored = 0;
            const bool exists = !whole_rows && H5Dget_chunk_storage_size(dataset, ch.offset.data(), &stored) >= 0 &&
                                stored > 0;
            take_error_stack(); // a chunk never written is an error on some HDF5 versions
            if (exists) {
                if (!flushed) check(H5Dflush(dataset), where, "H5Dflush"); // chunks HDF5 still caches
                flushed = true;
                read_back(dataset, ch.offset.data(), stored, ch.bytes, where);
            } else {
                for (std::size_t i = 0; i < chunk_bytes; i += fill.size())
                    std::memcpy(ch.bytes.data() + i, fill.data(), fill.size());
            }
            for (std::int64_t g = lo; g < hi; ++g)
                std::memcpy(ch.bytes.data() + static_cast<std::size_t>(g - k0 * c0) * c1 * cell,
                            rows + static_cast<std::size_t>(g - start) * row + k1 * c1 * cell, width * cell);
            chunks.push_back(std::move(ch));
        }
    }

    // Compressed several at a time, stored in order (HDF5 itself runs on one thread).
    const std::size_t n = chunks.size();
    std::vector<std::vector<std::uint8_t>> out(n);
    std::vector<std::size_t> sizes(n);
    std::atomic<bool> failed{false};
    auto compress = [&](std::size_t from, std::size_t step) {
        std::unique_ptr<libdeflate_compressor, CompressorFree> c(libdeflate_alloc_compressor(level));
        if (!c) {
            failed = true;
            return;
        }
        for (std::size_t j = from; j < n; j += step) {
            const std::uint8_t* in = chunks[j].input ? chunks[j].input : chunks[j].bytes.data();
            out[j].resize(libdeflate_zlib_compress_bound(c.get(), chunk_bytes));
            sizes[j] = libdeflate_zlib_compress(c.get(), in, chunk_bytes, out[j].data(), out[j].size());
            if (sizes[j] == 0) failed = true;
        }
    };
    const unsigned threads = std::min<unsigned>(
        {kMaxThreads, std::max(1u, std::thread::hardware_concurrency()), static_cast<unsigned>(n)});
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(compress, t, threads);
    compress(0, threads);
    for (auto& t : pool)
        t.join();
    if (failed) throw BackendError(where + ": libdeflate could not compress a chunk");
    for (std::size_t j = 0; j < n; ++j)
        check(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, chunks[j].offset.data(), sizes[j], out[j].data()), where,
              "H5Dwrite_chunk");
}

} // namespace asebytes::columnar
