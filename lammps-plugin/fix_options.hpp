#pragma once
// The arguments of `fix ID group asebytes N store keyword value ...`, parsed without LAMMPS so
// that every rule can be tested on its own. Errors are OptionError with a message that names the
// keyword; the fix turns it into error->all.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace asebytes::lammps {

class OptionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A per-atom (`array`) or per-frame (`info`) value to record: where it comes from.
struct ExtraValue {
    std::string key;    ///< flat key without namespace: arrays.KEY / info.KEY
    std::string source; ///< c_ID, c_ID[i], f_ID, f_ID[i], v_name, i_name, d_name
};

struct FixOptions {
    int every = 0;
    std::string store;
    std::vector<std::string> elements; ///< one symbol per atom type, or empty: guess from masses
    /// labels potential (default): energy, forces and stress of the force field alone, consistent
    /// with each other; labels total: what thermo pe, dump fx and compute pressure report, fixes
    /// included (README.md, Labels).
    bool potential_labels = true;
    bool energy = true;
    std::string pe_compute; ///< energy c_ID: that compute; "" for the one `labels` implies
    bool forces = true;
    bool stress = true;
    bool kinetic_stress = false; ///< stress total: include the kinetic part
    bool velocities = false;
    bool peratom_energy = false;
    bool charges = false;
    std::vector<ExtraValue> arrays, infos;
    std::string if_variable; ///< without "v_"
    bool ase_units = true;
    bool append = false;
    bool overwrite = false;
    std::optional<std::string> store_group;
    std::size_t buffer_frames = 64;
    std::size_t buffer_bytes = std::size_t{256} << 20;
    std::int64_t flush_every = 0; ///< steps; 0: at the end of each run
    /// A file that gets the store's frame count after every flush (crash tests check it); "" for none.
    std::string flush_log;
    std::map<std::string, std::string> backend_options;
    /// parallel yes: under mpirun every rank writes its own atoms (parallel HDF5; .h5, .h5p and
    /// .h5md); no (default): the frames are gathered to rank 0, which measured faster.
    bool parallel = false;

    /// Parses args = {N, store, keyword, value, ...}; `ntypes` checks `elements`.
    static FixOptions parse(const std::vector<std::string>& args, int ntypes);
};

/// "yes"/"no" (also on/off, true/false, 1/0) for `keyword`.
bool parse_yes_no(const std::string& keyword, const std::string& value);
/// A size in bytes: 1048576, 512K, 64M, 2G (also KB/MB/GB, powers of 1024).
std::optional<std::size_t> parse_bytes(const std::string& text);

} // namespace asebytes::lammps
