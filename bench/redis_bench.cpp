// bench_redis: our side of bench/redis_bench.py, which starts a redis-server, makes the frames
// (an LMDB store both sides read them from), runs Python asebytes on the same server, and prints
// the ratios. Two modes:
//   bench_redis ops URI SOURCE --reps N --batch B --indices i,j,... --json FILE
//       write (AtomsIO.extend in batches, a fresh group each repetition), read all (for f : io),
//       random get(i), column calc.energy, read all through a fresh cache_to LMDB and again;
//       median/min/max seconds per operation; as many empty round trips (size()) as random
//       reads, the floor a random read cannot go under; and a loop waiting kWorkUs per frame
//       that reads as it goes or through prefetch(4).
//   bench_redis append URI GROUP SOURCE --batch B --json FILE
//       one writer of a fleet: appends every frame of SOURCE; its own start and end (Unix time).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include <asebytes/asebytes.hpp>

#include "bench_support.hpp"

using nlohmann::json;
using namespace asebytes::bench;
namespace fs = std::filesystem;

namespace {

// The caller's wait per frame in the prefetch loop: about what reading a frame costs here.
constexpr int kWorkUs = 100;

struct Config {
    std::string mode, uri, group, source, json_path;
    int reps = 3;
    std::size_t batch = 10;
    std::vector<std::int64_t> indices;
};

std::vector<asebytes::Frame> frames_of(const std::string& source) {
    std::vector<asebytes::Frame> out;
    for (auto& f : asebytes::AtomsIO(source))
        out.push_back(*f);
    return out;
}

asebytes::OpenOptions in_group(const std::string& group) {
    asebytes::OpenOptions o;
    o.group = group;
    return o;
}

void append_all(asebytes::AtomsIO& io, const std::vector<asebytes::Frame>& frames, std::size_t batch) {
    for (std::size_t i = 0; i < frames.size(); i += batch)
        io.extend({frames.begin() + static_cast<std::ptrdiff_t>(i),
                   frames.begin() + static_cast<std::ptrdiff_t>(std::min(i + batch, frames.size()))});
}

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json run_ops(const Config& c) {
    const auto frames = frames_of(c.source);
    int rep = 0;
    const Stats write = repeat(c.reps, [&] {
        asebytes::AtomsIO io(c.uri, in_group("ours-write-" + std::to_string(rep++)));
        return seconds_of([&] { append_all(io, frames, c.batch); });
    });
    const auto read = in_group("ours-write-0");
    asebytes::AtomsIO io(c.uri, read);
    if (io.size() != frames.size()) throw std::runtime_error("the written group has the wrong length");
    const Stats read_all = repeat(c.reps, [&] {
        return seconds_of([&] {
            double s = 0;
            for (auto& f : io)
                s += f->positions[0] + static_cast<double>(f->natoms());
            g_sink += s;
        });
    });
    const Stats random = repeat(c.reps, [&] {
        return seconds_of([&] {
            for (auto i : c.indices)
                g_sink += io.get(i)->positions[0];
        });
    });
    const Stats column = repeat(c.reps, [&] {
        return seconds_of([&] {
            for (const auto& v : io.column("calc.energy").to_list())
                g_sink += v->as_double();
        });
    });
    // The floor of a random read: as many round trips that carry nothing (LLEN of the group).
    const Stats trips = repeat(c.reps, [&] {
        return seconds_of([&] {
            for (std::size_t k = 0; k < c.indices.size(); ++k)
                g_sink += static_cast<double>(io.size());
        });
    });
    // Read-through cache (cache_to): every frame read through a fresh LMDB cache, then again.
    std::vector<double> first, again;
    {
        ScratchDir caches(fs::temp_directory_path().string(), "asebytes-bench-cache");
        for (int r = 0; r < c.reps; ++r) {
            const auto cached =
                asebytes::cache_to(asebytes::AtomsIO(c.uri, read), caches.fresh("cache", ".lmdb"));
            const auto pass = [&] {
                return seconds_of([&] {
                    for (auto& f : cached)
                        g_sink += f->positions[0];
                });
            };
            first.push_back(pass());
            again.push_back(pass());
        }
    }
    const Stats cached_first = summarize(first), cached_again = summarize(again);
    // Prefetch: a loop that waits kWorkUs per frame (work done elsewhere, such as a training step
    // on a GPU), reading as it goes or reading ahead.
    const auto work = [] { std::this_thread::sleep_for(std::chrono::microseconds(kWorkUs)); };
    const Stats plain = repeat(c.reps, [&] {
        return seconds_of([&] {
            for (auto& f : io) {
                g_sink += f->positions[0];
                work();
            }
        });
    });
    const asebytes::AsyncAtomsIO ahead{asebytes::AtomsIO(c.uri, read)};
    const Stats prefetched = repeat(c.reps, [&] {
        return seconds_of([&] {
            for (auto& f : ahead.prefetch(4)) {
                g_sink += f->positions[0];
                work();
            }
        });
    });
    return {{"frames", frames.size()},
            {"round_trips", stats_json(trips)},
            {"prefetch",
             {{"work_per_frame_us", kWorkUs},
              {"plain", stats_json(plain)},
              {"prefetch", stats_json(prefetched)}}},
            {"ops",
             {{"write", stats_json(write)},
              {"read_all", stats_json(read_all)},
              {"random", stats_json(random)},
              {"column_energy", stats_json(column)},
              {"cached_first", stats_json(cached_first)},
              {"cached_again", stats_json(cached_again)}}}};
}

json run_append(const Config& c) {
    const auto frames = frames_of(c.source);
    asebytes::AtomsIO io(c.uri, in_group(c.group));
    const double start = unix_now();
    append_all(io, frames, c.batch);
    // The floor of a random read: as many round trips that carry nothing (LLEN of the group).
    const Stats trips = repeat(c.reps, [&] {
        return seconds_of([&] {
            for (std::size_t k = 0; k < c.indices.size(); ++k)
                g_sink += static_cast<double>(io.size());
        });
    });
    return {
        {"frames", frames.size()}, {"round_trips", stats_json(trips)}, {"start", start}, {"end", unix_now()}};
}

void usage(std::FILE* to) {
    std::fprintf(
        to, "usage: bench_redis ops URI SOURCE [--reps N] [--batch B] [--indices i,j,...] --json FILE\n"
            "       bench_redis append URI GROUP SOURCE [--batch B] --json FILE\n"
            "(run by bench/redis_bench.py, which starts the server and compares with Python asebytes)\n");
}

Config parse_args(int argc, char** argv) {
    Config c;
    std::vector<std::string> positional;
    for (int a = 1; a < argc; ++a) {
        const std::string arg = argv[a];
        auto value = [&]() -> std::string {
            if (a + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++a];
        };
        if (arg == "-h" || arg == "--help") {
            usage(stdout);
            std::exit(0);
        } else if (arg == "--reps") {
            c.reps = static_cast<int>(positive(arg, value().c_str()));
        } else if (arg == "--batch") {
            c.batch = positive(arg, value().c_str());
        } else if (arg == "--json") {
            c.json_path = value();
        } else if (arg == "--indices") {
            std::stringstream list(value());
            for (std::string i; std::getline(list, i, ',');)
                c.indices.push_back(std::stoll(i));
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.empty() || c.json_path.empty())
        throw std::invalid_argument("a mode and --json are needed");
    c.mode = positional[0];
    if (c.mode == "ops" && positional.size() == 3) {
        c.uri = positional[1];
        c.source = positional[2];
    } else if (c.mode == "append" && positional.size() == 4) {
        c.uri = positional[1];
        c.group = positional[2];
        c.source = positional[3];
    } else {
        throw std::invalid_argument("unknown mode or wrong number of arguments");
    }
    return c;
}

int run(const Config& c) {
    write_json(c.json_path, c.mode == "ops" ? run_ops(c) : run_append(c));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return bench_main(
        "bench_redis", usage, [&] { return parse_args(argc, argv); }, run);
}
