#include "asebytes/mpi/buffered_writer.hpp"

#include <algorithm>
#include <chrono>

#include "thread_placement.hpp"

namespace asebytes::mpi {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::uint64_t value_bytes(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Array:
        return v.as_array().nbytes();
    case Value::Kind::String:
        return v.as_string().size();
    case Value::Kind::Binary:
        return v.as_binary().size();
    case Value::Kind::List: {
        std::uint64_t n = 0;
        for (const auto& x : v.as_list())
            n += value_bytes(x);
        return n;
    }
    case Value::Kind::Map: {
        std::uint64_t n = 0;
        for (const auto& [k, x] : v.as_map())
            n += k.size() + value_bytes(x);
        return n;
    }
    default:
        return 8;
    }
}

} // namespace

std::uint64_t payload_bytes(const Row& row) {
    std::uint64_t n = 0;
    for (const auto& [k, v] : row)
        n += k.size() + value_bytes(v);
    return n;
}

BufferedWriter::BufferedWriter(std::shared_ptr<ObjectReadWriteBackend> backend, WriterLimits limits)
    : backend_(std::move(backend)), limits_(limits) {
    if (!backend_) throw Error("BufferedWriter needs a writable backend");
    if (limits_.max_frames == 0 || limits_.batch_frames == 0)
        throw Error("BufferedWriter: max_frames and batch_frames must be positive");
    thread_ = std::thread(&BufferedWriter::run, this);
}

BufferedWriter::~BufferedWriter() {
    try {
        close();
    } catch (...) {
        // close() reports errors to whoever calls it; a destructor must not throw.
    }
}

void BufferedWriter::rethrow_locked() const {
    if (error_) std::rethrow_exception(error_);
}

void BufferedWriter::write(Row row) {
    const std::uint64_t bytes = payload_bytes(row);
    std::unique_lock<std::mutex> lock(mutex_);
    rethrow_locked();
    if (stopping_) throw Error("BufferedWriter: write() after close()");
    // A frame larger than the byte limit still goes through once nothing else is held.
    auto room = [&] {
        return error_ || held_frames_ == 0 ||
               (held_frames_ < limits_.max_frames && held_bytes_ + bytes <= limits_.max_bytes);
    };
    if (!room()) {
        const auto t0 = Clock::now();
        changed_.wait(lock, room);
        stats_.blocked_seconds += seconds_since(t0);
    }
    rethrow_locked();
    queue_.emplace_back(std::move(row), bytes);
    ++held_frames_;
    held_bytes_ += bytes;
    ++enqueued_;
    stats_.peak_queued_bytes = std::max(stats_.peak_queued_bytes, held_bytes_);
    changed_.notify_all();
}

void BufferedWriter::flush() {
    std::unique_lock<std::mutex> lock(mutex_);
    rethrow_locked();
    const std::uint64_t target = enqueued_;
    sync_requested_ = std::max(sync_requested_, target);
    changed_.notify_all();
    changed_.wait(lock, [&] { return error_ || synced_ >= target; });
    rethrow_locked();
}

void BufferedWriter::close() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!thread_.joinable()) {
            rethrow_locked();
            return;
        }
    }
    std::exception_ptr failure;
    try {
        flush();
    } catch (...) {
        failure = std::current_exception();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
    if (failure) std::rethrow_exception(failure);
}

WriterStats BufferedWriter::stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
}

void BufferedWriter::run() {
    if (limits_.writer_on_any_cpu) release_to_idle_cpus();
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return !queue_.empty() || stopping_ || sync_requested_ > synced_; });
        try {
            if (!queue_.empty()) {
                std::vector<Row> batch;
                std::uint64_t batch_bytes = 0;
                while (!queue_.empty() && batch.size() < limits_.batch_frames) {
                    batch.push_back(std::move(queue_.front().first));
                    batch_bytes += queue_.front().second;
                    queue_.pop_front();
                }
                lock.unlock();
                const auto t0 = Clock::now();
                write_batch(batch, batch_bytes);
                const double took = seconds_since(t0);
                lock.lock();
                written_ += batch.size();
                held_frames_ -= batch.size();
                held_bytes_ -= batch_bytes;
                stats_.frames += batch.size();
                stats_.batches += 1;
                stats_.bytes += batch_bytes;
                stats_.writing_seconds += took;
            } else if (sync_requested_ > synced_) {
                const std::uint64_t target = written_; // the queue is empty: everything is written
                lock.unlock();
                const auto t0 = Clock::now();
                backend_->flush();
                const double took = seconds_since(t0);
                lock.lock();
                synced_ = target;
                stats_.writing_seconds += took;
            } else {
                return; // stopping, nothing left
            }
        } catch (...) {
            if (!lock.owns_lock()) lock.lock();
            error_ = std::current_exception();
            changed_.notify_all();
            return;
        }
        changed_.notify_all();
    }
}

void BufferedWriter::write_batch(std::vector<Row>& batch, std::uint64_t) {
    std::vector<std::optional<Row>> rows;
    rows.reserve(batch.size());
    for (auto& r : batch)
        rows.emplace_back(std::move(r));
    backend_->extend(rows);
}

} // namespace asebytes::mpi
