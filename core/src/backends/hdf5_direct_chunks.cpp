#include "hdf5_direct_chunks.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
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

// The stored size of the chunk at `offset`; 0 for a chunk never written.
hsize_t stored_size(hid_t dataset, const hsize_t* offset) {
    hsize_t stored = 0;
    if (H5Dget_chunk_storage_size(dataset, offset, &stored) < 0) stored = 0;
    take_error_stack(); // a chunk never written is an error on some HDF5 versions
    return stored;
}

// The stored bytes of the chunk at `offset` (`stored` of them), and its filter mask.
std::vector<std::uint8_t> read_stored(hid_t dataset, const hsize_t* offset, hsize_t stored,
                                      std::uint32_t& mask, const std::string& where) {
    std::vector<std::uint8_t> raw(stored);
    check(H5Dread_chunk(dataset, H5P_DEFAULT, offset, &mask, raw.data()), where, "H5Dread_chunk");
    return raw;
}

// A chunk's stored bytes (`mask`: its filter mask) as the `n` bytes they hold, into `target`;
// `d` is made on first use.
void inflate(const std::vector<std::uint8_t>& raw, std::uint32_t mask, std::uint8_t* target, std::size_t n,
             std::unique_ptr<libdeflate_decompressor, DecompressorFree>& d, const std::string& where) {
    if (mask & 1u) { // stored without the filter
        if (raw.size() != n)
            throw CorruptDataError(where + ": an unfiltered chunk of " + std::to_string(raw.size()) +
                                   " bytes, not " + std::to_string(n));
        std::memcpy(target, raw.data(), n);
        return;
    }
    if (!d) d.reset(libdeflate_alloc_decompressor());
    std::size_t got = 0;
    if (!d ||
        libdeflate_zlib_decompress(d.get(), raw.data(), raw.size(), target, n, &got) != LIBDEFLATE_SUCCESS ||
        got != n)
        throw CorruptDataError(where + ": a stored chunk does not inflate to its " + std::to_string(n) +
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
    if (H5Pget_filter2(dcpl.get(), 0, &flags, &nvalues, values, sizeof name, name, &config) !=
        H5Z_FILTER_DEFLATE)
        return std::nullopt;
    Datatype stored(H5Dget_type(dataset), where, "H5Dget_type");
    if (check(H5Tequal(stored.get(), memtype), where, "H5Tequal") <= 0) return std::nullopt;
    Dataspace space(H5Dget_space(dataset), where, "H5Dget_space");
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), where, "H5Sget_simple_extent_ndims");
    if (rank < 1) return std::nullopt;
    DirectChunks out;
    out.dims.resize(static_cast<std::size_t>(rank));
    out.chunk.resize(out.dims.size());
    check(H5Sget_simple_extent_dims(space.get(), out.dims.data(), nullptr), where,
          "H5Sget_simple_extent_dims");
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

std::size_t DirectChunks::chunk_bytes() const {
    return static_cast<std::size_t>(chunk[0]) * chunk_width() * cell_bytes();
}

std::vector<DirectChunks::Span> DirectChunks::spans(std::int64_t start, std::int64_t count) const {
    const auto c0 = static_cast<std::int64_t>(chunk[0]);
    const std::size_t d1 = dims.size() > 1 ? dims[1] : 1, c1 = chunk_width();
    const std::size_t across = (d1 + c1 - 1) / c1; // chunks along axis 1
    std::vector<Span> out;
    if (count <= 0) return out;
    const std::int64_t first = start / c0, last = (start + count - 1) / c0;
    out.reserve(static_cast<std::size_t>(last - first + 1) * across);
    for (std::int64_t k0 = first; k0 <= last; ++k0)
        for (std::size_t k1 = 0; k1 < across; ++k1) {
            Span sp;
            sp.offset.assign(dims.size(), 0);
            sp.offset[0] = static_cast<hsize_t>(k0 * c0);
            if (dims.size() > 1) sp.offset[1] = k1 * c1;
            sp.lo = std::max(start, k0 * c0);
            sp.hi = std::min(start + count, (k0 + 1) * c0);
            sp.first_cell = k1 * c1;
            sp.width = std::min(c1, d1 - k1 * c1);
            sp.whole_rows = sp.lo == k0 * c0 && sp.hi == (k0 + 1) * c0;
            sp.contiguous = sp.whole_rows && across == 1 && sp.width == c1;
            out.push_back(std::move(sp));
        }
    return out;
}

namespace {
// `n` bytes of `fill` repeated (one element's fill value).
void fill_with(std::uint8_t* target, std::size_t n, const std::vector<std::uint8_t>& fill) {
    for (std::size_t i = 0; i < n; i += fill.size())
        std::memcpy(target + i, fill.data(), fill.size());
}

// Runs body(j) for j in [0, n) on up to kMaxThreads threads; rethrows the first failure.
template <class Body> void in_parallel(std::size_t n, Body&& body) {
    const unsigned threads = std::min<unsigned>(
        {kMaxThreads, std::max(1u, std::thread::hardware_concurrency()), static_cast<unsigned>(n)});
    std::vector<std::exception_ptr> errors(threads);
    auto run = [&](unsigned t) {
        try {
            for (std::size_t j = t; j < n; j += threads)
                body(j, t);
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(run, t);
    run(0);
    for (auto& t : pool)
        t.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}
} // namespace

void DirectChunks::write(hid_t dataset, std::int64_t start, std::int64_t count, const std::uint8_t* rows,
                         const std::string& where) const {
    auto parts = spans(start, count);
    const std::size_t bytes = chunk_bytes(), n = parts.size();
    // Each chunk's bytes: the new rows themselves where they are the chunk; else assembled from
    // its stored rows (or the fill value) and the new ones.
    std::vector<std::vector<std::uint8_t>> assembled(n);
    std::unique_ptr<libdeflate_decompressor, DecompressorFree> inflater;
    bool flushed = false;
    for (std::size_t j = 0; j < n; ++j) {
        const Span& sp = parts[j];
        if (sp.contiguous) continue;
        auto& chunk_bytes = assembled[j];
        chunk_bytes.resize(bytes);
        const hsize_t stored = sp.whole_rows ? 0 : stored_size(dataset, sp.offset.data());
        if (stored > 0) {
            if (!flushed) check(H5Dflush(dataset), where, "H5Dflush"); // chunks HDF5 still caches
            flushed = true;
            std::uint32_t mask = 0;
            const auto raw = read_stored(dataset, sp.offset.data(), stored, mask, where);
            inflate(raw, mask, chunk_bytes.data(), bytes, inflater, where);
        } else {
            fill_with(chunk_bytes.data(), bytes, fill);
        }
        for_each_row(sp, start, [&](std::size_t in_chunk, std::size_t in_rows, std::size_t n_bytes) {
            std::memcpy(chunk_bytes.data() + in_chunk, rows + in_rows, n_bytes);
        });
    }
    // Compressed several at a time, stored in order (HDF5 itself runs on one thread).
    std::vector<std::vector<std::uint8_t>> out(n);
    std::vector<std::size_t> sizes(n);
    std::vector<std::unique_ptr<libdeflate_compressor, CompressorFree>> compressors(kMaxThreads);
    in_parallel(n, [&](std::size_t j, unsigned t) {
        auto& c = compressors[t];
        if (!c) c.reset(libdeflate_alloc_compressor(level));
        if (!c)
            throw BackendError(where + ": libdeflate could not make a compressor of level " +
                               std::to_string(level));
        const std::uint8_t* in = parts[j].contiguous
                                     ? rows + static_cast<std::size_t>(parts[j].lo - start) * row_bytes()
                                     : assembled[j].data();
        out[j].resize(libdeflate_zlib_compress_bound(c.get(), bytes));
        sizes[j] = libdeflate_zlib_compress(c.get(), in, bytes, out[j].data(), out[j].size());
        if (sizes[j] == 0) throw BackendError(where + ": libdeflate could not compress a chunk");
    });
    for (std::size_t j = 0; j < n; ++j)
        check(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, parts[j].offset.data(), sizes[j], out[j].data()), where,
              "H5Dwrite_chunk");
}

void DirectChunks::read(hid_t dataset, std::int64_t start, std::int64_t count, std::uint8_t* rows,
                        bool flush_first, const std::string& where) const {
    const auto parts = spans(start, count);
    const std::size_t bytes = chunk_bytes(), n = parts.size();
    if (n == 0) return;
    if (flush_first) check(H5Dflush(dataset), where, "H5Dflush");
    // The stored bytes of each chunk, read in order (HDF5 runs on one thread), then inflated
    // several at a time: straight into `rows` where a chunk is a stretch of them.
    std::vector<std::vector<std::uint8_t>> raw(n);
    std::vector<std::uint32_t> masks(n, 0);
    for (std::size_t j = 0; j < n; ++j)
        if (const hsize_t stored = stored_size(dataset, parts[j].offset.data()); stored > 0)
            raw[j] = read_stored(dataset, parts[j].offset.data(), stored, masks[j], where);
    std::vector<std::unique_ptr<libdeflate_decompressor, DecompressorFree>> inflaters(kMaxThreads);
    in_parallel(n, [&](std::size_t j, unsigned t) {
        const Span& sp = parts[j];
        std::vector<std::uint8_t> scratch;
        std::uint8_t* target = rows + static_cast<std::size_t>(sp.lo - start) * row_bytes();
        if (!sp.contiguous) {
            scratch.resize(bytes);
            target = scratch.data();
        }
        if (raw[j].empty())
            fill_with(target, bytes, fill);
        else
            inflate(raw[j], masks[j], target, bytes, inflaters[t],
                    where + ", chunk at row " + std::to_string(sp.offset[0]));
        if (!sp.contiguous)
            for_each_row(sp, start, [&](std::size_t in_chunk, std::size_t in_rows, std::size_t n_bytes) {
                std::memcpy(rows + in_rows, target + in_chunk, n_bytes);
            });
    });
}

} // namespace asebytes::columnar
