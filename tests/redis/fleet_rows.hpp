#pragma once
// The rows of the fleet tests: who wrote each and in which order, and the check that a group
// holds every writer's rows exactly once and in its order.
#include <map>
#include <string>

#include "asebytes/asebytes.hpp"

namespace asebytes::test {

/// Row `seq` of writer `writer`: both as fields, plus 32 atoms' positions derived from them.
Row fleet_row(int writer, int seq);

/// The number of rows of each writer in `io` (writer -> count) after checking, with gtest
/// expectations, that each writer's rows are exactly fleet_row(writer, 0 .. count-1) in order.
std::map<int, int> fleet_counts(const ObjectIO& io);

} // namespace asebytes::test
