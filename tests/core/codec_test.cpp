// The codec against the bytes Python msgpack + msgpack-numpy wrote (golden truth "msgpack").
#include <gtest/gtest.h>

#include "asebytes/codec.hpp"
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
        for (const auto& [key, b] : row) EXPECT_EQ(encode(decode(b)), b) << key;
}

INSTANTIATE_TEST_SUITE_P(Truth, GoldenCodec,
                         ::testing::Values("objects.json", "ethanol.json", "periodic.json", "edited.json",
                                           "ethanol.h5.default.read.json", "periodic.xyz.read.json"),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (auto& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

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
    for (long long v : {0LL, 127LL, 128LL, 255LL, 256LL, 65535LL, 65536LL, 4294967295LL, 4294967296LL,
                        -1LL, -32LL, -33LL, -128LL, -129LL, -32768LL, -32769LL, -2147483648LL,
                        -2147483649LL, static_cast<long long>(INT64_MIN), static_cast<long long>(INT64_MAX)}) {
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

TEST(Codec, RejectsTruncatedInputWithAClearMessage) {
    const std::string full = encode(NdArray::from<double>({3}, {1, 2, 3}));
    try {
        decode(full.substr(0, full.size() - 5));
        FAIL() << "no error";
    } catch (const CorruptDataError& e) {
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }
}

TEST(Codec, RejectsTrailingBytesEmptyInputAndExtTypes) {
    EXPECT_THROW(decode(encode(Value(1)) + "x"), CorruptDataError);
    EXPECT_THROW(decode(""), CorruptDataError);
    EXPECT_THROW(decode(std::string("\xd4\x01\x00", 3)), CorruptDataError);  // fixext1
}

TEST(Codec, RefusesHugeDeclaredSizesWithoutAllocating) {
    // array32 claiming 2^32-1 elements, then nothing.
    EXPECT_THROW(decode(std::string("\xdd\xff\xff\xff\xff", 5)), CorruptDataError);
    // bin32 claiming 4 GiB.
    EXPECT_THROW(decode(std::string("\xc6\xff\xff\xff\xff\x00", 6)), CorruptDataError);
}

TEST(Codec, RefusesDeepNesting) {
    std::string deep(1000, '\x91');  // fixarray of one element, 1000 levels
    deep.push_back('\xc0');
    EXPECT_THROW(decode(deep), CorruptDataError);
}

TEST(Codec, RefusesNdarrayWhoseDataDoesNotMatchItsShape) {
    Value v = NdArray::from<double>({2}, {1.0, 2.0});
    std::string bytes = encode(v);
    // Patch the shape (fixarray [2]) into [3]: the data then holds 16 bytes where 24 are needed.
    const auto pos = bytes.find(std::string("\x91\x02", 2));
    ASSERT_NE(pos, std::string::npos);
    bytes[pos + 1] = 3;
    try {
        decode(bytes);
        FAIL() << "no error";
    } catch (const CorruptDataError& e) {
        EXPECT_NE(std::string(e.what()).find("bytes"), std::string::npos) << e.what();
    }
}

TEST(Codec, RefusesPickledObjectArrays) {
    // msgpack-numpy's record for an object array: kind b"O", data a pickle. Never unpickle.
    std::string b;
    b += "\x85";
    b += std::string("\xc4\x02nd\xc3", 5);
    b += std::string("\xc4\x04type\xa3|O8", 10);
    b += std::string("\xc4\x04kind\xc4\x01O", 9);
    b += std::string("\xc4\x05shape\x91\x01", 9);
    b += std::string("\xc4\x04" "data" "\xc4\x01X", 9);
    try {
        decode(b);
        FAIL() << "no error";
    } catch (const CorruptDataError& e) {
        EXPECT_NE(std::string(e.what()).find("pickle"), std::string::npos) << e.what();
    }
}

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

}  // namespace
