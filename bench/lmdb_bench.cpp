// bench_lmdb: times the LMDB backend through the public facades (AtomsIO, BlobIO) on two MD-like
// workloads, next to references measured in the same run (memcpy and a raw file write of the same
// encoded bytes) and, when it is importable, Python asebytes 0.3.1 running the same operations
// (bench/lmdb_bench.py). Benchmarks are not part of the test run.
//
// Usage: bench_lmdb [--frames N] [--reps N] [--json FILE] [--tmpdir DIR] [--no-python]
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <asebytes/asebytes.hpp>
#include <asebytes/codec.hpp>

#include "bench_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace asebytes::bench;

namespace {

// ASEBYTES_BENCH_* (script, Python asebytes path, results dir, build type) come from bench/CMakeLists.txt.
constexpr std::uint64_t kSeed = 20240531;
constexpr std::size_t kRandomReads = 100;
constexpr std::size_t kStreamBatch = 10;
constexpr int kMemcpySamples = 51;

struct Config {
    std::size_t frames = 1000;
    int reps = 5;
    std::optional<std::string> json_path;
    std::string tmp_root;
    bool python = true;
};

// ---------------------------------------------------------------------------------------------
// Workloads

struct Workload {
    std::string name;
    std::string description;
    std::size_t natoms = 0;
    std::vector<std::int64_t> numbers;
    std::array<double, 9> cell{};
    std::array<bool, 3> pbc{};
    std::vector<asebytes::Frame> frames;
    FramedBytes encoded;          // every frame's values, msgpack(-numpy) encoded
    std::size_t energy_bytes = 0; // encoded bytes of the calc.energy column
    std::vector<std::int64_t> random_indices;
    std::size_t random_bytes = 0;
};

// An ethanol-like geometry (C C O H H H H H H, Angstrom); only the shape matters here.
// clang-format off
const std::vector<double> kEthanol = {
     1.1879, -0.3829,  0.0000,   0.0000,  0.4615,  0.0000,  -1.1867, -0.2472,  0.0000,
    -1.9237,  0.3850,  0.0000,   2.0985,  0.2306,  0.0000,   1.1184, -1.0093,  0.8869,
     1.1184, -1.0093, -0.8869,  -0.0227,  1.1142,  0.8856,  -0.0227,  1.1142, -0.8856};
// clang-format on

Workload ethanol_spec() {
    Workload w;
    w.name = "ethanol";
    w.description = "9 atoms, no cell, pbc F";
    w.numbers = {6, 6, 8, 1, 1, 1, 1, 1, 1};
    w.natoms = w.numbers.size();
    return w;
}

// Copper fcc, 3x3x3 conventional cells: 108 atoms in a periodic cubic box.
constexpr double kFccLattice = 3.61;
constexpr int kFccRepeat = 3;

std::vector<double> fcc_positions() {
    const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    std::vector<double> pos;
    for (int i = 0; i < kFccRepeat; ++i)
        for (int j = 0; j < kFccRepeat; ++j)
            for (int k = 0; k < kFccRepeat; ++k)
                for (const auto& b : basis) {
                    pos.push_back((i + b[0]) * kFccLattice);
                    pos.push_back((j + b[1]) * kFccLattice);
                    pos.push_back((k + b[2]) * kFccLattice);
                }
    return pos;
}

Workload periodic_spec() {
    Workload w;
    w.name = "periodic";
    w.description = "108 atoms (Cu fcc 3x3x3), cubic cell, pbc T";
    w.natoms = 4 * kFccRepeat * kFccRepeat * kFccRepeat;
    w.numbers.assign(w.natoms, 29);
    const double a = kFccRepeat * kFccLattice;
    w.cell = {a, 0, 0, 0, a, 0, 0, 0, a};
    w.pbc = {true, true, true};
    return w;
}

std::vector<asebytes::Frame> make_frames(const Workload& w, const std::vector<double>& base,
                                         std::size_t count, std::mt19937_64& rng) {
    std::normal_distribution<double> jitter(0.0, 0.05), force(0.0, 0.5), stress(0.0, 0.01);
    std::normal_distribution<double> energy(-3.5 * static_cast<double>(w.natoms), 0.1);
    std::vector<asebytes::Frame> frames(count);
    for (auto& f : frames) {
        f.numbers = w.numbers;
        f.positions = base;
        for (auto& x : f.positions)
            x += jitter(rng);
        f.cell = w.cell;
        f.pbc = w.pbc;
        std::vector<double> forces(3 * w.natoms);
        for (auto& x : forces)
            x = force(rng);
        std::array<double, 6> voigt{};
        for (auto& x : voigt)
            x = stress(rng);
        f.set_energy(energy(rng));
        f.set_forces(forces);
        f.set_stress(voigt);
    }
    return frames;
}

/// The bytes asebytes stores for the frames: every value of every row, msgpack(-numpy) encoded.
void encode_payload(Workload& w) {
    for (const auto& f : w.frames) {
        const std::size_t before = w.encoded.bytes.size();
        for (const auto& [key, value] : f.to_row()) {
            const std::size_t start = w.encoded.bytes.size();
            asebytes::encode_append(w.encoded.bytes, value);
            if (key == "calc.energy") w.energy_bytes += w.encoded.bytes.size() - start;
        }
        w.encoded.frame_bytes.push_back(w.encoded.bytes.size() - before);
    }
}

void pick_random_indices(Workload& w, std::mt19937_64& rng) {
    std::uniform_int_distribution<std::int64_t> pick(0, static_cast<std::int64_t>(w.frames.size()) - 1);
    for (std::size_t i = 0; i < kRandomReads; ++i) {
        w.random_indices.push_back(pick(rng));
        w.random_bytes += w.encoded.frame_bytes[static_cast<std::size_t>(w.random_indices.back())];
    }
}

Workload build_workload(Workload w, const std::vector<double>& base, std::size_t count) {
    std::mt19937_64 rng(kSeed + w.natoms);
    w.frames = make_frames(w, base, count, rng);
    encode_payload(w);
    pick_random_indices(w, rng);
    return w;
}

// ---------------------------------------------------------------------------------------------
// LMDB operations

asebytes::OpenOptions open_options(bool sync) {
    asebytes::OpenOptions o;
    if (!sync) o.options["sync"] = "no";
    return o;
}

std::vector<std::vector<asebytes::Frame>> batches_of(const std::vector<asebytes::Frame>& frames,
                                                     std::size_t batch) {
    std::vector<std::vector<asebytes::Frame>> out;
    for (std::size_t i = 0; i < frames.size(); i += batch)
        out.emplace_back(frames.begin() + static_cast<std::ptrdiff_t>(i),
                         frames.begin() + static_cast<std::ptrdiff_t>(std::min(i + batch, frames.size())));
    return out;
}

/// Seconds to open a fresh store, append the batches (one extend each) and close it.
double lmdb_write_sample(const Workload& w, const std::vector<std::vector<asebytes::Frame>>& batches,
                         ScratchDir& dir, bool sync) {
    const std::string path = dir.fresh("write", ".lmdb");
    const double t = seconds_of([&] {
        asebytes::AtomsIO io(path, open_options(sync));
        for (const auto& b : batches)
            io.extend(b);
    });
    if (asebytes::AtomsIO(path).size() != w.frames.size())
        throw std::runtime_error("write check failed: " + path + " has the wrong length");
    fs::remove_all(path);
    return t;
}

/// LMDB write and the raw write with the same batching and syncing, alternating repetition by
/// repetition so both see the same disk conditions (fsync times drift on shared disks).
std::pair<Stats, Stats> time_writes(const Workload& w, ScratchDir& dir, std::size_t batch, bool sync,
                                    int reps) {
    const auto batches = batches_of(w.frames, batch);
    std::vector<double> lmdb, raw;
    for (int r = 0; r < reps; ++r) {
        raw.push_back(raw_write_sample(w.encoded, dir, batch, sync));
        lmdb.push_back(lmdb_write_sample(w, batches, dir, sync));
    }
    return {summarize(lmdb), summarize(raw)};
}

/// Times `op(io)` on a store opened (untimed) before each repetition and closed after it.
template <class IO, class Op> Stats time_lmdb_read(const std::string& path, int reps, Op&& op) {
    return repeat(reps, [&] {
        IO io(path);
        return seconds_of([&] { op(io); });
    });
}

void read_iterate(const asebytes::AtomsIO& io) {
    double s = 0;
    for (auto& f : io)
        s += f->positions[0] + static_cast<double>(f->natoms());
    g_sink += s;
}

void read_to_list(const asebytes::AtomsIO& io) {
    double s = 0;
    for (const auto& f : io.rows().to_list())
        s += f->positions[0] + static_cast<double>(f->natoms());
    g_sink += s;
}

void read_random(const asebytes::AtomsIO& io, const std::vector<std::int64_t>& indices) {
    double s = 0;
    for (auto i : indices)
        s += io.get(i)->positions[0];
    g_sink += s;
}

void read_energy_column(const asebytes::AtomsIO& io) {
    double s = 0;
    for (const auto& v : io.column("calc.energy").to_list())
        s += v->as_double();
    g_sink += s;
}

void read_blobs(const asebytes::BlobIO& io) {
    std::size_t n = 0;
    for (const auto& row : io.rows().to_list())
        for (const auto& kv : *row)
            n += kv.second.size();
    g_sink += static_cast<double>(n);
}

// ---------------------------------------------------------------------------------------------
// Results

struct Result {
    std::string id;    // shared with lmdb_bench.py
    std::string label; // printed
    std::string kind;  // reference | write | read
    std::size_t frames = 0;
    std::size_t bytes = 0;
    Stats time;
    std::optional<double> memcpy_s;     // memcpy of `bytes`
    std::optional<std::string> raw_ref; // id of the matching raw-write reference
    std::optional<Stats> python;
};

struct WorkloadResults {
    const Workload* workload = nullptr;
    std::vector<Result> results;
    std::optional<std::size_t> python_payload_bytes;

    const Result* find(const std::string& id) const {
        for (const auto& r : results)
            if (r.id == id) return &r;
        return nullptr;
    }
};

struct WriteVariant {
    const char* id;
    std::size_t batch; // 0: all frames in one extend
    bool sync;
};

const WriteVariant kWriteVariants[] = {
    {"write_extend_sync", 0, true},
    {"write_extend_nosync", 0, false},
    {"write_batch10_sync", kStreamBatch, true},
    {"write_batch10_nosync", kStreamBatch, false},
};

std::string raw_id(const WriteVariant& v) {
    return std::string("raw_") + (v.batch ? "batch10" : "once") + (v.sync ? "_fsync" : "_nofsync");
}

/// "N x M frames" for the batching of a write variant over n frames.
std::string batching(const WriteVariant& v, std::size_t n) {
    const std::size_t batch = v.batch ? v.batch : n;
    return std::to_string((n + batch - 1) / batch) + " x " + std::to_string(batch);
}

std::string write_label(const WriteVariant& v, std::size_t n) {
    return "write: " + batching(v, n) + " extend" + (v.sync ? ", sync" : ", sync=no");
}

std::string raw_label(const WriteVariant& v, std::size_t n) {
    return "raw write: " + batching(v, n) + " frames" +
           (v.sync ? (v.batch ? ", fsync each" : ", fsync") : ", no fsync");
}

class Runner {
public:
    Runner(const Config& config, ScratchDir& dir) : config_(config), dir_(dir) {}

    WorkloadResults run(const Workload& w) {
        WorkloadResults out{&w, {}, std::nullopt};
        std::cerr << "[bench_lmdb] " << w.name << ": memcpy, raw and LMDB writes\n";
        add_memcpy(w, out);
        add_writes(w, out);
        std::cerr << "[bench_lmdb] " << w.name << ": reads\n";
        add_reads(w, out);
        return out;
    }

private:
    /// memcpy of the first `bytes` bytes of the payload, measured once per size.
    const Stats& memcpy_stats(const Workload& w, std::size_t bytes) {
        auto key = std::make_pair(w.name, bytes);
        auto it = memcpy_cache_.find(key);
        if (it == memcpy_cache_.end())
            it = memcpy_cache_.emplace(key, time_memcpy(w.encoded.bytes.data(), bytes, kMemcpySamples)).first;
        return it->second;
    }
    double memcpy_of(const Workload& w, std::size_t bytes) { return memcpy_stats(w, bytes).median; }

    void add_memcpy(const Workload& w, WorkloadResults& out) {
        const Stats& t = memcpy_stats(w, w.encoded.bytes.size());
        out.results.push_back({"memcpy", "memcpy of the payload", "reference", w.frames.size(),
                               w.encoded.bytes.size(), t, t.median, std::nullopt, std::nullopt});
    }

    /// The raw writes go with the references, the LMDB writes after them.
    void add_writes(const Workload& w, WorkloadResults& out) {
        const std::size_t n = w.frames.size();
        const double copy = memcpy_of(w, w.encoded.bytes.size());
        std::vector<Result> writes;
        for (const auto& v : kWriteVariants) {
            const auto [lmdb, raw] = time_writes(w, dir_, v.batch ? v.batch : n, v.sync, config_.reps);
            out.results.push_back({raw_id(v), raw_label(v, n), "reference", n, w.encoded.bytes.size(), raw,
                                   copy, std::nullopt, std::nullopt});
            writes.push_back({v.id, write_label(v, n), "write", n, w.encoded.bytes.size(), lmdb, copy,
                              raw_id(v), std::nullopt});
        }
        out.results.insert(out.results.end(), writes.begin(), writes.end());
    }

    void add_read(const Workload& w, WorkloadResults& out, const char* id, const char* label,
                  std::size_t frames, std::size_t bytes, Stats t) {
        out.results.push_back(
            {id, label, "read", frames, bytes, t, memcpy_of(w, bytes), std::nullopt, std::nullopt});
    }

    void add_reads(const Workload& w, WorkloadResults& out) {
        using asebytes::AtomsIO;
        using asebytes::BlobIO;
        const std::string path = dir_.fresh(w.name, ".lmdb");
        AtomsIO(path).extend(w.frames);
        const std::size_t n = w.frames.size();
        const int reps = config_.reps;
        add_read(w, out, "read_iter", "read all: for (f : io)", n, w.encoded.bytes.size(),
                 time_lmdb_read<AtomsIO>(path, reps, read_iterate));
        add_read(w, out, "read_to_list", "read all: rows().to_list()", n, w.encoded.bytes.size(),
                 time_lmdb_read<AtomsIO>(path, reps, read_to_list));
        add_read(w, out, "read_random100", "random get(i) x100", kRandomReads, w.random_bytes,
                 time_lmdb_read<AtomsIO>(path, reps,
                                         [&](const AtomsIO& io) { read_random(io, w.random_indices); }));
        add_read(w, out, "read_column_energy", "column(calc.energy).to_list()", n, w.energy_bytes,
                 time_lmdb_read<AtomsIO>(path, reps, read_energy_column));
        add_read(w, out, "read_blob", "BlobIO rows().to_list() (no decode)", n, w.encoded.bytes.size(),
                 time_lmdb_read<BlobIO>(path, reps, read_blobs));
    }

    const Config& config_;
    ScratchDir& dir_;
    std::map<std::pair<std::string, std::size_t>, Stats> memcpy_cache_;
};

// ---------------------------------------------------------------------------------------------
// Python asebytes

json python_request(const Config& config, const std::vector<Workload>& workloads, const ScratchDir& dir) {
    json req;
    req["frames"] = config.frames;
    req["reps"] = config.reps;
    req["batch"] = kStreamBatch;
    req["seed"] = kSeed;
    req["tmpdir"] = dir.path().string();
    for (const auto& w : workloads)
        req["workloads"].push_back({{"name", w.name},
                                    {"numbers", w.numbers},
                                    {"cell", w.cell},
                                    {"pbc", w.pbc},
                                    {"random_indices", w.random_indices}});
    return req;
}

void merge_python(const json& answer, std::vector<WorkloadResults>& all) {
    for (auto& wr : all) {
        if (!answer["workloads"].contains(wr.workload->name)) continue;
        const json& pw = answer["workloads"][wr.workload->name];
        wr.python_payload_bytes = pw.at("payload_bytes").get<std::size_t>();
        for (auto& r : wr.results) {
            if (!pw["ops"].contains(r.id)) continue;
            const json& s = pw["ops"][r.id];
            r.python = Stats{s.at("median_s").get<double>(), s.at("min_s").get<double>(),
                             s.at("max_s").get<double>()};
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Output

void print_row(const Result& r, const WorkloadResults& wr, bool python) {
    const double t = r.time.median;
    std::string raw = "";
    if (r.raw_ref)
        if (const Result* ref = wr.find(*r.raw_ref)) raw = ratio_text(t / ref->time.median);
    std::printf("  %-38s %10.3f %9.3f %9.3f %9s %9.1f %9s %8s", r.label.c_str(), t * 1e3, r.time.min * 1e3,
                r.time.max * 1e3, rate_text(static_cast<double>(r.frames) / t).c_str(),
                static_cast<double>(r.bytes) / t / 1e6, r.memcpy_s ? ratio_text(t / *r.memcpy_s).c_str() : "",
                raw.c_str());
    if (python) {
        std::string py_raw;
        if (r.python && r.raw_ref)
            if (const Result* ref = wr.find(*r.raw_ref); ref && ref->python)
                py_raw = ratio_text(r.python->median / ref->python->median);
        std::printf(" %8s %8s", r.python ? ratio_text(r.python->median / t).c_str() : "", py_raw.c_str());
    }
    std::printf("\n");
}

void print_workload(const WorkloadResults& wr, bool python) {
    const Workload& w = *wr.workload;
    std::printf("\n== %s: %zu frames, %s ==\n", w.name.c_str(), w.frames.size(), w.description.c_str());
    std::printf("   encoded payload %zu bytes (%.1f B/frame); calc.energy column %zu bytes; %zu random "
                "frames %zu bytes\n",
                w.encoded.bytes.size(),
                static_cast<double>(w.encoded.bytes.size()) / static_cast<double>(w.frames.size()),
                w.energy_bytes, kRandomReads, w.random_bytes);
    if (wr.python_payload_bytes && *wr.python_payload_bytes != w.encoded.bytes.size())
        std::printf(
            "   WARNING: the Python frames encode to %zu bytes, not %zu: Py/ours compares different data\n",
            *wr.python_payload_bytes, w.encoded.bytes.size());
    std::printf("  %-38s %10s %9s %9s %9s %9s %9s %8s%s\n", "operation", "median ms", "min ms", "max ms",
                "frames/s", "MB/s", "x memcpy", "x raw wr", python ? "  Py/ours Py x raw" : "");
    std::string kind;
    for (const auto& r : wr.results) {
        if (r.kind != kind) {
            kind = r.kind;
            std::printf("  -- %s\n", kind == "reference" ? "references (same bytes)"
                                     : kind == "write"   ? "LMDB writes (AtomsIO, fresh store each rep)"
                                                         : "LMDB reads (AtomsIO / BlobIO, warm page cache)");
        }
        print_row(r, wr, python);
    }
}

void print_legend(const Config& config) {
    std::printf("\nTimes: median (min, max) over %d repetitions; memcpy: median of %d samples (copies under\n"
                "4 MB repeated within a sample, time per copy).\n",
                config.reps, kMemcpySamples);
    const char* const lines[] = {
        "MB/s = encoded payload bytes of the operation / median / 1e6.",
        "x memcpy = median / memcpy time of the operation's bytes.",
        "x raw wr = median / the raw write with the same batching and syncing (sync: fsync, sync=no: none).",
        "Writes time open + extend(s) + close; reads time the operation only (store opened before, closed",
        "after; data in the page cache).",
        "Py/ours = Python asebytes median / ours on the same operation (>1: we are faster). Python runs "
        "after",
        "all C++ measurements; on the raw-write rows Py/ours compares the same raw write timed in the Python",
        "phase with the C++ phase: with fsync it shows how much the disk moved in between, which bounds how",
        "far the sync-write Py/ours can be trusted (without fsync it is Python's own overhead).",
        "Py x raw = Python median / the raw write timed next to it in the Python phase (compare with x raw "
        "wr;",
        "it is not affected by the disk moving between the phases).",
        "Python column read: ObjectIO(path)[key].to_list() (ASEIO's column view returns Atoms in 0.3.1);",
        "Python 'for (f : io)' is `for atoms in io`, 'rows().to_list()' is io[:].to_list().",
    };
    for (const char* line : lines)
        std::printf("%s\n", line);
}

json to_json(const Config& config, const std::vector<WorkloadResults>& all, const std::string& fs_type,
             const std::string& python_note) {
    json j;
    j["config"] = {
        {"frames", config.frames},     {"reps", config.reps},   {"memcpy_samples", kMemcpySamples},
        {"tmp_root", config.tmp_root}, {"filesystem", fs_type}, {"build_type", ASEBYTES_BENCH_BUILD_TYPE},
        {"python", python_note}};
    for (const auto& wr : all) {
        const Workload& w = *wr.workload;
        json jw = {{"name", w.name},
                   {"description", w.description},
                   {"frames", w.frames.size()},
                   {"natoms", w.natoms},
                   {"payload_bytes", w.encoded.bytes.size()}};
        if (wr.python_payload_bytes) jw["python_payload_bytes"] = *wr.python_payload_bytes;
        for (const auto& r : wr.results) {
            json jr = {{"id", r.id},
                       {"label", r.label},
                       {"kind", r.kind},
                       {"frames", r.frames},
                       {"bytes", r.bytes},
                       {"time", stats_json(r.time)},
                       {"frames_per_s", static_cast<double>(r.frames) / r.time.median},
                       {"mb_per_s", static_cast<double>(r.bytes) / r.time.median / 1e6}};
            if (r.memcpy_s) jr["x_memcpy"] = r.time.median / *r.memcpy_s;
            if (r.raw_ref)
                if (const Result* ref = wr.find(*r.raw_ref)) {
                    jr["raw_reference"] = *r.raw_ref;
                    jr["x_raw_write"] = r.time.median / ref->time.median;
                }
            if (r.python) {
                jr["python_time"] = stats_json(*r.python);
                jr["python_over_ours"] = r.python->median / r.time.median;
                if (r.raw_ref)
                    if (const Result* ref = wr.find(*r.raw_ref); ref && ref->python)
                        jr["python_x_raw_write"] = r.python->median / ref->python->median;
            }
            jw["results"].push_back(jr);
        }
        j["workloads"].push_back(jw);
    }
    return j;
}

// ---------------------------------------------------------------------------------------------

void usage(std::FILE* to) {
    std::fprintf(
        to, "usage: bench_lmdb [--frames N] [--reps N] [--json FILE] [--tmpdir DIR] [--no-python]\n"
            "  --frames N    frames per workload (default 1000)\n"
            "  --reps N      repetitions per measurement (default 5)\n"
            "  --json FILE   also write the results as JSON\n"
            "  --tmpdir DIR  where the scratch stores go (default $TMPDIR or /tmp)\n"
            "  --no-python   skip the Python asebytes comparison\n"
            "env: ASEBYTES_PY (Python asebytes' directory), ASEBYTES_PYTHON (interpreter, default\n"
            "     /usr/bin/python3), ASEBYTES_BENCH_SCRIPT (the Python side, default bench/lmdb_bench.py)\n");
}

Config parse_args(int argc, char** argv) {
    Config c;
    c.tmp_root = env_or("TMPDIR", "/tmp");
    parse_options(argc, argv, usage, [&](const std::string& a, auto value) {
        if (a == "--frames")
            c.frames = positive(a, value());
        else
            return apply_shared_option(c, a, value);
        return true;
    });
    if (c.frames < kRandomReads) throw std::invalid_argument("--frames must be at least 100");
    return c;
}

int run(const Config& config) {
    ScratchDir dir(config.tmp_root);
    const std::string fs_type = filesystem_type(dir.path());
    std::vector<Workload> workloads;
    workloads.push_back(build_workload(ethanol_spec(), kEthanol, config.frames));
    workloads.push_back(build_workload(periodic_spec(), fcc_positions(), config.frames));

    Runner runner(config, dir);
    std::vector<WorkloadResults> all;
    for (const auto& w : workloads)
        all.push_back(runner.run(w));

    std::string python_note = "Python comparison skipped (--no-python)";
    std::optional<json> py;
    if (config.python) {
        std::cerr << "[bench_lmdb] python asebytes\n";
        auto answer = run_python("bench_lmdb", env_or("ASEBYTES_BENCH_SCRIPT", ASEBYTES_BENCH_SCRIPT),
                                 ASEBYTES_BENCH_PYTHONPATH, python_request(config, workloads, dir), dir);
        python_note = answer.note;
        py = std::move(answer.answer);
        if (py) merge_python(*py, all);
    }

    std::printf("bench_lmdb: LMDB backend, %zu frames per workload, %d reps; build %s\n", config.frames,
                config.reps, ASEBYTES_BENCH_BUILD_TYPE);
    std::printf("scratch dir %s on %s\n", dir.path().c_str(), fs_type.c_str());
    std::printf("%s\n", python_note.c_str());
    for (const auto& wr : all)
        print_workload(wr, py.has_value());
    print_legend(config);
    std::printf("(checksum %g)\n", g_sink);

    if (config.json_path) write_json(*config.json_path, to_json(config, all, fs_type, python_note));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return bench_main(
        "bench_lmdb", usage, [&] { return parse_args(argc, argv); }, run);
}
