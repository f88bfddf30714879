#include "asebytes/mpi/collective_columnar.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace asebytes::mpi {

std::shared_ptr<ColumnarBackend> open_collective_columnar(const std::string& path, MPI_Comm comm,
                                                          const OpenOptions& options) {
    if (options.readonly)
        throw Error(path + ": a collective opening is for writing; open read-only stores as usual");
    const BackendEntry& entry = backend_for(path);
    if (!entry.metadata->parallel_writes)
        throw NotSupportedError(
            path + ": the " + entry.metadata->name +
            " backend cannot be written by every MPI rank; gather the frames to one rank");
    return entry.open_collective(path, options, std::make_shared<MPI_Comm>(comm));
}

namespace {

struct LocalColumn {
    std::string key, typestr;
    std::vector<std::int64_t> trailing;
    std::size_t row_bytes = 0;
    const NdArray* array = nullptr;
};

std::vector<LocalColumn> local_columns(const Row& local, std::size_t n_local) {
    std::vector<LocalColumn> out;
    for (const auto& [key, value] : local) { // std::map: the same order on every rank
        const NdArray& a = value.as_array();
        if (a.ndim() == 0 || static_cast<std::size_t>(a.shape()[0]) != n_local)
            throw TypeError("local_frame: '" + key + "' needs one row per local atom (" +
                            std::to_string(n_local) + ")");
        LocalColumn c{
            key, a.typestr(), {a.shape().begin() + 1, a.shape().end()}, itemsize_of(a.typestr()), &a};
        for (auto d : c.trailing)
            c.row_bytes *= static_cast<std::size_t>(d);
        out.push_back(std::move(c));
    }
    return out;
}

void check_mpi(int rc, const char* what) {
    if (rc != MPI_SUCCESS) throw Error(std::string("local_frame: ") + what + " failed");
}

} // namespace

// Every rank sends each atom to the rank that owns its row: rank r owns the contiguous rows
// [r N / p, (r + 1) N / p), so each rank's write is one hyperslab per frame (scattered rows make
// MPI-IO slow, and HDF5 merges many hyperslabs in quadratic time).
LocalFrame local_frame(MPI_Comm comm, Row global, const Row& local, const Slab& slab) {
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    const std::size_t n_local = slab.order.size();
    const auto columns = local_columns(local, n_local);
    std::size_t record = sizeof(std::uint64_t);
    for (const auto& c : columns)
        record += c.row_bytes;
    const std::uint64_t total = slab.total_atoms;
    std::vector<std::uint64_t> starts(static_cast<std::size_t>(size) + 1);
    for (int r = 0; r <= size; ++r)
        starts[static_cast<std::size_t>(r)] =
            total * static_cast<std::uint64_t>(r) / static_cast<std::uint64_t>(size);
    auto owner = [&](std::uint64_t row) {
        return static_cast<int>(std::upper_bound(starts.begin(), starts.end(), row) - starts.begin()) - 1;
    };
    // Pack (row, cells of every column) per destination rank.
    std::vector<int> send_counts(static_cast<std::size_t>(size), 0), recv_counts(send_counts);
    for (std::size_t j = 0; j < n_local; ++j)
        send_counts[static_cast<std::size_t>(owner(slab.rows[j]))] += static_cast<int>(record);
    std::vector<int> send_displs(static_cast<std::size_t>(size), 0), recv_displs(send_displs);
    for (int r = 1; r < size; ++r)
        send_displs[r] = send_displs[r - 1] + send_counts[r - 1];
    std::vector<char> send(n_local * record);
    std::vector<int> fill(send_displs);
    for (std::size_t j = 0; j < n_local; ++j) {
        char* out = send.data() + fill[static_cast<std::size_t>(owner(slab.rows[j]))];
        fill[static_cast<std::size_t>(owner(slab.rows[j]))] += static_cast<int>(record);
        std::memcpy(out, &slab.rows[j], sizeof(std::uint64_t));
        out += sizeof(std::uint64_t);
        for (const auto& c : columns) {
            std::memcpy(out, c.array->bytes() + slab.order[j] * c.row_bytes, c.row_bytes);
            out += c.row_bytes;
        }
    }
    check_mpi(MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, comm),
              "MPI_Alltoall");
    for (int r = 1; r < size; ++r)
        recv_displs[r] = recv_displs[r - 1] + recv_counts[r - 1];
    const std::size_t received = static_cast<std::size_t>(recv_displs[size - 1] + recv_counts[size - 1]);
    std::vector<char> recv(received);
    check_mpi(MPI_Alltoallv(send.data(), send_counts.data(), send_displs.data(), MPI_BYTE, recv.data(),
                            recv_counts.data(), recv_displs.data(), MPI_BYTE, comm),
              "MPI_Alltoallv");
    // This rank's rows, in order.
    const std::uint64_t lo = starts[static_cast<std::size_t>(rank)],
                        hi = starts[static_cast<std::size_t>(rank) + 1];
    if (received != (hi - lo) * record)
        throw Error("local_frame: rank " + std::to_string(rank) + " received " +
                    std::to_string(received / record) + " atoms for " + std::to_string(hi - lo) + " rows");
    std::vector<std::vector<std::uint8_t>> cells;
    for (const auto& c : columns)
        cells.emplace_back((hi - lo) * c.row_bytes);
    for (std::size_t k = 0; k < received / record; ++k) {
        const char* in = recv.data() + k * record;
        std::uint64_t row = 0;
        std::memcpy(&row, in, sizeof row);
        in += sizeof row;
        for (std::size_t c = 0; c < columns.size(); ++c) {
            std::memcpy(cells[c].data() + (row - lo) * columns[c].row_bytes, in, columns[c].row_bytes);
            in += columns[c].row_bytes;
        }
    }
    LocalFrame f;
    f.global = std::move(global);
    f.total_atoms = total;
    for (std::uint64_t row = lo; row < hi; ++row)
        f.atom_rows.push_back(row);
    for (std::size_t c = 0; c < columns.size(); ++c) {
        std::vector<std::int64_t> shape = columns[c].trailing;
        shape.insert(shape.begin(), static_cast<std::int64_t>(hi - lo));
        f.local[columns[c].key] = Value(NdArray(columns[c].typestr, std::move(shape), std::move(cells[c])));
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
    pending_atoms_ += frame.total_atoms; // the same on every rank: the decision is collective
    pending_.push_back(std::move(frame));
    if (pending_.size() >= batch_frames_ || pending_atoms_ >= kMaxBatchAtomRows) write_pending();
}

void CollectiveColumnarWriter::write_pending() {
    if (pending_.empty()) return;
    const auto start = std::chrono::steady_clock::now();
    std::vector<LocalFrame> batch;
    batch.swap(pending_);
    pending_atoms_ = 0;
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
