#include "golden_checks.hpp"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <set>

#include "golden.hpp"

namespace asebytes::test {

void expect_rows(ObjectIO& io, const std::vector<Row>& want) {
    ASSERT_EQ(io.size(), want.size());
    std::size_t i = 0;
    for (const auto& row : io) {
        ASSERT_TRUE(row.has_value()) << "row " << i;
        EXPECT_EQ(*row, want[i]) << "row " << i;
        ++i;
    }
}

void expect_column_backwards(ObjectIO& io, const std::vector<Row>& want, const std::string& key) {
    const auto column = io.rows(Slice(std::nullopt, std::nullopt, -1)).column(key).to_list();
    ASSERT_EQ(column.size(), want.size()) << key;
    for (std::size_t j = 0; j < want.size(); ++j) {
        const Row& row = want[want.size() - 1 - j];
        if (row.count(key))
            EXPECT_EQ(column[j], std::optional<Value>(row.at(key))) << key << " " << j;
        else
            EXPECT_FALSE(column[j].has_value()) << key << " " << j;
    }
}

void expect_periodic_frames(AtomsIO& periodic) {
    std::set<std::size_t> sizes;
    for (const auto& f : periodic)
        sizes.insert(f->natoms());
    EXPECT_EQ(*sizes.begin(), 4u);
    EXPECT_EQ(*sizes.rbegin(), 64u);
    EXPECT_EQ(periodic.get(6)->pbc, (std::array<bool, 3>{true, true, false}));
}

} // namespace asebytes::test
