// bench_redis: our side of bench/redis_bench.py, which starts a redis-server, makes the frames
// (an LMDB store both sides read them from), runs Python asebytes on the same server, and prints
// the ratios. Two modes:
//   bench_redis ops URI SOURCE --reps N --batch B --indices i,j,... --json FILE
//       write (AtomsIO.extend in batches, a fresh group each repetition), read all (for f : io),
//       random get(i), column calc.energy; median/min/max seconds per operation; and as many
//       empty round trips (size()) as random reads, the floor a random read cannot go under.
//   bench_redis append URI GROUP SOURCE --batch B --json FILE
//       one writer of a fleet: appends every frame of SOURCE; its own start and end (Unix time).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <asebytes/asebytes.hpp>

#include "bench_support.hpp"

using nlohmann::json;
using namespace asebytes::bench;

namespace {

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
    return {{"frames", frames.size()},
            {"round_trips", stats_json(trips)},
            {"ops",
             {{"write", stats_json(write)},
              {"read_all", stats_json(read_all)},
              {"random", stats_json(random)},
              {"column_energy", stats_json(column)}}}};
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
