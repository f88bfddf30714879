#pragma once
// What the stores of a LAMMPS test run hold: their rows and steps, and the check that every store
// of a run holds the frames the same run wrote into its LMDB store (gathered to rank 0).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"

namespace asebytes::test {

/// Every row of `store`, in order.
std::vector<std::optional<Row>> rows_of(const fs::path& store);
/// info.step of every row of `store`.
std::vector<std::int64_t> steps(const fs::path& store);

/// Runs `input` on `np` ranks in `dir`; it must succeed, say that every rank writes its own atoms
/// exactly when np > 1, write 4 frames into frames.lmdb, and the same rows into each of `stores`.
/// Fatal failures stop the check only: wrap the call in ASSERT_NO_FATAL_FAILURE.
void expect_stores_equal_to_lmdb(const TempDir& dir, const std::string& input, int np,
                                 const std::vector<std::string>& stores);

} // namespace asebytes::test
