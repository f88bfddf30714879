#pragma once
// What the Zarr tests share: a small store of known rows, reading a whole array through the store
// layer, and zarrita (an independent Zarr v3 implementation, in build/zarr-js) run on a store.
#include <string>

#include "golden.hpp"

namespace asebytes::test {

/// Two frames (3 and 2 atoms) with energy, positions, numbers, pbc (all false) and a string info,
/// written by ObjectIO into `store` with `options` (NAME=VALUE backend options).
void write_two_frames(const std::string& store, const std::map<std::string, std::string>& options = {});

/// Every array of group `group` of the Zarr store at `store` (subgroups too, as "_present/x"),
/// read through our store layer: {name: {"shape": [...], "values": [...]}}, values flattened in C
/// order as zarrita.mjs prints them (NaN and infinities as text, 64-bit integers as text).
Json arrays_as_we_read_them(const std::string& store, const std::string& group);

/// `node zarrita.mjs ARGS...` in build/zarr-js; its stdout. A test failure (with its stderr) when it
/// cannot run or fails.
std::string run_zarrita(const std::vector<std::string>& args);

} // namespace asebytes::test
