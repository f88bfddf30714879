#pragma once
// Which frame the fix may leave out: only one that repeats the last stored frame exactly (same
// info.step, species, cell, pbc and positions, up to periodic images). That is the frame at the
// boundary of two runs, or the first one of a run continued from a restart at the last stored
// step; after `reset_timestep`, in a `run 0` loop that moves atoms, or in another simulation,
// frames differ and are all stored. See README.md, section Steps.
#include "asebytes/value.hpp"

namespace asebytes::lammps {

/// The keys same_configuration compares.
Keys configuration_keys();
/// The part of a frame (flat row) that same_configuration compares.
Row configuration_of(const Row& frame);
/// True when `frame` repeats `last`: equal info.step, numbers, pbc, cell (to 1e-10 relative)
/// and positions to 1e-8 Angstrom after taking periodic images along periodic cell vectors
/// (LAMMPS wraps atoms back into the box when a run starts).
bool same_configuration(const Row& last, const Row& frame);

} // namespace asebytes::lammps
