// Malformed extended XYZ: one CorruptDataError naming the file and the line.
#include <gtest/gtest.h>

#include <fstream>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"

namespace asebytes::test {
namespace {

// The message of the CorruptDataError that opening `text` and reading every row raises.
std::string error_for(const std::string& text) {
    TempDir dir;
    const auto path = dir / "bad.xyz";
    { std::ofstream(path) << text; }
    OpenOptions readonly;
    readonly.readonly = true;
    try {
        ObjectIO io(path.string(), readonly);
        for (std::size_t i = 0; i < io.size(); ++i)
            io.get(static_cast<std::int64_t>(i));
    } catch (const CorruptDataError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
        return msg.substr(msg.find(path.string()) + path.string().size());
    }
    ADD_FAILURE() << "no CorruptDataError for:\n" << text;
    return {};
}

const std::string kGoodFrame = "2\nProperties=species:S:1:pos:R:3 energy=1.5\nH 0 0 0\nH 0 0 0.7\n";

TEST(ExtxyzBadInput, TruncatedFrameNamesTheFrameStartLine) {
    EXPECT_EQ(error_for(kGoodFrame + "3\ncomment\nH 0 0 0\n").substr(0, 3), ":5:");
}

TEST(ExtxyzBadInput, AtomCountLineThatIsNotANumberNamesItsLine) {
    const auto msg = error_for(kGoodFrame + "two\n");
    EXPECT_EQ(msg.substr(0, 3), ":5:") << msg;
    EXPECT_NE(msg.find("number of atoms"), std::string::npos) << msg;
}

TEST(ExtxyzBadInput, WrongAtomCountShowsUpAsAnAtomLineWhereACountShouldBe) {
    // Declares 1 atom but holds 2: the second atom line is read as the next frame's count.
    const auto msg = error_for("1\nProperties=species:S:1:pos:R:3\nH 0 0 0\nH 0 0 0.7\n");
    EXPECT_EQ(msg.substr(0, 3), ":4:") << msg;
}

TEST(ExtxyzBadInput, LatticeWithoutNineNumbersNamesTheCommentLine) {
    const auto msg =
        error_for(kGoodFrame + "1\nLattice=\"1 0 0 0 1 0 0 0\" Properties=species:S:1:pos:R:3\nH 0 0 0\n");
    EXPECT_EQ(msg.substr(0, 3), ":6:") << msg;
    EXPECT_NE(msg.find("Lattice"), std::string::npos) << msg;
}

TEST(ExtxyzBadInput, MissingColumnsNameTheAtomLine) {
    const auto msg = error_for(kGoodFrame + "2\nProperties=species:S:1:pos:R:3\nH 0 0 0\nH 0 0\n");
    EXPECT_EQ(msg.substr(0, 3), ":8:") << msg;
}

TEST(ExtxyzBadInput, TextInANumberColumnNamesTheAtomLine) {
    const auto msg = error_for("1\nProperties=species:S:1:pos:R:3\nH 0 zero 0\n");
    EXPECT_EQ(msg.substr(0, 3), ":3:") << msg;
}

TEST(ExtxyzBadInput, UnknownElementAndBadPropertiesAreReported) {
    EXPECT_EQ(error_for("1\n\nQq 0 0 0\n").substr(0, 3), ":3:");
    EXPECT_EQ(error_for("1\nProperties=species:S:1:pos:Q:3\nH 0 0 0\n").substr(0, 3), ":2:");
}

TEST(ExtxyzBadInput, BlankLinesAtTheEndAreFineButNotBetweenFrames) {
    TempDir dir;
    const auto path = dir / "trailing.xyz";
    { std::ofstream(path) << kGoodFrame << "\n\n"; }
    EXPECT_EQ(ObjectIO(path.string()).size(), 1u);
    EXPECT_EQ(error_for(kGoodFrame + "\n" + kGoodFrame).substr(0, 3), ":5:");
}

TEST(ExtxyzBadInput, AMissingFileOpenedReadOnlyIsAnError) {
    OpenOptions readonly;
    readonly.readonly = true;
    EXPECT_THROW(ObjectIO("/nonexistent/dir/none.xyz", readonly), Error);
}

} // namespace
} // namespace asebytes::test
