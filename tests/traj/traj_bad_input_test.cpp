// Damaged .traj files (the golden file with one thing broken) are CorruptDataErrors naming the
// file and what is wrong: never a crash, and never an allocation of a size the file declares.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

// The golden file's bytes with ULM's fields at hand: header integers, offsets table, item JSON.
class TrajBytes {
public:
    TrajBytes() : bytes_(read_bytes(golden_dir() / "ethanol.traj")) {}
    std::int64_t int_at(std::size_t at) const {
        std::int64_t v = 0;
        std::memcpy(&v, bytes_.data() + at, 8); // little-endian, as the test machine
        return v;
    }
    void set_int(std::size_t at, std::int64_t v) { std::memcpy(bytes_.data() + at, &v, 8); }
    std::size_t table() const { return static_cast<std::size_t>(int_at(40)); }
    std::size_t item_at(std::size_t k) const { return static_cast<std::size_t>(int_at(table() + 8 * k)); }
    std::string json(std::size_t k) const {
        return bytes_.substr(item_at(k) + 8, static_cast<std::size_t>(int_at(item_at(k))));
    }
    /// Item k's JSON becomes `text`, appended at the end with the table pointing to it.
    void set_json(std::size_t k, const std::string& text) {
        const std::size_t at = bytes_.size();
        bytes_.append(8, '\0');
        set_int(at, static_cast<std::int64_t>(text.size()));
        bytes_ += text;
        set_int(table() + 8 * k, static_cast<std::int64_t>(at));
    }
    /// Item k's JSON with the first `from` replaced by `to`.
    void edit_json(std::size_t k, const std::string& from, const std::string& to) {
        std::string text = json(k);
        const auto pos = text.find(from);
        ASSERT_NE(pos, std::string::npos) << from;
        set_json(k, text.replace(pos, from.size(), to));
    }
    std::string& bytes() { return bytes_; }

private:
    std::string bytes_;
};

class TrajBadInput : public ::testing::Test {
protected:
    // Opens and reads every row of `bytes` as a .traj; the message of the error it must raise.
    std::string error_of(const std::string& bytes) {
        const std::string path = (dir_ / "bad.traj").string();
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
        try {
            ObjectIO io(path, opening(true));
            for (std::size_t i = 0; i < io.size(); ++i)
                io.get(static_cast<std::int64_t>(i));
        } catch (const CorruptDataError& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(path), std::string::npos) << "the message does not name the file: " << msg;
            return msg;
        }
        ADD_FAILURE() << "no CorruptDataError";
        return "";
    }
    void expect_error(const std::string& bytes, const std::string& says) {
        const std::string msg = error_of(bytes);
        EXPECT_NE(msg.find(says), std::string::npos) << msg;
    }
    TrajBytes traj_;
    TempDir dir_;
};

TEST_F(TrajBadInput, TheUndamagedFileReads) {
    const std::string path = (dir_ / "good.traj").string();
    std::ofstream(path, std::ios::binary) << traj_.bytes();
    EXPECT_EQ(ObjectIO(path).size(), 4u);
}

TEST_F(TrajBadInput, TruncatedFilesAreCorrupt) {
    const std::string& b = traj_.bytes();
    expect_error("", "shorter than the 48-byte ULM header");
    expect_error(b.substr(0, 47), "shorter than the 48-byte ULM header");
    expect_error(b.substr(0, b.size() / 4), "outside the file");
    expect_error(b.substr(0, b.size() / 2), "outside the file");
    expect_error(b.substr(0, b.size() - 1), "runs past the end of the file");
}

TEST_F(TrajBadInput, AWrongMagicOrTagIsCorrupt) {
    std::string magic = traj_.bytes();
    magic.replace(0, 8, "NOT-ULM!");
    expect_error(magic, "not an ULM file");
    std::string tag = traj_.bytes();
    tag.replace(8, 16, "ASE-Bundle      ");
    expect_error(tag, "tagged 'ASE-Bundle', not 'ASE-Trajectory'");
}

TEST_F(TrajBadInput, CountsAndOffsetsPastTheEndAreCorrupt) {
    TrajBytes many = traj_;
    many.set_int(32, std::int64_t{1} << 40);
    expect_error(many.bytes(), "declares 1099511627776 items");
    TrajBytes table = traj_;
    table.set_int(40, static_cast<std::int64_t>(table.bytes().size()));
    expect_error(table.bytes(), "table of 4 item offsets");
    TrajBytes item = traj_;
    item.set_int(item.table() + 16, static_cast<std::int64_t>(item.bytes().size()) + 100);
    expect_error(item.bytes(), "item 2 is at byte");
    TrajBytes length = traj_;
    length.set_int(length.item_at(1), std::int64_t{1} << 50);
    expect_error(length.bytes(), "item 1: its JSON of 1125899906842624 bytes");
}

TEST_F(TrajBadInput, MalformedJsonIsCorrupt) {
    TrajBytes cut = traj_;
    cut.set_json(1, cut.json(1).substr(0, 100));
    expect_error(cut.bytes(), "item 1: malformed JSON");
    TrajBytes list = traj_;
    list.set_json(2, "[1, 2]");
    expect_error(list.bytes(), "item 2: its JSON is a list, not an object");
    TrajBytes constraints = traj_;
    constraints.edit_json(3, "\\\"indices\\\"", "indices");
    expect_error(constraints.bytes(), "item 3: 'constraints': malformed JSON");
    TrajBytes deep = traj_;
    deep.set_json(1, std::string(100000, '[') + std::string(100000, ']'));
    expect_error(deep.bytes(), "nested deeper than 1000 levels");
    TrajBytes endian = traj_;
    endian.edit_json(2, "{\"positions.\"", "{\"_little_endian\": 1, \"positions.\"");
    expect_error(endian.bytes(), "_little_endian is not true or false");
}

TEST_F(TrajBadInput, ArraysPastTheEndOrOfImpossibleSizeAreCorruptWithoutAllocating) {
    TrajBytes far = traj_;
    far.edit_json(1, "[[9, 3], \"float64\", 1576]", "[[9, 3], \"float64\", 1000000000000]");
    expect_error(far.bytes(),
                 "item 1: 'positions': an array of float64 of shape (9, 3) at byte 1000000000000");
    TrajBytes huge = traj_;
    huge.edit_json(1, "[[9, 3], \"float64\", 1864]", "[[9, 3000000000000000000], \"float64\", 1864]");
    expect_error(huge.bytes(), "runs past the end of the file");
    TrajBytes negative = traj_;
    negative.edit_json(1, "[[9, 3], \"float64\", 1576]", "[[9, -3], \"float64\", 1576]");
    expect_error(negative.bytes(), "non-negative integers");
}

TEST_F(TrajBadInput, ShapesThatDisagreeWithTheAtomsOrDtypesNotReadAreCorrupt) {
    TrajBytes atoms = traj_;
    atoms.edit_json(1, "[[9, 3], \"float64\", 1576]", "[[8, 3], \"float64\", 1576]");
    expect_error(atoms.bytes(), "item 1: 'positions' has shape (8, 3), not that of 9 atoms (3,)");
    TrajBytes charges = traj_;
    charges.edit_json(2, "[[9], \"float64\", 3464]", "[[9, 2], \"float64\", 3464]");
    expect_error(charges.bytes(), "'charges' has shape (9, 2)");
    TrajBytes dtype = traj_;
    dtype.edit_json(1, "[[9, 3], \"float64\", 1576]", "[[9, 3], \"str256\", 1576]");
    expect_error(dtype.bytes(), "dtype 'str256' are not read");
    TrajBytes info = traj_;
    info.edit_json(2, "\"info\": {", "\"info\": {\"bad\": {\"__ndarray__\": [[2], \"int64\", [1]]}, ");
    expect_error(info.bytes(), "item 2: __ndarray__ has fewer values than its shape");
}

TEST_F(TrajBadInput, AHeaderItemWithoutNumbersIsCorrupt) {
    TrajBytes header = traj_;
    header.edit_json(0, "\"numbers.\"", "\"numberz.\"");
    expect_error(header.bytes(), "item 0 has no 'numbers'");
}

// Every byte of the file changed in turn: each copy reads, or fails with an asebytes::Error.
TEST_F(TrajBadInput, AnyOneByteChangedReadsOrIsAnError) {
    const std::string path = (dir_ / "changed.traj").string();
    std::size_t errors = 0;
    for (std::size_t at = 0; at < traj_.bytes().size(); ++at) {
        std::string bytes = traj_.bytes();
        bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
        try {
            ObjectIO io(path, opening(true));
            for (std::size_t i = 0; i < io.size(); ++i)
                io.get(static_cast<std::int64_t>(i));
        } catch (const Error&) {
            ++errors;
        }
    }
    EXPECT_GT(errors, 0u);
}

TEST_F(TrajBadInput, NanAndInfinityInTheJsonAreValues) {
    TrajBytes nan = traj_;
    nan.edit_json(2, "\"energy\": -970.9674940336049", "\"energy\": NaN");
    const std::string path = (dir_ / "nan.traj").string();
    std::ofstream(path, std::ios::binary) << nan.bytes();
    EXPECT_TRUE(std::isnan(ObjectIO(path).get(2)->at("calc.energy").as_double()));
}

} // namespace
} // namespace asebytes::test
