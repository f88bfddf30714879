#pragma once
// Reading many rows a chunk at a time, each chunk bounded in bytes as well as in rows: a fixed
// row count does not bound memory (1000 frames of 100,000 atoms are gigabytes). A chunk holds as
// many rows as the byte budget allows at the size of the largest row read so far.
#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "asebytes/backend.hpp"

namespace asebytes {

/// Bytes a value occupies in memory: array data, string and bytes lengths, nested items; 8 for
/// a scalar.
std::size_t value_bytes(const Value& value);
/// An encoded value (blob tier): its length.
inline std::size_t value_bytes(const std::string& encoded) { return encoded.size(); }

/// Bytes of a row's keys and values; a placeholder row weighs nothing.
template <class V> std::size_t row_bytes(const std::optional<std::map<std::string, V>>& row) {
    std::size_t bytes = 0;
    if (row)
        for (const auto& [key, value] : *row)
            bytes += key.size() + value_bytes(value);
    return bytes;
}

/// How large one chunk may be.
struct ChunkLimits {
    std::size_t max_bytes = std::size_t{16} << 20; ///< rows' in-memory size (row_bytes)
    std::size_t max_rows = 1000;
    std::size_t first_rows = 16; ///< the first chunk, read before any row size is known

    /// Rows in the next chunk when the largest row read so far weighs `largest_row` bytes (0:
    /// nothing read yet); at least 1.
    std::size_t rows_for(std::size_t largest_row) const;
};

/// Consecutive chunks of a list of row indices within ChunkLimits: next() gives a chunk's
/// indices, weigh() takes the rows read for it, whose largest sizes the chunks that follow.
class RowChunks {
public:
    /// `rows` must outlive this object.
    explicit RowChunks(const Indices& rows, ChunkLimits limits = {});

    bool done() const { return at_ == rows_.size(); }
    /// Rows handed out by next() so far.
    std::size_t position() const { return at_; }
    /// The indices of the next chunk (empty once done()).
    Indices next();
    /// Records the rows just read for the last chunk.
    template <class MaybeRow> void weigh(const std::vector<MaybeRow>& rows) {
        for (const auto& row : rows)
            largest_row_ = std::max(largest_row_, row_bytes(row));
    }

private:
    const Indices& rows_;
    ChunkLimits limits_;
    std::size_t at_ = 0;
    std::size_t largest_row_ = 0; ///< 0: nothing weighed yet
};

/// Reads `rows` of `source` (only `keys` when given) in RowChunks and calls
/// visit(chunk indices, chunk rows) for each; one chunk is in memory at a time.
template <class V, class Visit>
void for_each_chunk(ReadBackend<V>& source, const Indices& rows, const std::optional<Keys>& keys,
                    const ChunkLimits& limits, Visit&& visit) {
    RowChunks chunks(rows, limits);
    while (!chunks.done()) {
        const Indices chunk = chunks.next();
        auto read = source.get_many(chunk, keys);
        chunks.weigh(read);
        visit(chunk, read);
    }
}

} // namespace asebytes
