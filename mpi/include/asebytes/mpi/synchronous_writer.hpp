#pragma once
// SynchronousWriter: batches frames and writes them on the calling thread. For backends that
// write collectively from every MPI rank, where the write must happen on the MD thread.
#include <memory>
#include <vector>

#include "asebytes/backend.hpp"
#include "asebytes/mpi/frame_sink.hpp"

namespace asebytes::mpi {

class SynchronousWriter : public FrameSink {
public:
    SynchronousWriter(std::shared_ptr<ObjectReadWriteBackend> backend, std::size_t batch_frames = 32);
    ~SynchronousWriter() override;
    void write(Row row) override;
    void flush() override;
    WriterStats stats() const override { return stats_; }

private:
    void write_pending();

    std::shared_ptr<ObjectReadWriteBackend> backend_;
    std::size_t batch_frames_;
    std::vector<std::optional<Row>> pending_;
    std::uint64_t pending_bytes_ = 0;
    WriterStats stats_;
};

} // namespace asebytes::mpi
