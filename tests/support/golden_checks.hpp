#pragma once
// Checks the golden tests of every backend share: a store reads as Python asebytes reads it, row
// for row and column by column, and the golden periodic frames come back with their sizes and pbc.
#include <string>
#include <vector>

#include "asebytes/asebytes.hpp"

namespace asebytes::test {

/// `io` holds exactly the rows `want`, in order, none of them a placeholder. Fatal failures stop
/// the check only: wrap the call in ASSERT_NO_FATAL_FAILURE where the test must stop too.
void expect_rows(ObjectIO& io, const std::vector<Row>& want);

/// Column `key` read over the rows backwards holds each row's value, and nothing where a row of
/// `want` lacks the key.
void expect_column_backwards(ObjectIO& io, const std::vector<Row>& want, const std::string& key);

/// The golden periodic store (any format): 4 to 64 atoms a frame, frame 6 periodic in x and y only.
void expect_periodic_frames(AtomsIO& periodic);

} // namespace asebytes::test
