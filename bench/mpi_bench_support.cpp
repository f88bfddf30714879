#include "mpi_bench_support.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numeric>
#include <random>
#include <stdexcept>

#include <asebytes/registry.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace asebytes::bench {

double mean_of(const std::vector<double>& v) {
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

std::vector<double> ratios(const std::vector<double>& num, const std::vector<double>& den) {
    std::vector<double> out;
    for (std::size_t i = 0; i < std::min(num.size(), den.size()); ++i)
        if (den[i] > 0) out.push_back(num[i] / den[i]);
    return out;
}

void write_results(const nlohmann::json& j, const std::optional<std::string>& path,
                   const std::string& results_dir, const std::string& program, int ranks) {
    const std::string to =
        path ? *path : results_dir + "/" + program + "_np" + std::to_string(ranks) + ".json";
    write_json(to, j);
    std::printf("JSON: %s\n", to.c_str());
}

int mpi_bench_main(int argc, char** argv, const char* name, void (*usage)(std::FILE*),
                   const std::function<int(MPI_Comm)>& run) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int rc = 0;
    try {
        rc = run(MPI_COMM_WORLD);
    } catch (const std::invalid_argument& e) {
        if (rank == 0) {
            std::fprintf(stderr, "%s: %s\n", name, e.what());
            usage(stderr);
        }
        rc = 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s (rank %d): %s\n", name, rank, e.what());
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Finalize();
    return rc;
}

LocalAtoms make_local_atoms(std::size_t natoms, int rank, int size) {
    std::vector<int> ids(natoms);
    std::iota(ids.begin(), ids.end(), 1);
    std::mt19937_64 rng(kSeed);
    std::shuffle(ids.begin(), ids.end(), rng);
    const std::size_t lo = natoms * static_cast<std::size_t>(rank) / static_cast<std::size_t>(size);
    const std::size_t hi = natoms * static_cast<std::size_t>(rank + 1) / static_cast<std::size_t>(size);
    LocalAtoms a;
    a.n = hi - lo;
    a.tag.assign(ids.begin() + static_cast<std::ptrdiff_t>(lo),
                 ids.begin() + static_cast<std::ptrdiff_t>(hi));
    a.type.assign(a.n, 1);
    a.mask.assign(a.n, 1);
    std::mt19937_64 vals(kSeed + static_cast<std::uint64_t>(rank) + 1);
    std::uniform_real_distribution<double> box(0.0, 33.6), nrm(-1.0, 1.0);
    a.x.resize(3 * a.n);
    a.v.resize(3 * a.n);
    a.f.resize(3 * a.n);
    for (auto& e : a.x)
        e = box(vals);
    for (auto& e : a.v)
        e = nrm(vals);
    for (auto& e : a.f)
        e = 10.0 * nrm(vals);
    return a;
}

void pack_local(const LocalAtoms& a, const Units& u, Packed& p, bool momenta) {
    std::vector<int> mine; // as the fix: a fresh index list per frame
    mine.reserve(a.n);
    for (std::size_t i = 0; i < a.n; ++i)
        if (a.mask[i] & u.groupbit) mine.push_back(static_cast<int>(i));
    const std::size_t n = mine.size();
    p.ids.resize(n);
    p.numbers.resize(n);
    p.pos.resize(3 * n);
    p.forces.resize(3 * n);
    p.momenta.resize(momenta ? 3 * n : 0);
    for (std::size_t k = 0; k < n; ++k) {
        p.ids[k] = a.tag[static_cast<std::size_t>(mine[k])];
        p.numbers[k] = u.type_to_z[static_cast<std::size_t>(a.type[static_cast<std::size_t>(mine[k])])];
    }
    for (std::size_t k = 0; k < n; ++k)
        for (int d = 0; d < 3; ++d)
            p.pos[3 * k + d] = (a.x[3 * static_cast<std::size_t>(mine[k]) + d] - u.boxlo[d]) * u.distance;
    for (std::size_t k = 0; k < n; ++k)
        for (int d = 0; d < 3; ++d)
            p.forces[3 * k + d] = a.f[3 * static_cast<std::size_t>(mine[k]) + d] * u.force;
    p.pointers = {p.numbers.data(), p.pos.data(), p.forces.data()};
    if (!momenta) return;
    for (std::size_t k = 0; k < n; ++k) {
        const auto i = static_cast<std::size_t>(mine[k]);
        const double m = u.type_mass[static_cast<std::size_t>(a.type[i])] * u.mass;
        for (int d = 0; d < 3; ++d)
            p.momenta[3 * k + d] = m * a.v[3 * i + d] * u.velocity;
    }
    p.pointers.push_back(p.momenta.data());
}

std::vector<asebytes::mpi::Column> frame_columns(bool momenta) {
    std::vector<asebytes::mpi::Column> c{{"arrays.numbers", DType::Int64, 0},
                                         {"arrays.positions", DType::Float64, 3},
                                         {"calc.forces", DType::Float64, 3}};
    if (momenta) c.push_back({"arrays.momenta", DType::Float64, 3});
    return c;
}

void add_globals(Row& row, std::int64_t step, const Units& u, std::size_t natoms) {
    const double l = 33.5919 * u.distance;
    row["cell"] = NdArray::from<double>({3, 3}, std::vector<double>{l, 0, 0, 0, l, 0, 0, 0, l});
    row["pbc"] = NdArray::from<bool>(std::vector<bool>{true, true, true});
    row["calc.energy"] = -6.7 * static_cast<double>(natoms) * u.energy + 1e-6 * static_cast<double>(step);
    const double k = -u.pressure;
    row["calc.stress"] = NdArray::from<double>({k * 1.1, k * 1.2, k * 1.3, k * 0.01, k * 0.02, k * 0.03});
    row["info.step"] = static_cast<long long>(step);
    row["info.time"] = 0.005 * static_cast<double>(step);
}

PosixFile::PosixFile(const std::string& path)
    : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644)), path_(path) {
    if (fd_ < 0) throw std::runtime_error("open " + path + ": " + std::strerror(errno));
}

PosixFile::~PosixFile() { ::close(fd_); }

void PosixFile::write(const char* data, std::size_t n) {
    while (n > 0) {
        const ssize_t done = ::write(fd_, data, n);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) throw std::runtime_error("write " + path_ + ": " + std::strerror(errno));
        data += done;
        n -= static_cast<std::size_t>(done);
    }
}

void PosixFile::sync() {
    if (::fsync(fd_) != 0) throw std::runtime_error("fsync " + path_ + ": " + std::strerror(errno));
}

std::string broadcast_string(std::string text, MPI_Comm comm, int root) {
    int size = static_cast<int>(text.size());
    MPI_Bcast(&size, 1, MPI_INT, root, comm);
    text.resize(static_cast<std::size_t>(size));
    MPI_Bcast(text.data(), size, MPI_CHAR, root, comm);
    return text;
}

std::string cpu_affinity() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return "unknown";
    std::string out;
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set)) out += (out.empty() ? "" : ",") + std::to_string(c);
    return out + " of " + std::to_string(online_cpus()) + " online";
}

long online_cpus() { return sysconf(_SC_NPROCESSORS_ONLN); }

std::shared_ptr<ObjectReadWriteBackend> open_store(const std::string& path, bool sync,
                                                   const std::map<std::string, std::string>& extra) {
    OpenOptions o;
    o.options = extra;
    if (!sync) o.options["sync"] = "no";
    auto b = std::dynamic_pointer_cast<ObjectReadWriteBackend>(open_object_backend(path, o));
    if (!b) throw std::runtime_error(path + " is not writable");
    return b;
}

double machine_busy_s() {
    std::ifstream in("/proc/stat");
    std::string cpu;
    unsigned long long user = 0, nice = 0, sys = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    if (!(in >> cpu >> user >> nice >> sys >> idle >> iowait >> irq >> softirq >> steal) || cpu != "cpu")
        return 0.0;
    return static_cast<double>(user + nice + sys + irq + softirq + steal) /
           static_cast<double>(sysconf(_SC_CLK_TCK));
}

double own_cpu_s(MPI_Comm comm) {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    double t = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
    MPI_Allreduce(MPI_IN_PLACE, &t, 1, MPI_DOUBLE, MPI_SUM, comm);
    return t;
}

ForeignCpu::ForeignCpu(MPI_Comm comm) : comm_(comm), own0_(own_cpu_s(comm)), busy0_(machine_busy_s()) {}

double ForeignCpu::foreign_s() const {
    const double own1 = own_cpu_s(comm_), busy1 = machine_busy_s();
    return std::max(0.0, (busy1 - busy0_) - (own1 - own0_));
}

// Every rank sleeps 3 s at a time (no MPI call is busy-waiting meanwhile) and rank 0 decides.
void wait_until_quiet(MPI_Comm comm, const char* name) {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    for (int waited = 0; waited < 300; waited += 5) {
        const ForeignCpu foreign(comm);
        sleep(3);
        int quiet = foreign.foreign_s() <= 3 * kForeignLimit;
        MPI_Bcast(&quiet, 1, MPI_INT, 0, comm);
        if (quiet) return;
        if (rank == 0 && waited == 0) std::fprintf(stderr, "[%s] other programs are busy: waiting\n", name);
        sleep(2);
    }
}

} // namespace asebytes::bench
