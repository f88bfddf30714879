#pragma once
// What the MPI benchmarks (bench_mpi_writer, bench_parallel_write) share: timing and summary
// statistics, a rank's atoms as LAMMPS holds them and fix asebytes' packing of them, scratch
// directories, machine facts for the output, and the disturbance guard (CPU time other programs
// take meanwhile). Builds on bench_support.hpp, which every benchmark shares.
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_support.hpp"
#include <asebytes/backend.hpp>
#include <asebytes/mpi/frame_gatherer.hpp>

// Set by bench/CMakeLists.txt for each benchmark.
#ifndef ASEBYTES_BENCH_BUILD_TYPE
#define ASEBYTES_BENCH_BUILD_TYPE "unknown"
#endif
#ifndef ASEBYTES_BENCH_RESULTS_DIR
#define ASEBYTES_BENCH_RESULTS_DIR "."
#endif

namespace asebytes::bench {

// ---- timing and statistics (beyond bench_support.hpp's) --------------------------------------

constexpr std::uint64_t kSeed = 20240601;

double mean_of(const std::vector<double>& v);
/// The value at fraction `p` (0..1) of the sorted samples.
double percentile(std::vector<double> v, double p);
/// num[i] / den[i] for every pair with den[i] > 0.
std::vector<double> ratios(const std::vector<double>& num, const std::vector<double>& den);

/// Writes the results `j` to `path`, by default to <results_dir>/<program>_np<ranks>.json, and
/// prints where they went.
void write_results(const nlohmann::json& j, const std::optional<std::string>& path,
                   const std::string& results_dir, const std::string& program, int ranks);
/// The main() of an MPI benchmark: MPI_Init_thread (funneled), `run` on MPI_COMM_WORLD,
/// MPI_Finalize. On std::invalid_argument (a bad command line) rank 0 prints it and `usage`, and
/// the exit code is 2; on any other error the rank that caught it calls MPI_Abort.
int mpi_bench_main(int argc, char** argv, const char* name, void (*usage)(std::FILE*),
                   const std::function<int(MPI_Comm)>& run);

// ---- atoms as LAMMPS holds them, packed as fix asebytes packs them --------------------------

/// A rank's atoms: tags and types as int, x/v/f as contiguous n x 3 doubles, in no id order.
struct LocalAtoms {
    std::size_t n = 0;
    std::vector<int> tag, type, mask;
    std::vector<double> x, v, f;
};

/// This rank's share of `natoms` atoms: ids 1..natoms shuffled (the same permutation on every
/// rank) and split in contiguous shares, so ids are scattered over ranks and unordered within one
/// (as after LAMMPS's atom sorting and migration).
LocalAtoms make_local_atoms(std::size_t natoms, int rank, int size);

/// What fix asebytes keeps from frame to frame (its LocalColumns).
struct Packed {
    std::vector<std::int64_t> ids, numbers;
    std::vector<double> pos, forces, momenta;
    std::vector<const void*> pointers; ///< for FrameGatherer::gather, in frame_columns() order
};

/// Run-time unit factors (1.0 here), so that the multiplications are not optimised away.
struct Units {
    double distance = 1.0, force = 1.0, velocity = 1.0, mass = 1.0, energy = 1.0, pressure = 1.0;
    double boxlo[3] = {0.0, 0.0, 0.0};
    int groupbit = 1;
    std::vector<std::int64_t> type_to_z{0, 18};
    std::vector<double> type_mass{0.0, 1.0};
};

/// fix asebytes' pack_local(): select the group's atoms, copy ids, species and the
/// unit-converted positions, forces and (with `momenta`) momenta.
void pack_local(const LocalAtoms& a, const Units& u, Packed& p, bool momenta = true);

/// The per-atom columns pack_local fills, in the order of Packed::pointers.
std::vector<asebytes::mpi::Column> frame_columns(bool momenta = true);

/// fix asebytes' per-frame values (cell, pbc, energy, stress, info.step, info.time) of a frame of
/// `natoms` atoms at `step`.
void add_globals(Row& row, std::int64_t step, const Units& u, std::size_t natoms);

// ---- files and the machine -------------------------------------------------------------------

/// A plain file created (or truncated) for writing, closed on destruction: the raw-write reference.
class PosixFile {
public:
    explicit PosixFile(const std::string& path);
    ~PosixFile();
    PosixFile(const PosixFile&) = delete;
    PosixFile& operator=(const PosixFile&) = delete;
    /// Writes all `n` bytes (write(2) may take fewer at a time).
    void write(const char* data, std::size_t n);
    /// fsync(2): the data are on the disk when it returns.
    void sync();

private:
    int fd_;
    std::string path_;
};

/// `text` of rank `root`, on every rank of `comm`.
std::string broadcast_string(std::string text, MPI_Comm comm, int root = 0);

/// The CPUs this rank's MD thread may run on: mpirun binds each rank to one core by default when
/// there are no more ranks than cores (the writer thread widens its own affinity).
std::string cpu_affinity();
long online_cpus();

/// A writable store at `path` (registry options `extra`; `sync=no` unless `sync`).
std::shared_ptr<ObjectReadWriteBackend> open_store(const std::string& path, bool sync,
                                                   const std::map<std::string, std::string>& extra);

// ---- disturbance guard -----------------------------------------------------------------------
// CPU time the whole machine spent busy (/proc/stat) minus the CPU time of this benchmark's own
// processes is what other programs took meanwhile.

constexpr double kForeignLimit = 0.05; ///< share of one core other programs may take
constexpr int kMaxRetries = 6;

double machine_busy_s();
/// CPU time of the benchmark, summed over the ranks of `comm` (all threads); collective.
double own_cpu_s(MPI_Comm comm);

/// Measures the CPU time other programs take between construction and foreign_s(); collective.
class ForeignCpu {
public:
    explicit ForeignCpu(MPI_Comm comm);
    /// Seconds of CPU other programs used since construction (collective).
    double foreign_s() const;

private:
    MPI_Comm comm_;
    double own0_, busy0_;
};

/// Waits (up to 5 minutes) until other programs use less than kForeignLimit of a core; rank 0
/// decides and says so on stderr, prefixed by `name`. Collective.
void wait_until_quiet(MPI_Comm comm, const char* name);

} // namespace asebytes::bench
