#pragma once
// Parallel HDF5 for the columnar stores (*.h5, *.h5p, and *.h5md: its padded table): every rank of a
// communicator opens the same file and writes its own atoms of each frame at their rows, in one collective
// write per dataset. FrameGatherer::slab gives each rank the rows of its atoms.
#include <mpi.h>

#include <memory>
#include <string>

#include "asebytes/backends/columnar.hpp"
#include "asebytes/mpi/frame_gatherer.hpp"
#include "asebytes/mpi/frame_sink.hpp"

namespace asebytes::mpi {

/// Collective over `comm`: opens (or creates) the columnar store at `path` on every rank, with
/// the registry's options (compression, compression_opts, chunk_frames; the group).
std::shared_ptr<ColumnarBackend> open_collective_columnar(const std::string& path, MPI_Comm comm,
                                                          const OpenOptions& options = {});

/// Collective over `comm`: this rank's LocalFrame of a frame whose atoms are spread over the
/// ranks (`local`: per-atom arrays of this rank's atoms, rows in the order `slab` was made from;
/// `slab` from FrameGatherer::slab). The atoms are exchanged so that each rank holds one
/// contiguous stretch of rows (the frame's rows split evenly), which it writes as one hyperslab.
LocalFrame local_frame(MPI_Comm comm, Row global, const Row& local, const Slab& slab);

/// Batches this rank's LocalFrames and writes them with extend_collective on the calling
/// thread (collective writes cannot run on a background thread of one rank). Every rank calls
/// write, flush and close in the same order.
class CollectiveColumnarWriter {
public:
    CollectiveColumnarWriter(std::shared_ptr<ColumnarBackend> store, std::size_t batch_frames = 32);
    ~CollectiveColumnarWriter();
    /// Collective once `batch_frames` frames, or kMaxBatchAtomRows atom rows, are pending.
    void write(LocalFrame frame);
    /// Atom rows per collective write at most. A compressed .h5 column is chunked by 64 atom rows
    /// (upstream's layout), and HDF5 1.10.8 with OpenMPI 4.1 fails (writev: Bad address, or a
    /// crash) when one collective write spans ~32k chunks of a dataset, e.g. 64 frames of 32,000
    /// atoms; 1M rows worked (bench_parallel_write --atoms 32000 --frames 64 reproduces it).
    static constexpr std::size_t kMaxBatchAtomRows = std::size_t{1} << 19;
    /// Collective: writes what is pending and flushes the file.
    void flush();
    /// Collective: flush, then closes the store.
    void close();
    WriterStats stats() const { return stats_; }

private:
    void write_pending();

    std::shared_ptr<ColumnarBackend> store_;
    std::size_t batch_frames_;
    std::vector<LocalFrame> pending_;
    std::size_t pending_atoms_ = 0;
    WriterStats stats_;
};

} // namespace asebytes::mpi
