#include "asebytes/mpi/collective_columnar.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace asebytes::mpi {

std::shared_ptr<ColumnarBackend> open_collective_columnar(const std::string& path, MPI_Comm comm,
                                                          const OpenOptions& options) {
    if (options.readonly)
        throw Error(path + ": a collective opening is for writing; open read-only stores as usual");
    ColumnarSettings settings = ColumnarBackend::settings_for(path, options);
    settings.mpi_comm = &comm;
    return std::make_shared<ColumnarBackend>(path, options.group.value_or("default"), settings);
}

LocalFrame local_frame(Row global, const Row& local, const Slab& slab) {
    LocalFrame f;
    f.global = std::move(global);
    f.total_atoms = slab.total_atoms;
    f.atom_rows = slab.rows;
    for (const auto& [key, value] : local) {
        const NdArray& a = value.as_array();
        if (a.ndim() == 0 || static_cast<std::size_t>(a.shape()[0]) != slab.order.size())
            throw TypeError("local_frame: '" + key + "' needs one row per local atom (" +
                            std::to_string(slab.order.size()) + ")");
        const std::size_t row_bytes = slab.order.empty() ? 0 : a.nbytes() / slab.order.size();
        std::vector<std::uint8_t> bytes(a.nbytes());
        for (std::size_t j = 0; j < slab.order.size(); ++j)
            std::memcpy(bytes.data() + j * row_bytes, a.bytes() + slab.order[j] * row_bytes, row_bytes);
        f.local[key] = Value(NdArray(a.typestr(), a.shape(), std::move(bytes)));
    }
    return f;
}

CollectiveColumnarWriter::CollectiveColumnarWriter(std::shared_ptr<ColumnarBackend> store,
                                                   std::size_t batch_frames)
    : store_(std::move(store)), batch_frames_(std::max<std::size_t>(1, batch_frames)) {}

CollectiveColumnarWriter::~CollectiveColumnarWriter() {
    try {
        close();
    } catch (...) {
        // Destructors do not throw; close() explicitly to see the error.
    }
}

void CollectiveColumnarWriter::write(LocalFrame frame) {
    if (!store_) throw Error("CollectiveColumnarWriter: write after close");
    pending_.push_back(std::move(frame));
    if (pending_.size() >= batch_frames_) write_pending();
}

void CollectiveColumnarWriter::write_pending() {
    if (pending_.empty()) return;
    const auto start = std::chrono::steady_clock::now();
    std::vector<LocalFrame> batch;
    batch.swap(pending_);
    store_->extend_collective(batch);
    stats_.frames += batch.size();
    stats_.batches += 1;
    for (const auto& f : batch)
        stats_.bytes += payload_bytes(f.global) + payload_bytes(f.local);
    stats_.writing_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void CollectiveColumnarWriter::flush() {
    if (!store_) return;
    write_pending();
    store_->flush();
}

void CollectiveColumnarWriter::close() {
    if (!store_) return;
    flush();
    store_.reset();
}

} // namespace asebytes::mpi
