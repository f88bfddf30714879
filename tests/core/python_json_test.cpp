// The JSON text of every backend that stores JSON, against what CPython 3.11's json module prints
// and accepts for the same values (the expected texts were printed by /usr/bin/python3).
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "asebytes/error.hpp"
#include "python_json.hpp"

namespace asebytes::python_json {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

std::string dumps_of(const Value& v) { return dumps(v, "test"); }

TEST(PythonJson, NonFiniteFloatsInListsAndDictsAsPythonWritesThem) {
    EXPECT_EQ(dumps_of(List{1.5, kNaN}), "[1.5, NaN]");
    EXPECT_EQ(dumps_of(Map{{"a", kNaN}, {"b", List{kInf, -kInf}}}),
              R"({"a": NaN, "b": [Infinity, -Infinity]})");
}

TEST(PythonJson, FloatsAsPythonsRepr) {
    const std::vector<std::pair<double, const char*>> cases = {
        {1e16, "1e+16"},
        {1e15, "1000000000000000.0"},
        {0.0001, "0.0001"},
        {0.00001, "1e-05"},
        {300.0, "300.0"},
        {-0.0, "-0.0"},
        {1.2345678901234567e-7, "1.2345678901234566e-07"},
        {123456789012345678.0, "1.2345678901234568e+17"},
        {0.1, "0.1"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
    };
    for (const auto& [x, text] : cases)
        EXPECT_EQ(dumps_of(x), text) << text;
    EXPECT_EQ(float_repr(kNaN), "nan");
    EXPECT_EQ(float_repr(-kInf), "-inf");
}

TEST(PythonJson, StringsEscapedToAsciiWithSurrogatePairs) {
    EXPECT_EQ(dumps_of(std::string("\xc3\xa9\xc3\xbf\xf0\x9f\x98\x80\x7f\x01\"\\/\n")),
              R"("\u00e9\u00ff\ud83d\ude00\u007f\u0001\"\\/\n")");
}

TEST(PythonJson, NestedContainersWithPythonsSeparators) {
    const Value v = Map{{"k", List{1, List{2, 3.5}, Map{{"z", Value()}, {"t", true}}}}};
    EXPECT_EQ(dumps_of(v), R"({"k": [1, [2, 3.5], {"z": null, "t": true}]})");
    EXPECT_EQ(loads(dumps_of(v)), v);
    EXPECT_EQ(dumps_of(Value(std::uint64_t{18446744073709551615u})), "18446744073709551615");
}

// json.dumps(..., indent=2) as /usr/bin/python3 printed it (the form of zarr.json).
TEST(PythonJson, IndentedAsJsonDumpsWithIndent) {
    const Value v = Map{{"a", List{1, 2.5, Map{{"b", List{}}}}}, {"c", Map{}}, {"d", "x"}};
    EXPECT_EQ(python_json::dumps_indented(v, 2, "test"),
              "{\n  \"a\": [\n    1,\n    2.5,\n    {\n      \"b\": []\n    }\n  ],\n  \"c\": {},\n  \"d\": "
              "\"x\"\n}");
}

TEST(PythonJson, WhatJsonCannotHoldIsATypeErrorNamingTheValue) {
    EXPECT_THROW(dumps_of(Binary{1, 2}), TypeError);
    EXPECT_THROW(dumps_of(Map{{MapKey("k", true), 1}}), TypeError);
    const Value with_array = List{NdArray::from<double>({2}, {1.0, kNaN})};
    try {
        dumps(with_array, "row 3, key 'info.x'");
        FAIL() << "an array inside a list was stored";
    } catch (const TypeError& e) {
        EXPECT_NE(std::string(e.what()).find("row 3, key 'info.x'"), std::string::npos) << e.what();
    }
    EXPECT_EQ(dumps(with_array, "x", Arrays::AsLists), "[[1.0, NaN]]");
}

TEST(PythonJson, LoadsReadsNonFiniteNumbersAndKeepsTypes) {
    const Value v =
        loads(R"( {"x": [1.5, NaN, Infinity, -Infinity], "i": -0, "e": 1E+2, "u": 9223372036854775808} )");
    const List& x = v.find("x")->as_list();
    ASSERT_EQ(x.size(), 4u);
    EXPECT_EQ(x[0], Value(1.5));
    EXPECT_TRUE(std::isnan(x[1].as_double()));
    EXPECT_EQ(x[2], Value(kInf));
    EXPECT_EQ(x[3], Value(-kInf));
    EXPECT_EQ(*v.find("i"), Value(0));
    EXPECT_EQ(*v.find("e"), Value(100.0));
    EXPECT_EQ(v.find("u")->kind(), Value::Kind::UInt);
    EXPECT_EQ(loads("1e400"), Value(kInf));
    EXPECT_EQ(loads("18446744073709551616").kind(), Value::Kind::Float);
}

TEST(PythonJson, LoadsDecodesEscapesAndSurrogates) {
    EXPECT_EQ(loads(R"("\ud83d\ude00\u00e9\/\t")"), Value(std::string("\xf0\x9f\x98\x80\xc3\xa9/\t")));
    EXPECT_EQ(loads(R"("\ud800")"), Value(std::string("\xed\xa0\x80"))); // a lone surrogate stays
}

TEST(PythonJson, LoadsKeepsTheLastValueOfARepeatedKeyInItsFirstPlace) {
    EXPECT_EQ(loads(R"({"a":1,"b":2,"a":3})"), Value(Map{{"a", 3}, {"b", 2}}));
}

TEST(PythonJson, LoadsRefusesWhatPythonRefuses) {
    for (const char* bad : {"01", "1.", "[1,]", "\"a\nb\"", R"("\x")", "-", "nan", "", "  ", "{\"a\" 1}",
                            "[1 2]", "\"open", "tru", "{'a': 1}"})
        EXPECT_THROW(loads(bad), DecodeError) << bad;
}

} // namespace
} // namespace asebytes::python_json
