// bench_backends: our backends (lmdb, h5 with and without gzip, h5p, h5md with and without gzip,
// extxyz) through the public facade AtomsIO, on the same generated frames as the tools users would
// pick instead, all measured in the same run: Python asebytes 0.3.1 (LMDB, .h5, .h5md), ASE's
// extxyz and ase.db SQLite, h5py writing the arrays plainly (bench/backends_bench.py), and the
// hardware limits (memcpy and a raw file write of the same values, and raw/lmdb: the bare LMDB
// operations of our layout, bench/lmdb_floor.hpp). Operations: write (extend in
// batches), read every frame, random access, column reads; then how write and random-read costs
// grow with the number of frames and with atoms per frame. Benchmarks are not part of the tests.
//
// Usage: bench_backends [--quick] [--reps N] [--only PATTERN] [--json FILE] [--tmpdir DIR] [--no-python]
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <asebytes/asebytes.hpp>

#include "backends_data.hpp"
#include "backends_results.hpp"
#include "bench_support.hpp"
#include "lmdb_floor.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace asebytes::bench;

namespace {

// ASEBYTES_BENCH_* (script, Python asebytes path, results dir, build type) come from bench/CMakeLists.txt.
constexpr std::uint64_t kSeed = 20240611;
constexpr int kMemcpySamples = 21;
constexpr std::size_t kRandomReads = 100;
constexpr std::size_t kWriteBatch = 100; // frames per extend, as a user appends a trajectory
// Python asebytes takes minutes beyond this many frames; the scaling series stops it there.
constexpr std::size_t kPythonFrameCap = 10000;

struct Config {
    bool quick = false;
    int reps = 3;
    std::string only;
    std::string json_path = std::string(ASEBYTES_BENCH_RESULTS_DIR) + "/backends.json";
    std::string tmp_root;
    bool python = true;
};

/// The sizes a run measures: the defaults, or tiny ones for --quick.
struct Sizes {
    std::size_t workload_frames;
    std::vector<std::size_t> frame_counts;
    std::vector<std::size_t> atom_counts;
    std::size_t frames_per_atom_count;
};

Sizes sizes_for(const Config& c) {
    if (c.quick) return {100, {100, 1000}, {1000, 4000}, 2};
    return {1000, {1000, 10000, 100000}, {1000, 4000, 16000, 64000, 256000}, 3};
}

/// One of our backends as a user opens it.
struct Backend {
    std::string target; // "ours/<name>"
    std::string extension;
    std::map<std::string, std::string> options;
};

const std::vector<Backend> kBackends = {
    {"ours/lmdb", ".lmdb", {}},
    {"ours/h5-gzip", ".h5", {}},
    {"ours/h5-none", ".h5", {{"compression", "none"}}},
    {"ours/h5p", ".h5p", {}},
    {"ours/h5md-gzip", ".h5md", {}},
    {"ours/h5md-none", ".h5md", {{"compression", "none"}}},
    {"ours/extxyz", ".xyz", {}},
    {"ours/zarr", ".zarr", {}},
    {"ours/zarr-none", ".zarr", {{"compressor", "none"}}},
    {"ours/zarrp", ".zarrp", {}},
};
const std::vector<std::string> kScalingBackends = {"ours/lmdb", "ours/h5-gzip",   "ours/h5-none",
                                                   "ours/h5p",  "ours/h5md-gzip", "ours/h5md-none",
                                                   "ours/zarr", "ours/zarr-none"};

const std::vector<std::string> kAllOps = {"write", "read_all", "random", "column_energy", "column_positions"};
const std::vector<std::string> kScalingOps = {"write", "random"};
const std::vector<std::string> kPythonTargets = {"py/lmdb",    "py/h5-gzip",    "py/h5-none",
                                                 "py/h5p",     "py/h5md-gzip",  "py/h5md-none",
                                                 "ase/extxyz", "ase.db/sqlite", "h5py/plain"};
const std::vector<std::string> kPythonScalingTargets = {
    "py/lmdb", "py/h5-gzip", "py/h5-none", "py/h5p", "py/h5md-gzip", "py/h5md-none", "h5py/plain"};

/// A dataset measured under one name, with what to measure on it.
struct Task {
    std::string name;
    const Dataset* data = nullptr;
    std::size_t batch = kWriteBatch;
    std::vector<std::int64_t> random;
    std::vector<std::string> ops;
    std::vector<const Backend*> backends;
    std::vector<std::string> python_targets;
    json exported; // where the Python side finds the frames
};

/// Frames and plain bytes `op` touches on the task (what the raw references copy or write).
std::pair<std::size_t, std::size_t> amount_of(const Task& t, const std::string& op) {
    const Dataset& d = *t.data;
    const std::size_t n = d.frames.size();
    if (op == "random") return {t.random.size(), d.bytes_of(t.random)};
    if (op == "column_energy") return {n, 8 * n};
    if (op == "column_positions") return {n, 24 * d.atoms};
    return {n, d.plain.bytes.size()}; // write, read_all
}

std::vector<const Backend*> backends_named(const std::vector<std::string>& targets) {
    std::vector<const Backend*> out;
    for (const auto& b : kBackends)
        if (std::find(targets.begin(), targets.end(), b.target) != targets.end()) out.push_back(&b);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Our backends

class Runner {
public:
    Runner(const Config& config, ScratchDir& dir, ResultSet& results)
        : config_(config), dir_(dir), results_(results) {}

    bool selected(const Task& t, const std::string& target, const std::string& op) const {
        return std::find(t.ops.begin(), t.ops.end(), op) != t.ops.end() &&
               (t.name + "/" + target + "/" + op).find(config_.only) != std::string::npos;
    }

    void run(const Task& t) {
        std::cerr << "[bench_backends] " << t.name << ": writes\n";
        const auto stores = run_writes(t);
        add_memcpy(t);
        for (const auto& [backend, path] : stores)
            if (backend->target == "ours/lmdb") run_lmdb_floor(t, path);
        for (const auto& [backend, path] : stores) {
            std::cerr << "[bench_backends] " << t.name << ": reads " << backend->target << "\n";
            run_reads(t, *backend, path);
            fs::remove_all(path);
        }
    }

private:
    void add(const Task& t, const std::string& target, const std::string& op, Stats time, int reps,
             std::optional<std::size_t> store_bytes = std::nullopt) {
        const auto [frames, bytes] = amount_of(t, op);
        results_.add({t.name, target, op, time, reps, frames, bytes, store_bytes});
    }

    /// Bytes on disk of a store: its file, or every file under its directory.
    static std::size_t bytes_on_disk(const std::string& path) {
        if (!fs::is_directory(path)) return static_cast<std::size_t>(fs::file_size(path));
        std::size_t n = 0;
        for (const auto& f : fs::recursive_directory_iterator(path))
            if (f.is_regular_file()) n += static_cast<std::size_t>(f.file_size());
        return n;
    }

    std::vector<const Backend*> needed(const Task& t) const {
        std::vector<const Backend*> out;
        for (const auto* b : t.backends)
            if (std::any_of(t.ops.begin(), t.ops.end(),
                            [&](const std::string& op) { return selected(t, b->target, op); }))
                out.push_back(b);
        return out;
    }

    /// The raw writes and each store's write, rep by rep, so all see the same disk conditions.
    /// Returns the store each backend wrote last (the one the reads use).
    std::vector<std::pair<const Backend*, std::string>> run_writes(const Task& t) {
        const auto backends = needed(t);
        std::vector<std::pair<const Backend*, std::string>> stores;
        std::vector<std::pair<std::string, std::vector<double>>> samples = {{"raw/write", {}},
                                                                            {"raw/write+fsync", {}}};
        for (const auto* b : backends)
            samples.emplace_back(b->target, std::vector<double>{});
        const bool raw = selected(t, "raw/write", "write") || selected(t, "raw/write+fsync", "write");
        const auto batches = batches_of(t);
        for (int rep = 0; rep < config_.reps; ++rep) {
            if (raw) {
                samples[0].second.push_back(raw_write_sample(t.data->plain, dir_, t.batch, false));
                samples[1].second.push_back(raw_write_sample(t.data->plain, dir_, t.batch, true));
            }
            for (std::size_t k = 0; k < backends.size(); ++k) {
                const Backend* b = backends[k];
                const std::string path = dir_.fresh(t.name, b->extension);
                samples[2 + k].second.push_back(write_sample(batches, *b, path));
                if (rep + 1 < config_.reps)
                    fs::remove_all(path);
                else
                    stores.emplace_back(b, path);
            }
        }
        std::map<std::string, std::size_t> sizes;
        for (const auto& [backend, path] : stores)
            sizes[backend->target] = bytes_on_disk(path);
        for (const auto& [target, s] : samples)
            if (!s.empty() && selected(t, target, "write"))
                add(t, target, "write", summarize(s), config_.reps,
                    sizes.count(target) ? std::optional<std::size_t>(sizes[target]) : std::nullopt);
        return stores;
    }

    static std::vector<std::vector<asebytes::Frame>> batches_of(const Task& t) {
        const auto& frames = t.data->frames;
        std::vector<std::vector<asebytes::Frame>> out;
        for (std::size_t i = 0; i < frames.size(); i += t.batch)
            out.emplace_back(frames.begin() + static_cast<std::ptrdiff_t>(i),
                             frames.begin() +
                                 static_cast<std::ptrdiff_t>(std::min(i + t.batch, frames.size())));
        return out;
    }

    /// Seconds to open a new store, extend it batch by batch and close it.
    static double write_sample(const std::vector<std::vector<asebytes::Frame>>& batches, const Backend& b,
                               const std::string& path) {
        asebytes::OpenOptions options;
        options.options = b.options;
        const double s = seconds_of([&] {
            asebytes::AtomsIO io(path, options);
            for (const auto& batch : batches)
                io.extend(batch);
        });
        std::size_t frames = 0;
        for (const auto& batch : batches)
            frames += batch.size();
        if (asebytes::AtomsIO(path).size() != frames)
            throw std::runtime_error("write check failed: " + path + " has the wrong length");
        return s;
    }

    /// Times `body(io)` on the store opened (untimed) before each repetition and closed after it.
    template <class Body>
    void time_read(const Task& t, const Backend& b, const std::string& path, const std::string& op,
                   Body&& body) {
        if (!selected(t, b.target, op)) return;
        add(t, b.target, op,
            repeat(config_.reps,
                   [&] {
                       const asebytes::AtomsIO io(path);
                       return seconds_of([&] { body(io); });
                   }),
            config_.reps);
    }

    void run_reads(const Task& t, const Backend& b, const std::string& path) {
        using asebytes::AtomsIO;
        time_read(t, b, path, "read_all", [](const AtomsIO& io) {
            for (const auto& f : io)
                g_sink += f->positions[0] + static_cast<double>(f->natoms());
        });
        time_read(t, b, path, "random", [&](const AtomsIO& io) {
            for (auto i : t.random)
                g_sink += io.get(i)->positions[0];
        });
        time_read(t, b, path, "column_energy", [](const AtomsIO& io) {
            for (const auto& v : io.column("calc.energy").to_list())
                g_sink += v->as_double();
        });
        time_read(t, b, path, "column_positions", [](const AtomsIO& io) {
            for (const auto& v : io.column("arrays.positions").to_list())
                g_sink += static_cast<double>(v->as_array().nbytes());
        });
    }

    /// raw/lmdb: the LMDB operations of ours/lmdb on the store it wrote, nothing decoded
    /// (bench/lmdb_floor.hpp).
    void run_lmdb_floor(const Task& t, const std::string& path) {
        if (std::none_of(t.ops.begin(), t.ops.end(),
                         [&](const std::string& op) { return selected(t, "raw/lmdb", op); }))
            return;
        const LmdbFloor floor(fs::path(path) / "default");
        std::vector<std::size_t> all(floor.rows()), random(t.random.begin(), t.random.end());
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = i;
        const std::map<std::string, std::function<double()>> ops = {
            {"write", [&] { return floor.write(dir_.fresh(t.name, ".floor"), t.batch); }},
            {"read_all", [&] { return floor.read_rows(all); }},
            {"random", [&] { return floor.read_rows(random); }},
            {"column_energy", [&] { return floor.column("calc.energy"); }},
            {"column_positions", [&] { return floor.column("arrays.positions"); }}};
        for (const auto& [op, sample] : ops)
            if (selected(t, "raw/lmdb", op))
                add(t, "raw/lmdb", op, repeat(config_.reps, sample), config_.reps);
    }

    /// memcpy of the plain bytes each read op delivers: the limit a read could reach.
    void add_memcpy(const Task& t) {
        for (const char* op : {"read_all", "random", "column_energy", "column_positions"})
            if (selected(t, "raw/memcpy", op))
                add(t, "raw/memcpy", op,
                    time_memcpy(t.data->plain.bytes.data(), amount_of(t, op).second, kMemcpySamples),
                    kMemcpySamples);
    }

    const Config& config_;
    ScratchDir& dir_;
    ResultSet& results_;
};

// ---------------------------------------------------------------------------------------------
// Tasks

struct Plan {
    std::vector<Dataset> datasets; // owned here; tasks point into it
    std::vector<Task> tasks;
    std::vector<std::string> frame_series, atom_series; // task names of the scaling series
    std::vector<std::string> frame_labels, atom_labels;
    std::vector<std::string> notes;
};

std::string count_label(std::size_t n) {
    return n % 1000 == 0 ? std::to_string(n / 1000) + "k" : std::to_string(n);
}

Plan make_plan(const Config& config, const fs::path& export_dir) {
    const Sizes sizes = sizes_for(config);
    Plan p;
    p.datasets.reserve(3 + sizes.frame_counts.size() + sizes.atom_counts.size());
    const std::size_t most_frames = std::max(sizes.workload_frames, sizes.frame_counts.back());
    const Dataset& ethanol = p.datasets.emplace_back(ethanol_dataset(most_frames, kSeed));
    p.datasets.push_back(ethanol.prefix(sizes.workload_frames, "ethanol"));
    p.datasets.push_back(periodic_dataset(sizes.workload_frames, 10, 200, kSeed + 1));
    const json ethanol_export = export_arrays(ethanol, export_dir / "ethanol");

    auto add_task = [&](const std::string& name, const Dataset& d, const json& exported, std::size_t batch,
                        std::size_t random_reads, const std::vector<std::string>& ops,
                        const std::vector<std::string>& ours, std::vector<std::string> python) {
        Task t{name,
               &d,
               batch,
               random_indices(d.frames.size(), random_reads, kSeed),
               ops,
               backends_named(ours),
               std::move(python),
               exported};
        t.exported["frames"] = d.frames.size();
        p.tasks.push_back(std::move(t));
    };
    std::vector<std::string> all_ours;
    for (const auto& b : kBackends)
        all_ours.push_back(b.target);
    const std::size_t reads = std::min(kRandomReads, sizes.workload_frames);
    add_task("ethanol", p.datasets[1], ethanol_export, kWriteBatch, reads, kAllOps, all_ours, kPythonTargets);
    add_task("periodic", p.datasets[2], export_arrays(p.datasets[2], export_dir / "periodic"), kWriteBatch,
             reads, kAllOps, all_ours, kPythonTargets);

    for (std::size_t n : sizes.frame_counts) {
        const Dataset& d = p.datasets.emplace_back(ethanol.prefix(n, "ethanol"));
        const std::string name = "frames-" + std::to_string(n);
        auto python = n <= kPythonFrameCap ? kPythonScalingTargets : std::vector<std::string>{"h5py/plain"};
        add_task(name, d, ethanol_export, kWriteBatch, std::min(kRandomReads, n), kScalingOps,
                 kScalingBackends, python);
        p.frame_series.push_back(name);
        p.frame_labels.push_back(count_label(n));
    }
    p.notes.push_back(
        "frame scaling: Python asebytes is measured up to " + std::to_string(kPythonFrameCap) +
        " frames (beyond, it takes minutes); ASE extxyz and ase.db are not in the scaling series");
    for (std::size_t natoms : sizes.atom_counts) {
        const Dataset& d =
            p.datasets.emplace_back(bulk_dataset(natoms, sizes.frames_per_atom_count, kSeed + 2));
        // One frame per extend (as an MD writer appends) and every frame read once, in random order.
        add_task(d.name, d, export_arrays(d, export_dir / d.name), 1, d.frames.size(), kScalingOps,
                 kScalingBackends, kPythonScalingTargets);
        p.atom_series.push_back(d.name);
        p.atom_labels.push_back(count_label(natoms));
    }
    return p;
}

// ---------------------------------------------------------------------------------------------
// Python side

json python_request(const Config& config, const Plan& plan, const ScratchDir& dir) {
    json req = {{"reps", config.reps}, {"only", config.only}, {"tmpdir", dir.path().string()}};
    for (const auto& t : plan.tasks) {
        json amounts;
        for (const auto& op : t.ops)
            amounts[op] = amount_of(t, op);
        req["tasks"].push_back({{"name", t.name},
                                {"amounts", amounts},
                                {"data", t.exported},
                                {"batch", t.batch},
                                {"random", t.random},
                                {"ops", t.ops},
                                {"targets", t.python_targets}});
    }
    return req;
}

// ---------------------------------------------------------------------------------------------
// Output

void print_report(const Config& config, const Plan& plan, const ResultSet& results, const json& machine,
                  const std::string& python_note) {
    std::printf("bench_backends: %s build, %d reps (median; min and max in the JSON), %s\n",
                ASEBYTES_BENCH_BUILD_TYPE, config.reps, config.quick ? "--quick sizes" : "full sizes");
    std::printf("machine: %s, %s CPUs, %s; scratch on %s; %s\n", machine["cpu"].get<std::string>().c_str(),
                std::to_string(machine["cpus_online"].get<long>()).c_str(),
                machine["memory"].get<std::string>().c_str(),
                machine["scratch_filesystem"].get<std::string>().c_str(),
                machine["date_utc"].get<std::string>().c_str());
    std::printf("%s\n", python_note.c_str());
    for (const auto& note : plan.notes)
        std::printf("note: %s\n", note.c_str());
    for (const auto& t : plan.tasks)
        if (std::find(plan.frame_series.begin(), plan.frame_series.end(), t.name) ==
                plan.frame_series.end() &&
            std::find(plan.atom_series.begin(), plan.atom_series.end(), t.name) == plan.atom_series.end())
            results.print_workload(t.name, t.name + ": " + std::to_string(t.data->frames.size()) +
                                               " frames, " + t.data->description + ", extend in batches of " +
                                               std::to_string(t.batch) + ", " +
                                               std::to_string(t.random.size()) + " random reads");
    const std::string ethanol = "9-atom frames";
    results.print_series(plan.frame_series, plan.frame_labels, "write",
                         "scaling with frames (" + ethanol + "): write, extend in batches of 100");
    results.print_series(plan.frame_series, plan.frame_labels, "random",
                         "scaling with frames (" + ethanol + "): 100 random reads");
    const std::string few = std::to_string(sizes_for(config).frames_per_atom_count) + " frames";
    results.print_series(plan.atom_series, plan.atom_labels, "write",
                         "scaling with atoms per frame (" + few + ", one extend each): write");
    results.print_series(plan.atom_series, plan.atom_labels, "random",
                         "scaling with atoms per frame (" + few + "): read each frame once, random order");
    std::printf(
        "\nWrites time open + extends + close of a new store; reads time the operation on a store opened\n"
        "before (data in the page cache). ours/* go through AtomsIO; py/* are Python asebytes 0.3.1 (ASEIO;\n"
        "column reads through ObjectIO, whose column view yields values); h5py/plain writes one contiguous\n"
        "dataset per array and reads them whole; raw/* copy or write the plain values (int64 numbers,\n"
        "float64 positions, forces, energy, stress, cell; pbc bytes). The machine is shared: other programs\n"
        "may have run meanwhile, so read ratios between neighbours of one run, not absolute times.\n");
    std::printf("(checksum %g)\n", g_sink);
}

json to_json(const Config& config, const Plan& plan, const ResultSet& results, const json& machine,
             const std::string& python_note) {
    json j = {{"benchmark", "bench_backends"},
              {"machine", machine},
              {"config",
               {{"quick", config.quick},
                {"reps", config.reps},
                {"only", config.only},
                {"write_batch", kWriteBatch},
                {"memcpy_samples", kMemcpySamples},
                {"seed", kSeed}}},
              {"python", python_note},
              {"notes", plan.notes},
              {"results", results.to_json()}};
    for (const auto& t : plan.tasks)
        j["workloads"].push_back({{"name", t.name},
                                  {"description", t.data->description},
                                  {"frames", t.data->frames.size()},
                                  {"atoms", t.data->atoms},
                                  {"plain_bytes", t.data->plain.bytes.size()},
                                  {"write_batch", t.batch},
                                  {"random_reads", t.random.size()}});
    return j;
}

// ---------------------------------------------------------------------------------------------

void usage(std::FILE* to) {
    std::fprintf(
        to,
        "usage: bench_backends [--quick] [--reps N] [--only PATTERN] [--json FILE] [--tmpdir DIR] "
        "[--no-python]\n"
        "  --quick         tiny sizes, 1 rep unless --reps (a smoke test, seconds)\n"
        "  --reps N        repetitions per measurement (default 3)\n"
        "  --only PATTERN  only measurements whose WORKLOAD/TARGET/OP contains PATTERN\n"
        "                  (e.g. ethanol/, /ours/lmdb/, /write, frames-)\n"
        "  --json FILE     where the JSON goes (default %s/backends.json)\n"
        "  --tmpdir DIR    where the scratch stores go (default $TMPDIR or /tmp)\n"
        "  --no-python     skip Python asebytes, ASE, ase.db and h5py\n"
        "env: ASEBYTES_PY (Python asebytes' directory for PYTHONPATH), ASEBYTES_PYTHON (interpreter,\n"
        "     default /usr/bin/python3), ASEBYTES_BENCH_SCRIPT (default bench/backends_bench.py)\n",
        ASEBYTES_BENCH_RESULTS_DIR);
}

Config parse_args(int argc, char** argv) {
    Config c;
    c.tmp_root = env_or("TMPDIR", "/tmp");
    bool reps_given = false;
    parse_options(argc, argv, usage, [&](const std::string& a, auto value) {
        if (a == "--quick")
            c.quick = true;
        else if (a == "--only")
            c.only = value();
        else if (apply_shared_option(c, a, value))
            reps_given = reps_given || a == "--reps";
        else
            return false;
        return true;
    });
    if (c.quick && !reps_given) c.reps = 1;
    return c;
}

int run(const Config& config) {
    ScratchDir dir(config.tmp_root, "asebytes-bench-backends");
    const json machine = machine_info(dir.path(), ASEBYTES_BENCH_BUILD_TYPE);
    std::cerr << "[bench_backends] generating frames\n";
    Plan plan = make_plan(config, dir.path() / "arrays");

    ResultSet results;
    Runner runner(config, dir, results);
    for (const auto& t : plan.tasks)
        runner.run(t);

    std::string python_note = "Python references skipped (--no-python)";
    if (config.python) {
        std::cerr << "[bench_backends] Python asebytes, ASE, ase.db, h5py\n";
        auto py = run_python("bench_backends", env_or("ASEBYTES_BENCH_SCRIPT", ASEBYTES_BENCH_SCRIPT),
                             ASEBYTES_BENCH_PYTHONPATH, python_request(config, plan, dir), dir);
        python_note = py.note;
        if (py.answer) {
            results.add_json(py.answer->at("results"));
            for (const auto& note : py.answer->value("notes", json::array()))
                plan.notes.push_back(note.get<std::string>());
        }
    }

    print_report(config, plan, results, machine, python_note);
    write_json(config.json_path, to_json(config, plan, results, machine, python_note));
    std::printf("JSON: %s\n", config.json_path.c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return bench_main(
        "bench_backends", usage, [&] { return parse_args(argc, argv); }, run);
}
