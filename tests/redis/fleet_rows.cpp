#include "fleet_rows.hpp"

#include <gtest/gtest.h>

namespace asebytes::test {

Row fleet_row(int writer, int seq) {
    std::vector<double> positions(32 * 3);
    for (std::size_t i = 0; i < positions.size(); ++i)
        positions[i] = writer * 1000.0 + seq + static_cast<double>(i) / 100.0;
    return {
        {"writer", writer}, {"seq", seq}, {"arrays.positions", NdArray::from<double>({32, 3}, positions)}};
}

std::map<int, int> fleet_counts(const ObjectIO& io) {
    std::map<int, int> next;
    std::size_t index = 0;
    for (const auto& row : io) {
        EXPECT_TRUE(row.has_value()) << "row " << index << " is a placeholder";
        if (row) {
            const int writer = static_cast<int>(row->at("writer").as_int());
            const int seq = static_cast<int>(row->at("seq").as_int());
            EXPECT_EQ(seq, next[writer])
                << "row " << index << ": writer " << writer << " (lost, repeated or out of order)";
            EXPECT_EQ(*row, fleet_row(writer, seq)) << "row " << index;
            next[writer] = seq + 1;
        }
        ++index;
    }
    return next;
}

} // namespace asebytes::test
