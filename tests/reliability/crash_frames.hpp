#pragma once
// Frames made from their index alone, so that a store written by a process killed at any moment
// can be checked value by value: the crash writer (crash_writer.cpp) writes them, the tests
// compare what survived against them.
#include <cstddef>
#include <string>

#include "asebytes/value.hpp"

namespace asebytes::test {

/// Frame `index`: 3 to 5 atoms (numbers, positions, forces), cell, pbc, energy, an integer step
/// and a text label (a variable-length string in HDF5), all derived from the index.
Row crash_frame(std::size_t index);

/// Empty when `row` equals crash_frame(index) key for key; else what differs, for messages.
std::string crash_frame_mismatch(std::size_t index, const Row& row);

} // namespace asebytes::test
