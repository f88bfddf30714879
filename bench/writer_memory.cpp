#include "writer_memory.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include <asebytes/mpi/buffered_writer.hpp>

#include "mpi_bench_support.hpp"

using nlohmann::json;

namespace asebytes::bench {
namespace {

// Resident memory of this process, kB (/proc/self/status): RssAnon is the heap (queued frames,
// encoded batches, LMDB's dirty pages); RssFile the pages of mapped files in memory (LMDB's map).
struct MemoryStatus {
    long rss_kb = 0, anon_kb = 0, file_kb = 0, hwm_kb = 0;
};

MemoryStatus read_memory_status() {
    std::ifstream in("/proc/self/status");
    MemoryStatus m;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string name;
        long kb = 0;
        fields >> name >> kb;
        if (name == "VmRSS:")
            m.rss_kb = kb;
        else if (name == "RssAnon:")
            m.anon_kb = kb;
        else if (name == "RssFile:")
            m.file_kb = kb;
        else if (name == "VmHWM:")
            m.hwm_kb = kb;
    }
    return m;
}

json status_json(const MemoryStatus& m) {
    return {{"rss_kb", m.rss_kb}, {"anon_kb", m.anon_kb}, {"file_kb", m.file_kb}, {"hwm_kb", m.hwm_kb}};
}

struct Curve {
    std::vector<std::size_t> frame;
    std::vector<double> t_s;
    std::vector<long> rss_kb, anon_kb, file_kb;
    std::vector<std::uint64_t> written; // frames the writer thread had stored

    void add(std::size_t handed_over, double t, std::uint64_t stored) {
        const MemoryStatus m = read_memory_status();
        frame.push_back(handed_over);
        t_s.push_back(t);
        rss_kb.push_back(m.rss_kb);
        anon_kb.push_back(m.anon_kb);
        file_kb.push_back(m.file_kb);
        written.push_back(stored);
    }
    json to_json() const {
        return {{"frame", frame},     {"t_s", t_s},         {"rss_kb", rss_kb},
                {"anon_kb", anon_kb}, {"file_kb", file_kb}, {"written_frames", written}};
    }
    /// Median RSS (kB) of the samples in each quarter of the run: flat when memory is bounded.
    std::vector<double> quarter_medians() const {
        std::vector<double> out;
        const std::size_t n = rss_kb.size();
        for (std::size_t q = 0; q < 4; ++q) {
            std::vector<double> part;
            for (std::size_t i = q * n / 4; i < (q + 1) * n / 4; ++i)
                part.push_back(static_cast<double>(rss_kb[i]));
            out.push_back(median_of(part));
        }
        return out;
    }
};

double mb(double kb) { return kb / 1024.0; }

} // namespace

json measure_writer_memory(const WriterMemoryConfig& cfg, MPI_Comm comm) {
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    const LocalAtoms atoms = make_local_atoms(cfg.atoms, rank, size);
    const Units units;
    Packed packed;
    pack_local(atoms, units, packed, false);
    asebytes::mpi::FrameGatherer gatherer(comm, frame_columns(false), 0);

    asebytes::mpi::WriterLimits limits; // fix asebytes' frame limit and batches; the byte limit given
    limits.max_frames = 64;
    limits.max_bytes = cfg.buffer_bytes;
    limits.batch_frames = 64;
    std::unique_ptr<ScratchDir> dir;
    std::shared_ptr<ObjectReadWriteBackend> backend;
    std::unique_ptr<asebytes::mpi::BufferedWriter> writer;
    MemoryStatus before_open, baseline;
    if (rank == 0) {
        dir = std::make_unique<ScratchDir>(cfg.tmp_root, "asebytes-bench-memory");
        before_open = read_memory_status();
        backend = open_store(dir->fresh("memory", ".lmdb"), true, {});
        writer = std::make_unique<asebytes::mpi::BufferedWriter>(backend, limits);
        baseline = read_memory_status();
    }
    const std::size_t every = std::max<std::size_t>(1, cfg.frames / std::max<std::size_t>(1, cfg.samples));
    Curve curve;
    std::uint64_t frame_payload = 0;
    MPI_Barrier(comm);
    const double t0 = now_s();
    for (std::size_t i = 0; i < cfg.frames; ++i) {
        Row row;
        add_globals(row, static_cast<std::int64_t>(10 * i), units, cfg.atoms);
        gatherer.gather(packed.ids.size(), packed.ids.data(), packed.pointers, row);
        if (rank != 0) continue;
        if (i == 0) frame_payload = asebytes::mpi::payload_bytes(row);
        writer->write(std::move(row));
        if ((i + 1) % every == 0) curve.add(i + 1, now_s() - t0, writer->stats().frames);
    }
    const double loop_s = now_s() - t0;
    MPI_Barrier(comm);
    if (rank != 0) return nullptr;
    writer->flush();
    const double flush_s = now_s() - t0 - loop_s;
    curve.add(cfg.frames, now_s() - t0, writer->stats().frames);
    writer->close();
    const asebytes::mpi::WriterStats stats = writer->stats();
    const MemoryStatus after_flush = read_memory_status();
    writer.reset();
    backend.reset();
    const MemoryStatus after_close = read_memory_status();

    const long peak_kb = *std::max_element(curve.rss_kb.begin(), curve.rss_kb.end());
    const double growth_kb = static_cast<double>(peak_kb - baseline.rss_kb);
    const double limit_kb = static_cast<double>(limits.max_bytes) / 1024.0;
    const auto quarters = curve.quarter_medians();
    std::printf("\n== writer memory: %zu frames x %zu atoms (%.2f MB/frame, %.2f GB in all) back to back, "
                "FrameGatherer + BufferedWriter into LMDB (synced per batch), %d rank(s) ==\n",
                cfg.frames, cfg.atoms, static_cast<double>(frame_payload) / 1e6,
                static_cast<double>(frame_payload) * static_cast<double>(cfg.frames) / 1e9, size);
    std::printf("  buffer limit: %zu frames / %.1f MB, batches of up to %zu frames\n", limits.max_frames,
                static_cast<double>(limits.max_bytes) / 1048576.0, limits.batch_frames);
    std::printf("  rank 0 RSS: %.1f MB before opening the store, %.1f MB with the writer started; peak of "
                "%zu samples "
                "%.1f MB (VmHWM %.1f MB), after the flush %.1f MB, after closing %.1f MB\n",
                mb(static_cast<double>(before_open.rss_kb)), mb(static_cast<double>(baseline.rss_kb)),
                curve.rss_kb.size(), mb(static_cast<double>(peak_kb)),
                mb(static_cast<double>(after_flush.hwm_kb)), mb(static_cast<double>(after_flush.rss_kb)),
                mb(static_cast<double>(after_close.rss_kb)));
    std::printf(
        "  growth over the run: peak - started = %.1f MB = %.2fx the byte limit; writer's peak held payload "
        "%.1f MB\n",
        mb(growth_kb), growth_kb / limit_kb, static_cast<double>(stats.peak_queued_bytes) / 1048576.0);
    std::printf("  median RSS per quarter of the run: %.1f, %.1f, %.1f, %.1f MB\n", mb(quarters[0]),
                mb(quarters[1]), mb(quarters[2]), mb(quarters[3]));
    std::printf("  loop %.2f s (%.0f frames/s handed over), MD blocked %.2f s, writer busy %.2f s in %llu "
                "transactions, "
                "flush after the loop %.2f s\n",
                loop_s, static_cast<double>(cfg.frames) / loop_s, stats.blocked_seconds,
                stats.writing_seconds, static_cast<unsigned long long>(stats.batches), flush_s);
    return {{"atoms", cfg.atoms},
            {"frames", cfg.frames},
            {"ranks", size},
            {"frame_payload_bytes", frame_payload},
            {"limits",
             {{"max_frames", limits.max_frames},
              {"max_bytes", limits.max_bytes},
              {"batch_frames", limits.batch_frames}}},
            {"loop_s", loop_s},
            {"flush_s", flush_s},
            {"writer",
             {{"blocked_s", stats.blocked_seconds},
              {"writing_s", stats.writing_seconds},
              {"transactions", stats.batches},
              {"peak_held_bytes", stats.peak_queued_bytes}}},
            {"memory",
             {{"before_open", status_json(before_open)},
              {"writer_started", status_json(baseline)},
              {"after_flush", status_json(after_flush)},
              {"after_close", status_json(after_close)},
              {"peak_sampled_rss_kb", peak_kb},
              {"growth_kb", growth_kb},
              {"growth_over_byte_limit", growth_kb / limit_kb},
              {"quarter_median_rss_kb", quarters}}},
            {"curve", curve.to_json()}};
}

} // namespace asebytes::bench
