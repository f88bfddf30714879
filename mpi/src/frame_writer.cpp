// The two ways of asebytes/mpi/frame_writer.hpp.
#include "asebytes/mpi/frame_writer.hpp"

#include <algorithm>
#include <cstdio>

#include "asebytes/mpi/collective_columnar.hpp"
#include "asebytes/registry.hpp"

namespace asebytes::mpi {
namespace {

int rank_of(MPI_Comm comm) {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    return rank;
}

// rank 0's decision, on every rank.
bool decided_on_root(MPI_Comm comm, bool on_root) {
    int flag = on_root ? 1 : 0;
    MPI_Bcast(&flag, 1, MPI_INT, 0, comm);
    return flag != 0;
}

// Gathered to rank 0 (FrameGatherer), written there on a background thread (BufferedWriter).
class GatheringWriter : public FrameWriter {
public:
    GatheringWriter(MPI_Comm comm, std::unique_ptr<BufferedWriter> sink)
        : comm_(comm), sink_(std::move(sink)) {}
    void set_columns(std::vector<Column> columns) override {
        gatherer_ = std::make_unique<FrameGatherer>(comm_, std::move(columns), 0);
    }
    bool write(Row globals, std::size_t n_local, const std::int64_t* ids,
               const std::vector<const void*>& data,
               const std::function<bool(const Row&)>& is_repeat) override {
        gatherer_->gather(n_local, ids, data, globals);
        const bool root = gatherer_->is_root();
        if (decided_on_root(comm_, root && is_repeat(globals))) return false;
        if (root) sink_->write(std::move(globals));
        return true;
    }
    void flush() override {
        if (sink_) sink_->flush();
    }
    void close() override {
        if (sink_) sink_->close();
    }
    WriterStats stats() const override { return sink_ ? sink_->stats() : WriterStats{}; }
    std::string summary(const std::string& location) const override {
        const auto s = stats();
        char buf[512];
        std::snprintf(
            buf, sizeof buf,
            "(%.2f MB) to %s; MD waited %.3f s for the writer, writer busy %.3f s in %llu transactions",
            static_cast<double>(s.bytes) / 1e6, location.c_str(), s.blocked_seconds, s.writing_seconds,
            static_cast<unsigned long long>(s.batches));
        return buf;
    }

private:
    MPI_Comm comm_;
    std::unique_ptr<BufferedWriter> sink_; // rank 0 only
    std::unique_ptr<FrameGatherer> gatherer_;
};

// Every rank writes its own atoms at their rows (parallel HDF5), on the calling thread.
class EveryRankWriter : public FrameWriter {
public:
    EveryRankWriter(MPI_Comm comm, std::unique_ptr<CollectiveColumnarWriter> writer)
        : comm_(comm), writer_(std::move(writer)) {}
    void set_columns(std::vector<Column> columns) override {
        gatherer_ = std::make_unique<FrameGatherer>(comm_, std::move(columns), 0);
    }
    bool write(Row globals, std::size_t n_local, const std::int64_t* ids,
               const std::vector<const void*>& data,
               const std::function<bool(const Row&)>& is_repeat) override {
        if (decided_on_root(comm_, rank_of(comm_) == 0 && is_repeat(globals))) return false;
        Row local;
        const auto& columns = gatherer_->columns();
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const std::size_t width = std::max<std::size_t>(columns[c].width, 1);
            std::vector<std::int64_t> shape{static_cast<std::int64_t>(n_local)};
            if (columns[c].width) shape.push_back(static_cast<std::int64_t>(columns[c].width));
            const auto* bytes = static_cast<const std::uint8_t*>(data[c]);
            const std::size_t size = n_local * width * itemsize_of(typestr_of(columns[c].dtype));
            local[columns[c].key] =
                NdArray(typestr_of(columns[c].dtype), shape, std::vector<std::uint8_t>(bytes, bytes + size));
        }
        writer_->write(local_frame(comm_, std::move(globals), local, gatherer_->slab(n_local, ids)));
        return true;
    }
    void flush() override { writer_->flush(); }
    void close() override { writer_->close(); }
    WriterStats stats() const override { return writer_->stats(); }
    std::string summary(const std::string& location) const override {
        const auto s = stats();
        char buf[512];
        std::snprintf(
            buf, sizeof buf,
            "to %s, every rank writing its own atoms (parallel HDF5): %.3f s in %llu collective writes on "
            "rank 0",
            location.c_str(), s.writing_seconds, static_cast<unsigned long long>(s.batches));
        return buf;
    }

private:
    MPI_Comm comm_;
    std::unique_ptr<CollectiveColumnarWriter> writer_;
    std::unique_ptr<FrameGatherer> gatherer_;
};

} // namespace

bool writes_collectively(const std::string& path, MPI_Comm comm, ParallelWrites mode) {
    int size = 1;
    MPI_Comm_size(comm, &size);
    return mode == ParallelWrites::EveryRank && size > 1 && backend_for(path).metadata->parallel_writes;
}

std::unique_ptr<FrameWriter> open_frame_writer(MPI_Comm comm, const std::string& path,
                                               const OpenOptions& options, const WriterLimits& limits,
                                               std::shared_ptr<ObjectReadWriteBackend> root_backend,
                                               ParallelWrites mode) {
    if (writes_collectively(path, comm, mode)) {
        root_backend.reset(); // every rank opens the file now, rank 0 included
        auto store = open_collective_columnar(path, comm, options);
        return std::make_unique<EveryRankWriter>(
            comm, std::make_unique<CollectiveColumnarWriter>(std::move(store), limits.batch_frames));
    }
    std::unique_ptr<BufferedWriter> sink;
    if (rank_of(comm) == 0) sink = std::make_unique<BufferedWriter>(std::move(root_backend), limits);
    return std::make_unique<GatheringWriter>(comm, std::move(sink));
}

} // namespace asebytes::mpi
