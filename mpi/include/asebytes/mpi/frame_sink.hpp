#pragma once
// Where assembled frames go. BufferedWriter writes on a background thread (one writer rank);
// SynchronousWriter writes on the calling thread in batches, the seam for backends that write
// collectively from every rank (parallel HDF5).
#include <cstdint>

#include "asebytes/value.hpp"

namespace asebytes::mpi {

struct WriterStats {
    std::uint64_t frames = 0;            ///< frames written to the backend
    std::uint64_t batches = 0;           ///< backend transactions
    std::uint64_t bytes = 0;             ///< payload bytes of the frames (array data, strings)
    double blocked_seconds = 0.0;        ///< time the producer waited for room in the queue
    double writing_seconds = 0.0;        ///< time spent in the backend (encode + write + sync)
    std::uint64_t peak_queued_bytes = 0; ///< most payload held at once (queued or being written)
};

class FrameSink {
public:
    virtual ~FrameSink() = default;
    /// Hands over one frame (flat row); may wait for room, never drops it.
    virtual void write(Row row) = 0;
    /// Returns once every frame handed over so far is durable in the store.
    virtual void flush() = 0;
    virtual WriterStats stats() const = 0;
};

/// Payload size of a row, as the writers count it for their memory bounds.
std::uint64_t payload_bytes(const Row& row);

} // namespace asebytes::mpi
