#pragma once
// Export to DeePMD-kit's npy training layout, so DeePMD users need no dpdata step:
//   DIR/type_map.raw                      element symbols, shared by every system
//   DIR/<system>/type.raw, type_map.raw   one system per composition (same atoms, same order)
//   DIR/<system>/set.NNN/coord.npy (frames, 3N), box.npy (frames, 9), energy.npy (frames,),
//                       force.npy (frames, 3N), virial.npy (frames, 9) when every frame has a
//                       stress and the system is periodic
//   DIR/<system>/nopbc                    when no frame of the system is periodic
// Units as DeePMD expects: Angstrom, eV, eV/Angstrom; virial = -stress * volume (eV), from ASE's
// stress sign convention.
#include <string>
#include <vector>

#include "asebytes/backend.hpp"

namespace asebytes {

struct DeepmdOptions {
    /// Frames per set.NNN directory (dpdata's default).
    std::size_t set_size = 5000;
    /// Rows read per request at most (fewer for large frames: a read stays within ChunkLimits'
    /// byte budget).
    std::size_t chunk_size = 256;
};

/// One written system.
struct DeepmdSystem {
    std::string name; ///< directory under DIR, e.g. "Cu4" or "C2H6O"
    std::size_t frames = 0;
    std::size_t natoms = 0;
};

/// Writes rows `rows` of `source` under `dir` (created). Every row needs arrays.numbers,
/// arrays.positions, calc.energy and calc.forces (Error naming the row otherwise).
std::vector<DeepmdSystem> write_deepmd(ObjectReadBackend& source, const Indices& rows, const std::string& dir,
                                       const DeepmdOptions& options = {});

} // namespace asebytes
