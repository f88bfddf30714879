#include "lammps_run.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace asebytes::test {

namespace {
// ASEBYTES_TEST_LMP and ASEBYTES_TEST_PLUGIN run the tests with another lmp that loads the plugin
// (scripts/lammps-from-source): `plugin load` first, and again after every `clear`, which
// unloads plugins in LAMMPS 20220106.
std::string with_plugin_loads(const std::string& input, const char* plugin) {
    const std::string load = "plugin load " + std::string(plugin) + "\n";
    std::string out = load;
    std::istringstream lines(input);
    for (std::string line; std::getline(lines, line);) {
        out += line + "\n";
        if (line == "clear") out += load;
    }
    return out;
}
} // namespace

LammpsResult run_lammps(const fs::path& dir, const std::string& input, int np) {
    const char* lmp = std::getenv("ASEBYTES_TEST_LMP");
    const char* plugin = std::getenv("ASEBYTES_TEST_PLUGIN");
    { std::ofstream(dir / "in.lmp") << (plugin ? with_plugin_loads(input, plugin) : input); }
    std::string cmd = "cd '" + dir.string() + "' && ";
    if (np > 1)
        cmd += "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader '" +
               std::string(ASEBYTES_MPIEXEC) + "' -np " + std::to_string(np) + " --oversubscribe ";
    cmd += "'" + std::string(lmp ? lmp : ASEBYTES_LMP) + "' -in in.lmp -log log.lammps > screen.txt 2>&1";
    LammpsResult r;
    const int status = std::system(cmd.c_str());
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::ifstream in(dir / "screen.txt");
    std::stringstream s;
    s << in.rdbuf();
    r.output = s.str();
    return r;
}

std::string cu_system(int cells) {
    const std::string n = std::to_string(cells);
    return "units metal\natom_style atomic\nboundary p p p\nlattice fcc 3.615\n"
           "region box block 0 " +
           n + " 0 " + n + " 0 " + n +
           "\ncreate_box 1 box\ncreate_atoms 1 box\n"
           "mass 1 63.546\npair_style eam\npair_coeff 1 1 Cu_u3.eam\n"
           "velocity all create 600.0 87287 mom yes rot yes dist gaussian\n"
           "fix nve all nve\ntimestep 0.002\n";
}

std::vector<DumpFrame> read_dump(const fs::path& path) {
    std::ifstream in(path);
    std::vector<DumpFrame> frames;
    std::string line;
    while (std::getline(in, line)) {
        if (line != "ITEM: TIMESTEP") continue;
        DumpFrame f;
        in >> f.step;
        std::getline(in, line);
        std::getline(in, line); // ITEM: NUMBER OF ATOMS
        std::size_t n = 0;
        in >> n;
        std::getline(in, line);
        std::getline(in, line); // ITEM: BOX BOUNDS pp pp pp
        for (int d = 0; d < 3; ++d)
            in >> f.lo[d] >> f.hi[d];
        std::getline(in, line);
        std::getline(in, line); // ITEM: ATOMS id type x ...
        std::istringstream header(line.substr(12));
        std::vector<std::string> names;
        for (std::string name; header >> name;)
            names.push_back(name);
        for (std::size_t i = 0; i < n; ++i)
            for (const auto& name : names) {
                double v;
                in >> v;
                f.columns[name].push_back(v);
            }
        frames.push_back(std::move(f));
    }
    return frames;
}

std::vector<std::map<std::string, double>> read_thermo(const fs::path& log) {
    std::ifstream in(log);
    std::vector<std::map<std::string, double>> rows;
    std::vector<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string first;
        words >> first;
        if (first == "Step") {
            names = {first};
            for (std::string w; words >> w;)
                names.push_back(w);
            continue;
        }
        if (first == "Loop") names.clear();
        if (names.empty() || first.empty() || !std::isdigit(static_cast<unsigned char>(first[0]))) continue;
        std::map<std::string, double> row;
        row[names[0]] = std::stod(first);
        for (std::size_t i = 1; i < names.size(); ++i)
            words >> row[names[i]];
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace asebytes::test
