#pragma once
// Readable text for rows: values as Python would print them, chemical formulas, and one frame
// laid out with its per-atom arrays as a table.
#include <string>

#include "asebytes/value.hpp"

namespace asebytes::cli {

/// A value as Python shows it (1.5, 'text', True, [1, 2], array of shape (9, 3) for big arrays).
std::string value_text(const Value& v);
/// The Hill formula of a row's arrays.numbers ("C2H6O"), "" when it has none.
std::string formula_of(const Row& row);
/// Every field of a row: scalars and small arrays one per line, per-atom arrays as a table.
std::string row_text(const Row& row);

} // namespace asebytes::cli
