#pragma once
// Runs lmp_asebytes on an input script in a temporary directory, as a user would.
#include <map>
#include <string>
#include <vector>

#include "golden.hpp"

namespace asebytes::test {

struct LammpsResult {
    int exit_code = -1;
    std::string output; // screen output (stdout and stderr)
    bool has(const std::string& text) const { return output.find(text) != std::string::npos; }
};

/// Writes `input` to dir/in.lmp and runs it there (under mpirun when np > 1).
LammpsResult run_lammps(const fs::path& dir, const std::string& input, int np = 1);

/// 108 Cu atoms, EAM, metal units, velocities at 600 K: the common test system (no run, no fix).
std::string cu_system(int cells = 3);

/// Frames of `dump custom` (sorted by id): step -> column name -> values, plus the box.
struct DumpFrame {
    long long step = 0;
    double lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0};
    std::map<std::string, std::vector<double>> columns;
};
std::vector<DumpFrame> read_dump(const fs::path& path);

/// Thermo lines of a log: one map column -> value per printed step.
std::vector<std::map<std::string, double>> read_thermo(const fs::path& log);

} // namespace asebytes::test
