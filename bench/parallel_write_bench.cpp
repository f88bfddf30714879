// bench_parallel_write: a batch of large frames (default 4 x 262,144 atoms: numbers, positions,
// forces per atom; cell, pbc, energy, stress, info.step, info.time per frame) whose atoms are
// spread over the MPI ranks by id in shuffled order, as LAMMPS holds them, written into a .h5 or
// .h5md store (gzip off and on) in two ways:
//   collective  every rank writes its own atoms through parallel HDF5, as fix asebytes does under
//               mpirun (FrameGatherer::slab + local_frame + CollectiveColumnarWriter);
//   gathered    FrameGatherer::gather to rank 0, which writes through the normal (serial) backend
//               (SynchronousWriter);
// next to a raw write of the same bytes from rank 0 (open, write, close; and with fsync), all in
// the same run. Each timing runs from the barrier before opening the file to the barrier after
// closing it; per frame = that / frames. Once, outside the timings, both files are read back and
// compared with the frames written.
//
// The default batch is 4 frames: with .h5 and gzip, a collective batch of about 2M atom rows
// (262,144 x 8, 65,536 x 32, 32,000 x 64 frames) fails inside parallel HDF5 1.10.8 here (OMPIO:
// "writev: Bad address"; ROMIO: a segfault), see bench/README.md.
//
// With --memory-frames N it first measures the writer's memory over a long run (writer_memory.hpp).
//
//   mpirun -np 1 build/bin/bench_parallel_write
//   mpirun -np 2 build/bin/bench_parallel_write
//   mpirun --oversubscribe -np 4 build/bin/bench_parallel_write   (more ranks than cores: said so)
// As root add --allow-run-as-root or set OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1.
// bench/parallel_write_bench.py runs np 1, 2, 4 and collects the results. Not part of the tests.
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <asebytes/mpi/collective_columnar.hpp>
#include <asebytes/mpi/synchronous_writer.hpp>
#include <asebytes/registry.hpp>

#include "mpi_bench_support.hpp"
#include "writer_memory.hpp"

using nlohmann::json;
using namespace asebytes;
using namespace asebytes::bench;

namespace {

constexpr const char* kName = "bench_parallel_write";

struct Config {
    std::size_t atoms = 262144;
    std::size_t frames = 4;
    int reps = 3;
    std::vector<std::string> formats{".h5", ".h5md"};
    std::vector<bool> gzip{false, true};
    bool parallel = true;          // --memory-only turns the comparison off
    std::size_t memory_frames = 0; // 0: no memory run
    WriterMemoryConfig memory;
    std::string tmp_root;
    std::optional<std::string> json_path; // default: bench/results/bench_parallel_write_np<N>.json
};

// One store format and compression: the unit of the comparison.
struct Case {
    std::string format; // ".h5" or ".h5md"
    bool gzip = false;
    std::string name() const { return format + (gzip ? " gzip" : " no compression"); }
    OpenOptions options() const {
        OpenOptions o;
        o.options["compression"] = gzip ? "gzip" : "none";
        return o;
    }
};

enum class Method { Collective, Gathered };

const char* method_id(Method m) { return m == Method::Collective ? "collective" : "gathered"; }
const char* method_label(Method m) {
    return m == Method::Collective ? "collective parallel HDF5" : "gather to rank 0 + serial write";
}

// Seconds, max over the ranks; `prepare_s`: exchanging atoms (collective) or gathering them.
struct Timing {
    double total_s = 0, prepare_s = 0, foreign_share = 0;
};

// What every rank holds for the whole run.
struct Setup {
    MPI_Comm comm;
    int rank = 0, size = 1;
    std::size_t atoms = 0, frames = 0;
    Units units;
    Packed packed; // this rank's atoms, packed as fix asebytes packs them
    std::vector<asebytes::mpi::Column> columns;
    std::unique_ptr<asebytes::mpi::FrameGatherer> gatherer;
    std::unique_ptr<ScratchDir> dir; // rank 0
    Row reference;                   // rank 0: frame 0 as gathered, outside any timing
    std::vector<char> frame_data;    // rank 0: its data (every array's bytes, 8 bytes per scalar)

    std::int64_t step(std::size_t frame) const { return static_cast<std::int64_t>(100 * frame); }
    /// A new path in rank 0's scratch directory, known to every rank.
    std::string shared_path(const std::string& stem, const std::string& extension) {
        return broadcast_string(rank == 0 ? dir->fresh(stem, extension) : std::string(), comm);
    }
};

// This rank's packed columns as arrays, copied as fix asebytes copies them for local_frame.
Row local_row(const Setup& s) {
    Row local;
    const std::size_t n = s.packed.ids.size();
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
        const std::size_t width = std::max<std::size_t>(s.columns[c].width, 1);
        std::vector<std::int64_t> shape{static_cast<std::int64_t>(n)};
        if (s.columns[c].width) shape.push_back(static_cast<std::int64_t>(s.columns[c].width));
        const auto* bytes = static_cast<const std::uint8_t*>(s.packed.pointers[c]);
        local[s.columns[c].key] = NdArray(typestr_of(s.columns[c].dtype), shape,
                                          std::vector<std::uint8_t>(bytes, bytes + n * width * 8));
    }
    return local;
}

// Runs `body` between two barriers; the seconds, max over the ranks, and the share of a core
// other programs took meanwhile.
template <class Body> Timing timed(MPI_Comm comm, Body body) {
    const ForeignCpu foreign(comm);
    MPI_Barrier(comm);
    const double t0 = now_s();
    Timing t;
    t.prepare_s = body();
    MPI_Barrier(comm);
    t.total_s = now_s() - t0;
    t.foreign_share = foreign.foreign_s() / t.total_s;
    MPI_Allreduce(MPI_IN_PLACE, &t.total_s, 1, MPI_DOUBLE, MPI_MAX, comm);
    MPI_Allreduce(MPI_IN_PLACE, &t.prepare_s, 1, MPI_DOUBLE, MPI_MAX, comm);
    MPI_Bcast(&t.foreign_share, 1, MPI_DOUBLE, 0, comm);
    return t;
}

// Every rank writes its own atoms, batched as fix asebytes batches (up to 64 frames).
Timing write_collective(Setup& s, const Case& c, const std::string& path) {
    return timed(s.comm, [&] {
        auto store = asebytes::mpi::open_collective_columnar(path, s.comm, c.options());
        asebytes::mpi::CollectiveColumnarWriter writer(store, std::min<std::size_t>(s.frames, 64));
        double prepare = 0;
        for (std::size_t i = 0; i < s.frames; ++i) {
            const double t0 = now_s();
            Row globals;
            add_globals(globals, s.step(i), s.units, s.atoms);
            const auto slab = s.gatherer->slab(s.packed.ids.size(), s.packed.ids.data());
            auto frame = asebytes::mpi::local_frame(s.comm, std::move(globals), local_row(s), slab);
            prepare += now_s() - t0;
            writer.write(std::move(frame));
        }
        writer.close();
        return prepare;
    });
}

// Rank 0 gathers every frame and writes it through the serial backend, in the same batches.
Timing write_gathered(Setup& s, const Case& c, const std::string& path) {
    return timed(s.comm, [&] {
        std::unique_ptr<asebytes::mpi::SynchronousWriter> writer;
        if (s.rank == 0) {
            auto backend =
                std::dynamic_pointer_cast<ObjectReadWriteBackend>(open_object_backend(path, c.options()));
            writer = std::make_unique<asebytes::mpi::SynchronousWriter>(backend,
                                                                        std::min<std::size_t>(s.frames, 64));
        }
        double prepare = 0;
        for (std::size_t i = 0; i < s.frames; ++i) {
            const double t0 = now_s();
            Row row;
            add_globals(row, s.step(i), s.units, s.atoms);
            s.gatherer->gather(s.packed.ids.size(), s.packed.ids.data(), s.packed.pointers, row);
            prepare += now_s() - t0;
            if (writer) writer->write(std::move(row));
        }
        if (writer) writer->flush();
        return prepare;
    });
}

// The reference: rank 0 writes the frames' data bytes to a plain file (open, write, close); with
// `fsync`, they reach the disk before close.
Timing write_raw(Setup& s, const std::string& path, bool fsync) {
    return timed(s.comm, [&] {
        if (s.rank != 0) return 0.0;
        PosixFile out(path);
        for (std::size_t i = 0; i < s.frames; ++i)
            out.write(s.frame_data.data(), s.frame_data.size());
        if (fsync) out.sync();
        return 0.0;
    });
}

// Frame i as written: the reference atoms with frame i's per-frame values.
Row expected_frame(const Setup& s, std::size_t i) {
    Row row = s.reference;
    add_globals(row, s.step(i), s.units, s.atoms);
    return row;
}

// Rank 0, outside the timings: `path` holds exactly the frames written; throws naming the first
// difference.
void verify(const Setup& s, const std::string& path, const Case& c) {
    OpenOptions o = c.options();
    o.options.clear();
    o.readonly = true;
    auto store = open_object_backend(path, o);
    if (store->size() != s.frames)
        throw std::runtime_error(path + " holds " + std::to_string(store->size()) + " frames, expected " +
                                 std::to_string(s.frames));
    for (std::size_t i = 0; i < s.frames; ++i) {
        const auto got = store->get(i);
        const Row want = expected_frame(s, i);
        if (!got) throw std::runtime_error(path + ": frame " + std::to_string(i) + " reads back empty");
        for (const auto& [key, value] : want) {
            const auto it = got->find(key);
            if (it == got->end() || !(it->second == value))
                throw std::runtime_error(path + ": frame " + std::to_string(i) + ", key '" + key +
                                         "' does not read back as written");
        }
        if (got->size() != want.size())
            throw std::runtime_error(path + ": frame " + std::to_string(i) + " reads back " +
                                     std::to_string(got->size()) + " keys, expected " +
                                     std::to_string(want.size()));
    }
}

Setup make_setup(const Config& cfg, MPI_Comm comm) {
    Setup s;
    s.comm = comm;
    MPI_Comm_rank(comm, &s.rank);
    MPI_Comm_size(comm, &s.size);
    s.atoms = cfg.atoms;
    s.frames = cfg.frames;
    pack_local(make_local_atoms(cfg.atoms, s.rank, s.size), s.units, s.packed, false);
    s.columns = frame_columns(false);
    s.gatherer = std::make_unique<asebytes::mpi::FrameGatherer>(comm, s.columns, 0);
    Row reference;
    add_globals(reference, s.step(0), s.units, s.atoms);
    s.gatherer->gather(s.packed.ids.size(), s.packed.ids.data(), s.packed.pointers, reference);
    if (s.rank != 0) return s;
    s.dir = std::make_unique<ScratchDir>(cfg.tmp_root, "asebytes-bench-parallel");
    for (const auto& [key, value] : reference) {
        if (value.is_array()) {
            const auto* bytes = reinterpret_cast<const char*>(value.as_array().bytes());
            s.frame_data.insert(s.frame_data.end(), bytes, bytes + value.as_array().nbytes());
        } else {
            s.frame_data.resize(s.frame_data.size() + sizeof(double));
        }
    }
    s.reference = std::move(reference);
    return s;
}

// Seconds per batch, one entry per rep.
struct Samples {
    std::vector<double> total, prepare;
    double worst_foreign = 0; // largest share of a core other programs took during one
    void add(const Timing& t) {
        total.push_back(t.total_s);
        prepare.push_back(t.prepare_s);
        worst_foreign = std::max(worst_foreign, t.foreign_share);
    }
};

struct CaseResults {
    Case c;
    std::map<Method, Samples> methods;
    bool verified = false;
};

struct Results {
    Samples raw, raw_fsync;
    std::vector<CaseResults> cases;
};

void remove_on_root(const Setup& s, const std::string& path) {
    if (s.rank != 0) return;
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

void measure_case(Setup& s, CaseResults& r, int rep) {
    std::map<Method, std::string> paths;
    const Method order[2] = {Method::Collective, Method::Gathered};
    for (int k = 0; k < 2; ++k) { // the order alternates from rep to rep
        const Method m = order[(k + rep) % 2];
        if (s.rank == 0)
            std::fprintf(stderr, "[%s] rep %d %s %s\n", kName, rep + 1, r.c.name().c_str(), method_id(m));
        paths[m] = s.shared_path(method_id(m), r.c.format);
        r.methods[m].add(m == Method::Collective ? write_collective(s, r.c, paths[m])
                                                 : write_gathered(s, r.c, paths[m]));
    }
    if (rep == 0 && s.rank == 0) {
        for (const auto& [m, path] : paths)
            verify(s, path, r.c);
        r.verified = true;
    }
    for (const auto& [m, path] : paths)
        remove_on_root(s, path);
}

Results measure(Setup& s, const Config& cfg) {
    Results res;
    for (const auto& format : cfg.formats)
        for (bool gzip : cfg.gzip)
            res.cases.push_back({Case{format, gzip}, {}, false});
    for (int rep = 0; rep < cfg.reps; ++rep) {
        for (bool fsync : {false, true}) {
            const std::string path = s.shared_path(fsync ? "raw-fsync" : "raw", ".bin");
            (fsync ? res.raw_fsync : res.raw).add(write_raw(s, path, fsync));
            remove_on_root(s, path);
        }
        for (auto& r : res.cases)
            measure_case(s, r, rep);
    }
    return res;
}

// ---- output (rank 0) ---------------------------------------------------------------------------

struct Summary {
    Stats per_frame_ms, prepare_ms;
    double mb_s = 0, x_raw = 0, x_raw_fsync = 0;
};

Summary summarize_samples(const Samples& m, const Results& res, const Setup& s) {
    const double frames = static_cast<double>(s.frames);
    std::vector<double> per_frame, prepare;
    for (double t : m.total)
        per_frame.push_back(t / frames * 1e3);
    for (double t : m.prepare)
        prepare.push_back(t / frames * 1e3);
    Summary out;
    out.per_frame_ms = summarize(per_frame);
    out.prepare_ms = summarize(prepare);
    out.mb_s = static_cast<double>(s.frame_data.size()) / (out.per_frame_ms.median * 1e-3) / 1e6;
    out.x_raw = median_of(ratios(m.total, res.raw.total));
    out.x_raw_fsync = median_of(ratios(m.total, res.raw_fsync.total));
    return out;
}

json summary_json(const Summary& x, const Samples& m) {
    return {{"per_frame_ms", stats_json(x.per_frame_ms, "")},
            {"prepare_per_frame_ms", stats_json(x.prepare_ms, "")},
            {"MB_per_s", x.mb_s},
            {"x_raw", x.x_raw},
            {"x_raw_fsync", x.x_raw_fsync},
            {"batch_s", m.total},
            {"worst_foreign_cpu_share", m.worst_foreign}};
}

void print_row(const char* label, const Summary& x) {
    std::printf("  %-34s %9.2f %9.2f %9.2f %8.0f %7.2fx %7.2fx %9.2f\n", label, x.per_frame_ms.median,
                x.per_frame_ms.min, x.per_frame_ms.max, x.mb_s, x.x_raw, x.x_raw_fsync, x.prepare_ms.median);
}

void print_header(const Setup& s, const Config& cfg, const std::string& fs_type) {
    std::printf("%s: %d MPI rank(s) on %ld online CPU(s)%s; build %s\n", kName, s.size, online_cpus(),
                s.size > online_cpus() ? " -- OVERSUBSCRIBED (mpirun --oversubscribe): ranks share cores"
                                       : "",
                ASEBYTES_BENCH_BUILD_TYPE);
    std::printf("rank 0 may run on CPUs %s; scratch files in %s on %s\n", cpu_affinity().c_str(),
                s.dir->path().c_str(), fs_type.c_str());
    std::printf(
        "%zu frames x %zu atoms, atoms spread over the ranks by id in shuffled order; per frame %.2f MB "
        "(numbers int64, positions and forces float64 x3; cell, pbc, energy, stress, info.step, info.time); "
        "%d rep(s)\n",
        cfg.frames, cfg.atoms, static_cast<double>(s.frame_data.size()) / 1e6, cfg.reps);
    std::printf(
        "times: barrier, open, write every frame, close, barrier (max over ranks); per frame = that / "
        "frames; "
        "x raw = per-rep ratio to the raw write of the same run; prepare = exchanging atoms (collective: "
        "slab + local_frame) or gathering them (FrameGatherer::gather)\n");
}

void print_results(const Results& res, const Setup& s) {
    std::printf("  %-34s %9s %9s %9s %8s %8s %8s %9s\n", "ms/frame", "median", "min", "max", "MB/s", "x raw",
                "x fsync", "prepare");
    print_row("raw write from rank 0 (reference)", summarize_samples(res.raw, res, s));
    print_row("raw write + fsync from rank 0", summarize_samples(res.raw_fsync, res, s));
    for (const auto& r : res.cases) {
        std::printf("\n== %s ==\n", r.c.name().c_str());
        for (const auto& [m, samples] : r.methods)
            print_row(method_label(m), summarize_samples(samples, res, s));
        const Stats ratio =
            summarize(ratios(r.methods.at(Method::Collective).total, r.methods.at(Method::Gathered).total));
        std::printf("  collective / gathered (per rep): median %.2fx  min %.2fx  max %.2fx\n", ratio.median,
                    ratio.min, ratio.max);
        std::printf("  read back (outside the timings): %s\n",
                    r.verified ? "both files hold exactly the frames written" : "not checked");
        double worst = 0;
        for (const auto& [m, samples] : r.methods)
            worst = std::max(worst, samples.worst_foreign);
        std::printf("  other programs took at most %.0f%% of a core during a measurement\n", 100 * worst);
    }
}

json results_json(const Results& res, const Setup& s, const Config& cfg, const std::string& fs_type) {
    json j = {{"benchmark", kName},
              {"ranks", s.size},
              {"online_cpus", online_cpus()},
              {"oversubscribed", s.size > online_cpus()},
              {"atoms", cfg.atoms},
              {"frames", cfg.frames},
              {"reps", cfg.reps},
              {"build_type", ASEBYTES_BENCH_BUILD_TYPE},
              {"filesystem", fs_type},
              {"rank0_cpus", cpu_affinity()},
              {"frame_data_bytes", s.frame_data.size()},
              {"raw",
               {{"write", summary_json(summarize_samples(res.raw, res, s), res.raw)},
                {"write_fsync", summary_json(summarize_samples(res.raw_fsync, res, s), res.raw_fsync)}}}};
    for (const auto& r : res.cases) {
        json jc = {{"format", r.c.format}, {"gzip", r.c.gzip}, {"verified", r.verified}};
        for (const auto& [m, samples] : r.methods)
            jc["methods"][method_id(m)] = summary_json(summarize_samples(samples, res, s), samples);
        jc["ratio_collective_to_gathered"] = stats_json(
            summarize(ratios(r.methods.at(Method::Collective).total, r.methods.at(Method::Gathered).total)),
            "");
        j["cases"].push_back(jc);
    }
    return j;
}

// ---- command line ------------------------------------------------------------------------------

void usage(std::FILE* to) {
    std::fprintf(to,
                 "usage: mpirun -np N bench_parallel_write [options]\n"
                 "  --atoms N            atoms per frame (default 262144)\n"
                 "  --frames N           frames per batch (default 4)\n"
                 "  --reps N             repetitions (default 3)\n"
                 "  --formats LIST       store formats, of h5,h5md (default both)\n"
                 "  --gzip LIST          compression, of off,on (default both)\n"
                 "  --memory-frames N    first measure the writer's memory over N frames (default: skip)\n"
                 "  --memory-atoms N     atoms per frame of that run (default 32000)\n"
                 "  --memory-buffer-mb N the writer's byte limit in that run (default 64)\n"
                 "  --memory-only        only the memory run\n"
                 "  --tmpdir DIR         where the scratch files go (default $TMPDIR or /tmp)\n"
                 "  --json FILE          where the JSON goes (default %s/bench_parallel_write_np<N>.json)\n",
                 ASEBYTES_BENCH_RESULTS_DIR);
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        out.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

Config parse_args(int argc, char** argv) {
    Config c;
    c.tmp_root = env_or("TMPDIR", "/tmp");
    parse_options(argc, argv, usage, [&](const std::string& a, auto value) {
        if (a == "--atoms")
            c.atoms = positive(a, value());
        else if (a == "--frames")
            c.frames = positive(a, value());
        else if (a == "--reps")
            c.reps = static_cast<int>(positive(a, value()));
        else if (a == "--formats") {
            c.formats.clear();
            for (const auto& f : split_list(value())) {
                if (f != "h5" && f != "h5md")
                    throw std::invalid_argument("--formats takes h5 and h5md, not '" + f + "'");
                c.formats.push_back("." + f);
            }
        } else if (a == "--gzip") {
            c.gzip.clear();
            for (const auto& g : split_list(value())) {
                if (g != "on" && g != "off")
                    throw std::invalid_argument("--gzip takes off and on, not '" + g + "'");
                c.gzip.push_back(g == "on");
            }
        } else if (a == "--memory-frames")
            c.memory_frames = positive(a, value());
        else if (a == "--memory-atoms")
            c.memory.atoms = positive(a, value());
        else if (a == "--memory-buffer-mb")
            c.memory.buffer_bytes = positive(a, value()) << 20;
        else if (a == "--memory-only")
            c.parallel = false;
        else if (a == "--tmpdir")
            c.tmp_root = value();
        else if (a == "--json")
            c.json_path = value();
        else
            return false;
        return true;
    });
    c.memory.frames = c.memory_frames;
    c.memory.tmp_root = c.tmp_root;
    return c;
}

int run(const Config& cfg, MPI_Comm comm) {
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    json j = {{"benchmark", kName}, {"ranks", size}};
    // The memory run first, so that the process's peak (VmHWM) is its own.
    if (cfg.memory_frames > 0) j["writer_memory"] = measure_writer_memory(cfg.memory, comm);
    if (cfg.parallel) {
        Setup s = make_setup(cfg, comm);
        const std::string fs_type = rank == 0 ? filesystem_type(s.dir->path()) : "";
        if (rank == 0) print_header(s, cfg, fs_type);
        const Results res = measure(s, cfg);
        if (rank == 0) {
            print_results(res, s);
            j.update(results_json(res, s, cfg, fs_type));
        }
    }
    if (rank != 0) return 0;
    write_results(j, cfg.json_path, ASEBYTES_BENCH_RESULTS_DIR, kName, size);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return mpi_bench_main(argc, argv, kName, usage,
                          [&](MPI_Comm comm) { return run(parse_args(argc, argv), comm); });
}
