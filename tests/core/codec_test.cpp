// The codec against the bytes Python msgpack + msgpack-numpy wrote (golden truth "msgpack").
#include <gtest/gtest.h>

#include "asebytes/codec.hpp"
#include "bad_msgpack.hpp"
#include "expect_error.hpp"
#include "golden.hpp"

using namespace asebytes;
using namespace asebytes::test;

namespace {

class GoldenCodec : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCodec, DecodesEveryPythonValueToItsTruth) {
    const auto path = golden_dir() / GetParam();
    const auto rows = truth_rows(path);
    const auto bytes = truth_msgpack(path);
    ASSERT_EQ(rows.size(), bytes.size());
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (const auto& [key, want] : rows[r])
            EXPECT_EQ(decode(bytes[r].at(key)), want) << GetParam() << " row " << r << " key " << key;
}

TEST_P(GoldenCodec, EncodesTruthToTheExactBytesPythonWrote) {
    const auto path = golden_dir() / GetParam();
    const auto rows = truth_rows(path);
    const auto bytes = truth_msgpack(path);
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (const auto& [key, value] : rows[r])
            EXPECT_EQ(encode(value), bytes[r].at(key)) << GetParam() << " row " << r << " key " << key;
}

TEST_P(GoldenCodec, ReencodesDecodedPythonBytesUnchanged) {
    for (const auto& row : truth_msgpack(golden_dir() / GetParam()))
        for (const auto& [key, b] : row)
            EXPECT_EQ(encode(decode(b)), b) << key;
}

INSTANTIATE_TEST_SUITE_P(Truth, GoldenCodec,
                         ::testing::Values("objects.json", "ethanol.json", "periodic.json", "edited.json",
                                           "ethanol.h5.default.read.json", "periodic.xyz.read.json"),
                         [](const auto& info) { return test_identifier(info.param); });

TEST(Codec, ObjectRowsKeepDtypeShapeAndScalarness) {
    const auto rows = truth_rows(golden_dir() / "objects.json");
    const Row& arrays = rows.at(1);
    EXPECT_EQ(arrays.at("f32").as_array().typestr(), "<f4");
    EXPECT_EQ(arrays.at("f32").as_array().shape(), (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(arrays.at("empty").as_array().shape(), (std::vector<std::int64_t>{0, 3}));
    EXPECT_TRUE(arrays.at("scalar32").as_array().is_scalar());
    EXPECT_DOUBLE_EQ(arrays.at("scalar32").as_double(), 1.5);
    EXPECT_EQ(arrays.at("scalar64").as_int(), -3);
    EXPECT_EQ(rows.at(0).at("big").as_int(), std::int64_t{1} << 40);
    EXPECT_EQ(rows.at(0).at("u").as_string(), "ünïcødé ✓");
}

TEST(Codec, RoundTripsIntegersAtEveryWidthBoundary) {
    for (long long v : {0LL,
                        127LL,
                        128LL,
                        255LL,
                        256LL,
                        65535LL,
                        65536LL,
                        4294967295LL,
                        4294967296LL,
                        -1LL,
                        -32LL,
                        -33LL,
                        -128LL,
                        -129LL,
                        -32768LL,
                        -32769LL,
                        -2147483648LL,
                        -2147483649LL,
                        static_cast<long long>(INT64_MIN),
                        static_cast<long long>(INT64_MAX)}) {
        EXPECT_EQ(decode(encode(Value(v))), Value(v)) << v;
    }
    const Value huge(static_cast<unsigned long long>(UINT64_MAX));
    EXPECT_EQ(decode(encode(huge)), huge);
    EXPECT_EQ(huge.kind(), Value::Kind::UInt);
}

TEST(Codec, RoundTripsNestedContainersAndBinary) {
    const Value v(Map{{"a", List{Value(1), Value(2.5), Value("x"), Value()}},
                      {"b", Binary{0, 1, 2, 255}},
                      {"c", NdArray::from<std::int32_t>({2, 2}, {1, 2, 3, 4})}});
    EXPECT_EQ(decode(encode(v)), v);
}

// Malformed input (tests/support/bad_msgpack.cpp, also part of the tests/data/bad corpus):
// a CorruptDataError saying what is wrong, never a crash or an allocation of the declared size.
class MalformedMsgpack : public ::testing::TestWithParam<BadMsgpack> {};

TEST_P(MalformedMsgpack, IsCorruptDataSayingWhatIsWrong) {
    expect_error<CorruptDataError>([&] { decode(GetParam().bytes); }, {GetParam().fragment});
}

INSTANTIATE_TEST_SUITE_P(Corpus, MalformedMsgpack, ::testing::ValuesIn(bad_msgpack_values()),
                         [](const auto& info) { return test_identifier(info.param.name); });

TEST(Codec, RowHelpersNameTheKeyOfACorruptValue) {
    BlobRow row{{"calc.energy", "\xcb\x00"}};
    try {
        decode_row(row, "somewhere, row 3");
        FAIL() << "no error";
    } catch (const CorruptDataError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("calc.energy"), std::string::npos) << msg;
        EXPECT_NE(msg.find("row 3"), std::string::npos) << msg;
    }
}

} // namespace
