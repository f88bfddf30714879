#pragma once
// FrameWriter: the one interface through which a simulation whose atoms are spread over the
// ranks of a communicator writes its frames into a store: gathered to rank 0, where a
// BufferedWriter encodes and writes on a background thread; or, when asked and the store's
// backend can (metadata parallel_writes), every rank writing its own atoms into the same file
// (parallel HDF5: CollectiveColumnarWriter). Gathering is the default: it measured faster for
// every HDF5 store, compressed or not (docs/benchmarks.md, bench_parallel_write). Every member is
// collective: every rank calls them, in the same order.
#include <mpi.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "asebytes/backend.hpp"
#include "asebytes/mpi/buffered_writer.hpp"
#include "asebytes/mpi/frame_gatherer.hpp"
#include "asebytes/registry.hpp"

namespace asebytes::mpi {

class FrameWriter {
public:
    virtual ~FrameWriter() = default;
    /// The per-atom columns of the frames that follow, in the order write() gets their data.
    virtual void set_columns(std::vector<Column> columns) = 0;
    /// One frame: `globals` (its per-frame values, the same on every rank) and this rank's
    /// `n_local` atoms, their ids and one pointer per column (as FrameGatherer::gather).
    /// `is_repeat` is asked on rank 0, with the frame as far as rank 0 assembles it (every key
    /// when it is gathered, the per-frame values alone when every rank writes its own atoms);
    /// true leaves the frame out. Returns, on every rank, whether the frame was written.
    virtual bool write(Row globals, std::size_t n_local, const std::int64_t* ids,
                       const std::vector<const void*>& data,
                       const std::function<bool(const Row&)>& is_repeat) = 0;
    /// Returns once every frame written so far is durable in the store.
    virtual void flush() = 0;
    /// flush(), then releases the store. Idempotent.
    virtual void close() = 0;
    /// On rank 0: frames and time so far.
    virtual WriterStats stats() const = 0;
    /// On rank 0: how the frames were written, for a log line ("(2.26 MB) to x.lmdb; ...").
    virtual std::string summary(const std::string& location) const = 0;
};

/// How the frames of a communicator of several ranks reach the store.
enum class ParallelWrites {
    Gather,    ///< to rank 0 (the default)
    EveryRank, ///< every rank writes its own atoms, where the backend can (parallel_writes)
};

/// Whether frames of `comm` go into the store at `path` from every rank: asked for, the
/// backend's metadata says parallel_writes, and there is more than one rank.
bool writes_collectively(const std::string& path, MPI_Comm comm, ParallelWrites mode);

/// Collective: the writer for the store at `path`. `root_backend` is the store as rank 0 opened
/// it (null elsewhere); when every rank writes, it is released and every rank opens the store.
std::unique_ptr<FrameWriter> open_frame_writer(MPI_Comm comm, const std::string& path,
                                               const OpenOptions& options, const WriterLimits& limits,
                                               std::shared_ptr<ObjectReadWriteBackend> root_backend,
                                               ParallelWrites mode = ParallelWrites::Gather);

} // namespace asebytes::mpi
