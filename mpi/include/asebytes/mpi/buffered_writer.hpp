#pragma once
// BufferedWriter: the MD thread hands frames to a bounded queue; a background thread encodes and
// writes them in batches (one backend transaction per batch). The writer thread makes no MPI
// call, so MPI_THREAD_FUNNELED is enough.
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "asebytes/backend.hpp"
#include "asebytes/mpi/frame_sink.hpp"

namespace asebytes::mpi {

struct WriterLimits {
    std::size_t max_frames = 64; ///< frames queued or being written
    std::size_t max_bytes = std::size_t{256}
                            << 20; ///< their payload bytes (one larger frame still passes alone)
    std::size_t batch_frames = 32; ///< most frames per backend transaction
    /// Let the writer thread leave the core mpirun bound its rank to and run at batch priority,
    /// so encoding and I/O use idle CPUs instead of taking turns with the MD thread.
    bool writer_on_any_cpu = true;
};

class BufferedWriter : public FrameSink {
public:
    BufferedWriter(std::shared_ptr<ObjectReadWriteBackend> backend, WriterLimits limits = {});
    /// Flushes what is queued and stops the thread; errors are swallowed here (call close() to see them).
    ~BufferedWriter() override;
    BufferedWriter(const BufferedWriter&) = delete;
    BufferedWriter& operator=(const BufferedWriter&) = delete;

    /// Queues a frame; waits while the queue is full. Rethrows an error of the writer thread.
    void write(Row row) override;
    /// Waits until every queued frame is written and synced. Rethrows an error of the writer thread.
    void flush() override;
    /// flush(), then stops the writer thread. Idempotent.
    void close();
    WriterStats stats() const override;

private:
    void run();
    void write_batch(std::vector<Row>& batch, std::uint64_t batch_bytes);
    void rethrow_locked() const;

    std::shared_ptr<ObjectReadWriteBackend> backend_;
    WriterLimits limits_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::pair<Row, std::uint64_t>> queue_;
    std::uint64_t held_bytes_ = 0; // queued + being written
    std::size_t held_frames_ = 0;
    std::uint64_t enqueued_ = 0, written_ = 0, synced_ = 0, sync_requested_ = 0;
    bool stopping_ = false;
    std::exception_ptr error_;
    WriterStats stats_;
    std::thread thread_;
};

} // namespace asebytes::mpi
