// bench_zarr_parallel: would MPI ranks writing their own chunk files of a .zarr store beat
// gathering the atoms to rank 0, which is what fix asebytes does for Zarr? A batch of large frames
// (default 4 x 262,144 atoms: positions, forces, numbers per atom; energy, cell, pbc per frame),
// written in the same run three ways:
//   gathered  each rank holds N/np of every frame's atoms; MPI_Gatherv to rank 0, which appends
//             the frames through AtomsIO (the .zarr backend) and flushes (fsync);
//   chunks    the per-atom arrays' chunk files of that same store, chunk k written by rank
//             k % np: compressed with the store's own codecs, written under a temporary name and
//             renamed, fsynced; rank 0 then writes the arrays' and the group's zarr.json. No
//             atoms are exchanged first, as if every rank already held the atoms of its chunks:
//             the best any parallel writer of this layout could do (the per-frame arrays are
//             left out, too), so an upper bound of what it would gain;
//   raw       rank 0 writes the same uncompressed bytes to one file and fsyncs it.
// Each timing runs from a barrier before to a barrier after; the median of --reps.
//
//   mpirun -np 1|2|4 build/bin/bench_zarr_parallel [--atoms N] [--frames F] [--reps R]
// (--oversubscribe for more ranks than cores; as root --allow-run-as-root.) Not part of the tests.
#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <asebytes/asebytes.hpp>

#include "backends/zarr_array.hpp"
#include "backends/zarr_codecs.hpp"
#include "bench_support.hpp"
#include "python_json.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace asebytes;

namespace {

struct Config {
    std::size_t atoms = 262144, frames = 4;
    int reps = 3;
};

struct Frames {
    std::vector<std::vector<double>> positions, forces; // frame -> 3N
};

Frames make_frames(const Config& c) {
    std::mt19937_64 rng(20261204);
    std::uniform_real_distribution<double> box(0, 140);
    std::normal_distribution<double> force(0, 0.5);
    Frames f;
    for (std::size_t k = 0; k < c.frames; ++k) {
        std::vector<double> x(3 * c.atoms), g(3 * c.atoms);
        for (auto& v : x)
            v = box(rng);
        for (auto& v : g)
            v = force(rng);
        f.positions.push_back(std::move(x));
        f.forces.push_back(std::move(g));
    }
    return f;
}

double seconds(MPI_Comm comm, const std::function<void()>& body) {
    MPI_Barrier(comm);
    const double t0 = MPI_Wtime();
    body();
    MPI_Barrier(comm);
    return MPI_Wtime() - t0;
}

void fsync_file(const fs::path& p) {
    const int fd = ::open(p.c_str(), O_RDONLY);
    if (fd < 0) throw std::runtime_error("cannot open " + p.string());
    ::fsync(fd);
    ::close(fd);
}

// Rank 0 gathers each frame's atoms (rank r holds the r-th contiguous block) and appends them.
void gathered(MPI_Comm comm, const Config& c, const Frames& all, const std::string& store,
              const std::string& compressor) {
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    const std::size_t first = c.atoms * static_cast<std::size_t>(rank) / static_cast<std::size_t>(size);
    const std::size_t last = c.atoms * static_cast<std::size_t>(rank + 1) / static_cast<std::size_t>(size);
    std::vector<int> counts(static_cast<std::size_t>(size)), displs(static_cast<std::size_t>(size));
    for (int r = 0; r < size; ++r) {
        const auto a = c.atoms * static_cast<std::size_t>(r) / static_cast<std::size_t>(size);
        const auto b = c.atoms * static_cast<std::size_t>(r + 1) / static_cast<std::size_t>(size);
        counts[static_cast<std::size_t>(r)] = static_cast<int>(3 * (b - a));
        displs[static_cast<std::size_t>(r)] = static_cast<int>(3 * a);
    }
    std::vector<Frame> frames;
    for (std::size_t k = 0; k < c.frames; ++k) {
        std::vector<double> x(rank == 0 ? 3 * c.atoms : 0), g(rank == 0 ? 3 * c.atoms : 0);
        MPI_Gatherv(all.positions[k].data() + 3 * first, static_cast<int>(3 * (last - first)), MPI_DOUBLE,
                    x.data(), counts.data(), displs.data(), MPI_DOUBLE, 0, comm);
        MPI_Gatherv(all.forces[k].data() + 3 * first, static_cast<int>(3 * (last - first)), MPI_DOUBLE,
                    g.data(), counts.data(), displs.data(), MPI_DOUBLE, 0, comm);
        if (rank != 0) continue;
        Frame f;
        f.numbers.assign(c.atoms, 29);
        f.positions = std::move(x);
        f.cell = {140, 0, 0, 0, 140, 0, 0, 0, 140};
        f.pbc = {true, true, true};
        f.set_energy(-3.5 * static_cast<double>(c.atoms));
        f.set_forces(std::move(g));
        frames.push_back(std::move(f));
    }
    if (rank != 0) return;
    OpenOptions o;
    o.options = {{"compressor", compressor}};
    AtomsIO io(store, o);
    io.extend(frames);
    io.flush();
}

struct PerAtomArray {
    std::string name;
    std::size_t chunk_rows = 0, row_items = 1, itemsize = 8;
    double fill = 0; // what the rows past the end of the last chunk hold
    zarr::CodecChain codecs;
};

// The per-atom arrays of the gathered store, with their chunking and codecs.
std::vector<PerAtomArray> per_atom_arrays(const std::string& store) {
    std::vector<PerAtomArray> out;
    for (const char* name : {"arrays.positions", "calc.forces", "arrays.numbers"}) {
        const fs::path meta = fs::path(store) / "default" / name / "zarr.json";
        const auto bytes = zarr::read_file(meta, meta.string());
        const Value doc = python_json::loads(std::string(bytes.begin(), bytes.end()));
        const json j = json::parse(std::string(bytes.begin(), bytes.end()));
        PerAtomArray a;
        a.name = name;
        const auto chunks = j["chunk_grid"]["configuration"]["chunk_shape"];
        a.chunk_rows = chunks[0].get<std::size_t>();
        a.row_items = chunks.size() > 1 ? chunks[1].get<std::size_t>() : 1;
        if (j["fill_value"].is_number())
            a.fill = j["fill_value"].get<double>();
        else if (j["fill_value"] == "NaN")
            a.fill = std::numeric_limits<double>::quiet_NaN();
        for (const auto& [k, v] : doc.as_map())
            if (k == "codecs") a.codecs = zarr::parse_codecs(v, meta.string());
        out.push_back(a);
    }
    return out;
}

// Chunk k of every per-atom array by rank k % np, from rows the rank is taken to hold already.
void chunks(MPI_Comm comm, const Config& c, const Frames& all, const std::string& model,
            const std::string& store) {
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    const auto arrays = per_atom_arrays(model);
    const std::size_t rows = c.atoms * c.frames;
    std::vector<fs::path> written;
    for (const auto& a : arrays) {
        const std::size_t n_chunks = (rows + a.chunk_rows - 1) / a.chunk_rows;
        for (std::size_t k = static_cast<std::size_t>(rank); k < n_chunks;
             k += static_cast<std::size_t>(size)) {
            std::vector<std::uint8_t> raw(a.chunk_rows * a.row_items * a.itemsize, 0);
            if (a.name != "arrays.numbers")
                for (std::size_t i = 0; i < a.chunk_rows * a.row_items; ++i)
                    std::memcpy(raw.data() + 8 * i, &a.fill, 8);
            for (std::size_t row = k * a.chunk_rows; row < std::min(rows, (k + 1) * a.chunk_rows); ++row) {
                auto* dst = raw.data() + (row - k * a.chunk_rows) * a.row_items * a.itemsize;
                const std::size_t frame = row / c.atoms, atom = row % c.atoms;
                if (a.name == "arrays.numbers") {
                    const std::int64_t z = 29;
                    std::memcpy(dst, &z, 8);
                } else {
                    const auto& src = a.name == "calc.forces" ? all.forces[frame] : all.positions[frame];
                    std::memcpy(dst, src.data() + 3 * atom, 3 * 8);
                }
            }
            const std::string key =
                a.row_items > 1 ? "c/" + std::to_string(k) + "/0" : "c/" + std::to_string(k);
            zarr::write_file_atomically(fs::path(store) / "default" / a.name / key,
                                        zarr::compress(a.codecs, std::move(raw)), written);
        }
    }
    for (const auto& p : written)
        fsync_file(p);
    MPI_Barrier(comm);
    if (rank != 0) return;
    for (const auto& a : arrays) {
        const fs::path meta = fs::path("default") / a.name / "zarr.json";
        const auto bytes = zarr::read_file(fs::path(model) / meta, model);
        zarr::write_file_atomically(fs::path(store) / meta, bytes, written);
        fsync_file(fs::path(store) / meta);
    }
    const auto group = zarr::read_file(fs::path(model) / "default" / "zarr.json", model);
    zarr::write_file_atomically(fs::path(store) / "default" / "zarr.json", group, written);
    fsync_file(fs::path(store) / "default" / "zarr.json");
}

void raw_write(MPI_Comm comm, const Frames& all, const std::string& file) {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    if (rank != 0) return;
    std::FILE* f = std::fopen(file.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + file);
    for (std::size_t k = 0; k < all.positions.size(); ++k) {
        std::fwrite(all.positions[k].data(), 8, all.positions[k].size(), f);
        std::fwrite(all.forces[k].data(), 8, all.forces[k].size(), f);
    }
    std::fflush(f);
    ::fsync(fileno(f));
    std::fclose(f);
}

int run(int argc, char** argv) {
    MPI_Comm comm = MPI_COMM_WORLD;
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    Config c;
    for (int a = 1; a + 1 < argc; a += 2) {
        const std::string arg = argv[a];
        if (arg == "--atoms")
            c.atoms = std::stoul(argv[a + 1]);
        else if (arg == "--frames")
            c.frames = std::stoul(argv[a + 1]);
        else if (arg == "--reps")
            c.reps = std::stoi(argv[a + 1]);
        else
            throw std::invalid_argument("unknown option " + arg);
    }
    const Frames all = make_frames(c);
    // One scratch directory, named by rank 0 for everyone.
    std::string dir;
    if (rank == 0)
        dir = (fs::temp_directory_path() / ("asebytes-zarr-parallel-" + std::to_string(::getpid()))).string();
    int length = static_cast<int>(dir.size());
    MPI_Bcast(&length, 1, MPI_INT, 0, comm);
    dir.resize(static_cast<std::size_t>(length));
    MPI_Bcast(dir.data(), length, MPI_CHAR, 0, comm);
    if (rank == 0) fs::create_directories(dir);
    MPI_Barrier(comm);

    json out = {{"ranks", size}, {"atoms", c.atoms}, {"frames", c.frames}, {"reps", c.reps}};
    std::vector<double> raw;
    for (int r = 0; r < c.reps; ++r) {
        const std::string file = dir + "/raw-" + std::to_string(r) + ".bin";
        raw.push_back(seconds(comm, [&] { raw_write(comm, all, file); }));
    }
    out["raw_s"] = bench::median_of(raw);
    for (const std::string compressor : {"lz4", "none"}) {
        std::vector<double> g, k;
        for (int r = 0; r < c.reps; ++r) {
            const std::string model = dir + "/gathered-" + compressor + std::to_string(r) + ".zarr";
            g.push_back(seconds(comm, [&] { gathered(comm, c, all, model, compressor); }));
            const std::string store = dir + "/chunks-" + compressor + std::to_string(r) + ".zarr";
            k.push_back(seconds(comm, [&] { chunks(comm, c, all, model, store); }));
        }
        out[compressor] = {{"gathered_s", bench::median_of(g)}, {"chunks_s", bench::median_of(k)}};
        if (rank == 0) {
            // The chunk files must be those of the gathered store (same bytes, same names).
            const fs::path a =
                fs::path(dir) / ("gathered-" + compressor + "0.zarr") / "default" / "calc.forces" / "c";
            const fs::path b =
                fs::path(dir) / ("chunks-" + compressor + "0.zarr") / "default" / "calc.forces" / "c";
            for (const auto& e : fs::recursive_directory_iterator(a))
                if (e.is_regular_file() &&
                    zarr::read_file(e.path(), "") != zarr::read_file(b / fs::relative(e.path(), a), ""))
                    throw std::runtime_error("chunk " + e.path().string() + " differs between the two ways");
        }
    }
    if (rank == 0) {
        std::printf("bench_zarr_parallel: np %d, %zu frames of %zu atoms (positions, forces, numbers), "
                    "median of %d\n",
                    size, c.frames, c.atoms, c.reps);
        std::printf("raw write+fsync of the positions and forces from rank 0: %.1f ms per frame\n",
                    1e3 * out["raw_s"].get<double>() / static_cast<double>(c.frames));
        for (const char* compressor : {"lz4", "none"}) {
            const double g = out[compressor]["gathered_s"], k = out[compressor]["chunks_s"];
            std::printf(
                "%-5s gathered %7.1f ms/frame  chunks (upper bound) %7.1f ms/frame  gathered/chunks %.2fx\n",
                compressor, 1e3 * g / static_cast<double>(c.frames), 1e3 * k / static_cast<double>(c.frames),
                g / k);
        }
        std::printf("%s\n", out.dump().c_str());
        fs::remove_all(dir);
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int code = 0;
    try {
        code = run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_zarr_parallel: %s\n", e.what());
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Finalize();
    return code;
}
