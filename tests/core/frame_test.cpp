#include <gtest/gtest.h>

#include "asebytes/frame.hpp"
#include "golden.hpp"

using namespace asebytes;
using namespace asebytes::test;

TEST(Frame, RoundTripsEveryGoldenRowLosslessly) {
    for (const char* name : {"ethanol.json", "periodic.json"}) {
        for (const Row& row : truth_rows(golden_dir() / name)) {
            const Frame f = Frame::from_row(row);
            EXPECT_EQ(f.to_row(), row) << name;
        }
    }
}

TEST(Frame, ExposesCalculatorResultsTyped) {
    const auto rows = truth_rows(golden_dir() / "ethanol.json");
    const Frame f = Frame::from_row(rows.at(3));
    EXPECT_EQ(f.natoms(), 9u);
    EXPECT_DOUBLE_EQ(*f.energy(), rows.at(3).at("calc.energy").as_double());
    EXPECT_EQ(f.forces()->size(), 27u);
    EXPECT_TRUE(f.constraints.has_value()); // frame 3 has FixAtoms
    EXPECT_EQ(f.info.at("label").as_string(), "éthanol-3");
    EXPECT_EQ(f.stress()->size(), 6u);
}

TEST(Frame, FillsDefaultsLikeDictToAtoms) {
    Row row{{"arrays.numbers", NdArray::from<std::int64_t>({1, 8})}};
    const Frame f = Frame::from_row(row);
    EXPECT_EQ(f.positions, std::vector<double>(6, 0.0));
    EXPECT_EQ(f.pbc, (std::array<bool, 3>{false, false, false}));
    EXPECT_EQ(f.to_row().at("cell"), Value(NdArray::from<double>({3, 3}, std::vector<double>(9, 0.0))));
}

TEST(Frame, RejectsMismatchedPositions) {
    Row row{{"arrays.numbers", NdArray::from<std::int64_t>({1, 8})},
            {"arrays.positions", NdArray::from<double>({1, 3}, {0, 0, 0})}};
    EXPECT_THROW(Frame::from_row(row), TypeError);
}

TEST(Frame, KeepsKeysOutsideTheConvention) {
    Row row{{"arrays.numbers", NdArray::from<std::int64_t>({1})}, {"custom", Value(5)}};
    EXPECT_EQ(Frame::from_row(row).to_row().at("custom"), Value(5));
}
