#pragma once
// What every benchmark program in bench/ needs: timing and statistics, a scratch directory, the
// hardware references (memcpy and raw file writes of the same bytes), machine information, the
// Python companion runner and number formatting. Benchmarks are never part of the test run.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace asebytes::bench {

using Clock = std::chrono::steady_clock;

/// Reads feed this so the optimiser cannot drop them; programs print it at the end.
extern double g_sink;

/// Seconds on a steady clock (differences only).
double now_s();

struct Stats {
    double median = 0, min = 0, max = 0; // seconds
};

double median_of(std::vector<double> samples);
/// Median, min and max of the samples (zeros when there are none).
Stats summarize(const std::vector<double>& samples);
/// {"median<suffix>", "min<suffix>", "max<suffix>"}: the seconds times `scale`.
nlohmann::json stats_json(const Stats& s, const std::string& suffix = "_s", double scale = 1.0);

template <class F> double seconds_of(F&& body) {
    const auto t0 = Clock::now();
    body();
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// Runs `one_rep` (which times its own measured part and returns seconds) `reps` times.
template <class F> Stats repeat(int reps, F&& one_rep) {
    std::vector<double> samples;
    for (int r = 0; r < reps; ++r)
        samples.push_back(one_rep());
    return summarize(samples);
}

inline void clobber_memory() { asm volatile("" ::: "memory"); }

/// Seconds per memcpy of `bytes` bytes from `src` into a touched buffer, over `samples` samples;
/// copies under 4 MB are repeated within a sample so the clock's resolution does not matter.
Stats time_memcpy(const char* src, std::size_t bytes, int samples);

/// A private temporary directory, removed with everything in it at the end.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& root, const std::string& prefix = "asebytes-bench");
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    /// A new, not yet existing path inside the directory.
    std::string fresh(const std::string& stem, const std::string& ext);

private:
    std::filesystem::path path_;
    int counter_ = 0;
};

/// "ext2/3/4", "tmpfs (fsync is a no-op)", ... of the file system holding `p`.
std::string filesystem_type(const std::filesystem::path& p);

/// Bytes laid out frame after frame, as a raw-write reference writes them.
struct FramedBytes {
    std::string bytes;
    std::vector<std::size_t> frame_bytes; // size of each frame's part
};

/// Opens a new file, writes the frames in batches of `batch` (fsync after each when `sync`),
/// closes it.
void raw_write(const FramedBytes& data, const std::string& path, std::size_t batch, bool sync);
/// Seconds for one raw_write into a fresh file of `dir` (removed afterwards).
double raw_write_sample(const FramedBytes& data, ScratchDir& dir, std::size_t batch, bool sync);

/// The value of environment variable `name`, or `fallback` when unset or empty.
std::string env_or(const char* name, const std::string& fallback);
/// `text` as a positive integer; std::invalid_argument naming `option` otherwise.
std::size_t positive(const std::string& option, const char* text);

/// Host, CPU model, cores, memory, kernel, UTC date, build type, scratch file system.
nlohmann::json machine_info(const std::filesystem::path& scratch, const std::string& build_type);

/// A Python companion script's answer, or why there is none.
struct PythonAnswer {
    std::optional<nlohmann::json> answer;
    std::string note; // interpreter, asebytes version and path; or why it was skipped
};

/// Runs `python script REQUEST ANSWER` (interpreter: $ASEBYTES_PYTHON or /usr/bin/python3) with
/// Python asebytes on PYTHONPATH ($ASEBYTES_PY, else $ASEBYTES_PYTHONPATH, else
/// `default_pythonpath`). Exit code 3 from the script means "cannot import its modules".
PythonAnswer run_python(const std::string& program, const std::string& script,
                        const std::string& default_pythonpath, const nlohmann::json& request,
                        const ScratchDir& dir);

/// Writes `j` to `path` (creating its directory); std::runtime_error when that fails.
void write_json(const std::string& path, const nlohmann::json& j);

/// Walks the options in argv: `handle(option, value)` applies one and returns false when it does
/// not know it (std::invalid_argument then); `value()` takes the option's argument. -h and --help
/// print `usage` and exit.
template <class Handle>
void parse_options(int argc, char** argv, void (*usage)(std::FILE*), Handle&& handle) {
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) throw std::invalid_argument(option + " needs a value");
            return argv[++i];
        };
        if (option == "-h" || option == "--help") {
            usage(stdout);
            std::exit(0);
        }
        if (!handle(option, value)) throw std::invalid_argument("unknown option '" + option + "'");
    }
}

/// Applies one of the options the benchmarks with a Python comparison share to `config` (members
/// reps, json_path, tmp_root, python): --reps N, --json FILE, --tmpdir DIR, --no-python. Returns
/// false for any other option (for parse_options' `handle`).
template <class Config, class Value>
bool apply_shared_option(Config& config, const std::string& option, Value&& value) {
    if (option == "--reps")
        config.reps = static_cast<int>(positive(option, value()));
    else if (option == "--json")
        config.json_path = value();
    else if (option == "--tmpdir")
        config.tmp_root = value();
    else if (option == "--no-python")
        config.python = false;
    else
        return false;
    return true;
}

/// A benchmark's main(): parse the arguments, run; a bad argument prints the error and `usage`
/// (exit 2), any other error its message (exit 1).
template <class Parse, class Run>
int bench_main(const char* program, void (*usage)(std::FILE*), Parse&& parse, Run&& run) {
    try {
        return run(parse());
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "%s: %s\n", program, e.what());
        usage(stderr);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", program, e.what());
        return 1;
    }
}

/// printf-style formatting of one number.
std::string fmt(const char* format, double v);
/// 1.23x, 12.3x, 123x.
std::string ratio_text(double v);
/// 1.23M, 12.3k, 123.
std::string rate_text(double v);

} // namespace asebytes::bench
