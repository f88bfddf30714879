#include <gtest/gtest.h>

#include "asebytes/value.hpp"

using namespace asebytes;

TEST(NdArray, KnowsNumpyTypestrsAndItemsizes) {
    EXPECT_EQ(dtype_from_typestr("<f8"), DType::Float64);
    EXPECT_EQ(dtype_from_typestr("|b1"), DType::Bool);
    EXPECT_EQ(dtype_from_typestr("|u1"), DType::UInt8);
    EXPECT_EQ(dtype_from_typestr(">f8"), DType::Other);
    EXPECT_EQ(itemsize_of("<U3"), 12u);
    EXPECT_EQ(itemsize_of("<M8[ns]"), 8u);
    EXPECT_THROW(itemsize_of("f8"), TypeError);
    EXPECT_EQ(dtype_name("<i4"), "int32");
}

TEST(NdArray, ChecksDataLengthAgainstShape) {
    EXPECT_THROW(NdArray("<f8", {2, 3}, std::vector<std::uint8_t>(40)), TypeError);
    EXPECT_NO_THROW(NdArray("<f8", {2, 3}, std::vector<std::uint8_t>(48)));
}

TEST(NdArray, TypedAccessRefusesTheWrongDtype) {
    auto a = NdArray::from<float>({2}, {1.5f, 2.5f});
    EXPECT_FLOAT_EQ(a.data<float>()[1], 2.5f);
    EXPECT_THROW(a.data<double>(), TypeError);
    EXPECT_EQ(a.to_vector<double>(), (std::vector<double>{1.5, 2.5}));
}

TEST(NdArray, ConvertsIntegersAndBools) {
    auto b = NdArray::from<bool>({true, false, true});
    EXPECT_EQ(b.typestr(), "|b1");
    EXPECT_EQ(b.to_vector<int>(), (std::vector<int>{1, 0, 1}));
    auto i = NdArray::from<std::int32_t>({-2, 7});
    EXPECT_EQ(i.to_vector<std::int64_t>(), (std::vector<std::int64_t>{-2, 7}));
}

TEST(Value, ReportsTypeErrorsWithPythonNames) {
    try {
        Value("text").as_double();
        FAIL();
    } catch (const TypeError& e) {
        EXPECT_NE(std::string(e.what()).find("str"), std::string::npos);
    }
    EXPECT_EQ(Value(NdArray::scalar<float>(1.5f)).as_double(), 1.5);
    EXPECT_EQ(Value(3).as_double(), 3.0);
    EXPECT_THROW(Value(1.5).as_int(), TypeError);
}
