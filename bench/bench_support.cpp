#include "bench_support.hpp"

#include <fcntl.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace fs = std::filesystem;
using nlohmann::json;

namespace asebytes::bench {

double g_sink = 0.0;

double now_s() { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); }

double median_of(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Stats summarize(const std::vector<double>& v) {
    if (v.empty()) return {};
    return {median_of(v), *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end())};
}

json stats_json(const Stats& s, const std::string& suffix, double scale) {
    return {{"median" + suffix, s.median * scale},
            {"min" + suffix, s.min * scale},
            {"max" + suffix, s.max * scale}};
}

namespace {
constexpr std::size_t kMemcpyMinBytesPerSample = std::size_t{4} << 20;
} // namespace

Stats time_memcpy(const char* src, std::size_t bytes, int samples) {
    std::vector<char> dst(bytes + 1, 1); // touched, so page faults are not timed
    const std::size_t inner =
        std::max<std::size_t>(1, kMemcpyMinBytesPerSample / std::max<std::size_t>(bytes, 1));
    return repeat(samples, [&] {
        const double t = seconds_of([&] {
            for (std::size_t k = 0; k < inner; ++k) {
                std::memcpy(dst.data(), src, bytes);
                clobber_memory();
            }
        });
        g_sink += dst[bytes / 2];
        return t / static_cast<double>(inner);
    });
}

// ---------------------------------------------------------------------------------------------
// Scratch space

ScratchDir::ScratchDir(const std::string& root, const std::string& prefix) {
    std::string templ = (fs::path(root) / (prefix + "-XXXXXX")).string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp in " + root + ": " + std::strerror(errno));
    path_ = templ;
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string ScratchDir::fresh(const std::string& stem, const std::string& ext) {
    return (path_ / (stem + "-" + std::to_string(counter_++) + ext)).string();
}

std::string filesystem_type(const fs::path& p) {
    struct statfs s {};
    if (statfs(p.c_str(), &s) != 0) return "unknown";
    switch (static_cast<unsigned long>(s.f_type)) {
    case 0xEF53UL:
        return "ext2/3/4";
    case 0x01021994UL:
        return "tmpfs (fsync is a no-op)";
    case 0x58465342UL:
        return "xfs";
    case 0x9123683EUL:
        return "btrfs";
    case 0x794C7630UL:
        return "overlayfs";
    default: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "0x%lx", static_cast<unsigned long>(s.f_type));
        return buf;
    }
    }
}

// ---------------------------------------------------------------------------------------------
// Raw file writes

namespace {

void write_all(int fd, const char* data, std::size_t n, const std::string& path) {
    while (n > 0) {
        const ssize_t w = ::write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) throw std::runtime_error("write " + path + ": " + std::strerror(errno));
        data += w;
        n -= static_cast<std::size_t>(w);
    }
}

/// Owns a file descriptor; closes it on every path out.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

} // namespace

void raw_write(const FramedBytes& data, const std::string& path, std::size_t batch, bool sync) {
    const Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    if (fd.get() < 0) throw std::runtime_error("open " + path + ": " + std::strerror(errno));
    const auto& sizes = data.frame_bytes;
    std::size_t offset = 0;
    for (std::size_t i = 0; i < sizes.size(); i += batch) {
        std::size_t n = 0;
        for (std::size_t j = i; j < std::min(i + batch, sizes.size()); ++j)
            n += sizes[j];
        write_all(fd.get(), data.bytes.data() + offset, n, path);
        offset += n;
        if (sync && ::fsync(fd.get()) != 0)
            throw std::runtime_error("fsync " + path + ": " + std::strerror(errno));
    }
}

double raw_write_sample(const FramedBytes& data, ScratchDir& dir, std::size_t batch, bool sync) {
    const std::string path = dir.fresh("raw", ".bin");
    const double t = seconds_of([&] { raw_write(data, path, batch, sync); });
    fs::remove(path);
    return t;
}

// ---------------------------------------------------------------------------------------------
// Environment, arguments, machine

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}

std::size_t positive(const std::string& option, const char* text) {
    char* end = nullptr;
    const long long v = std::strtoll(text, &end, 10);
    if (!end || *end || v <= 0)
        throw std::invalid_argument(option + " needs a positive integer, got '" + text + "'");
    return static_cast<std::size_t>(v);
}

namespace {

/// The value after "key:" on the first line of `file` that starts with `key`.
std::string proc_field(const char* file, const std::string& key) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key, 0) == 0) {
            const auto colon = line.find(':');
            if (colon == std::string::npos) break;
            const auto start = line.find_first_not_of(" \t", colon + 1);
            return start == std::string::npos ? "" : line.substr(start);
        }
    return "unknown";
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

json machine_info(const fs::path& scratch, const std::string& build_type) {
    utsname u{};
    uname(&u);
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    return {{"date_utc", utc_now()},
            {"host", host},
            {"kernel", std::string(u.sysname) + " " + u.release + " " + u.machine},
            {"cpu", proc_field("/proc/cpuinfo", "model name")},
            {"cpus_online", sysconf(_SC_NPROCESSORS_ONLN)},
            {"memory", proc_field("/proc/meminfo", "MemTotal")},
            {"build_type", build_type},
            {"scratch_dir", scratch.string()},
            {"scratch_filesystem", filesystem_type(scratch)}};
}

// ---------------------------------------------------------------------------------------------
// Python companion scripts

namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

PythonAnswer run_python(const std::string& program, const std::string& script,
                        const std::string& default_pythonpath, const json& request, const ScratchDir& dir) {
    const std::string python = env_or("ASEBYTES_PYTHON", "/usr/bin/python3");
    const std::string pythonpath = env_or("ASEBYTES_PY", env_or("ASEBYTES_PYTHONPATH", default_pythonpath));
    if (!fs::exists(script))
        return {std::nullopt, "Python comparison skipped: script " + script + " not found"};
    const std::string request_path = (dir.path() / "python-request.json").string();
    const std::string answer_path = (dir.path() / "python-answer.json").string();
    std::ofstream(request_path) << request.dump(2);
    const char* old = std::getenv("PYTHONPATH");
    const std::string combined = old && *old ? pythonpath + ":" + old : pythonpath;
    setenv("PYTHONPATH", combined.c_str(), 1);
    std::cerr << "[" << program << "] python: " << python << " with PYTHONPATH=" << pythonpath << "\n";
    std::fflush(nullptr);
    const int rc = std::system((shell_quote(python) + " " + shell_quote(script) + " " +
                                shell_quote(request_path) + " " + shell_quote(answer_path))
                                   .c_str());
    const int code = rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    if (code == 3)
        return {std::nullopt,
                "Python comparison skipped: Python asebytes (or one of its modules) not importable by " +
                    python + " with PYTHONPATH=" + pythonpath + " (set ASEBYTES_PY)"};
    if (code != 0)
        return {std::nullopt, "Python comparison skipped: " + python + " " + script + " failed (exit " +
                                  std::to_string(code) + ")"};
    json out = json::parse(std::ifstream(answer_path));
    const std::string note = "Python asebytes " + out.value("asebytes_version", std::string("?")) + " from " +
                             out.value("asebytes_path", std::string("?")) + ", Python " +
                             out.value("python_version", std::string("?"));
    return {std::move(out), note};
}

void write_json(const std::string& path, const json& j) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    std::ofstream out(path);
    out << j.dump(2) << "\n";
    if (!out) throw std::runtime_error("cannot write " + path);
}

// ---------------------------------------------------------------------------------------------
// Formatting

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string ratio_text(double v) {
    return v >= 100 ? fmt("%.0fx", v) : v >= 10 ? fmt("%.1fx", v) : fmt("%.2fx", v);
}

std::string rate_text(double v) {
    if (v >= 1e6) return fmt("%.2fM", v / 1e6);
    if (v >= 1e3) return fmt("%.1fk", v / 1e3);
    return fmt("%.0f", v);
}

} // namespace asebytes::bench
