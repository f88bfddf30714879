#include "asebytes/mpi/synchronous_writer.hpp"

#include <algorithm>
#include <chrono>

namespace asebytes::mpi {

SynchronousWriter::SynchronousWriter(std::shared_ptr<ObjectReadWriteBackend> backend,
                                     std::size_t batch_frames)
    : backend_(std::move(backend)), batch_frames_(std::max<std::size_t>(batch_frames, 1)) {
    if (!backend_) throw Error("SynchronousWriter needs a writable backend");
}

SynchronousWriter::~SynchronousWriter() {
    try {
        flush();
    } catch (...) {
        // flush() reports errors to whoever calls it; a destructor must not throw.
    }
}

void SynchronousWriter::write(Row row) {
    pending_bytes_ += payload_bytes(row);
    pending_.emplace_back(std::move(row));
    stats_.peak_queued_bytes = std::max(stats_.peak_queued_bytes, pending_bytes_);
    if (pending_.size() >= batch_frames_) write_pending();
}

void SynchronousWriter::flush() {
    write_pending();
    const auto t0 = std::chrono::steady_clock::now();
    backend_->flush();
    stats_.writing_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void SynchronousWriter::write_pending() {
    if (pending_.empty()) return;
    const auto t0 = std::chrono::steady_clock::now();
    backend_->extend(pending_);
    stats_.writing_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    stats_.frames += pending_.size();
    stats_.batches += 1;
    stats_.bytes += pending_bytes_;
    pending_.clear();
    pending_bytes_ = 0;
}

} // namespace asebytes::mpi
