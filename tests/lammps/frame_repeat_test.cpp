// same_configuration: what the fix treats as a repeat of the last stored frame.
#include <gtest/gtest.h>

#include "frame_repeat.hpp"

namespace asebytes::lammps {
namespace {

Row frame(long long step, std::vector<double> positions, bool periodic = true) {
    Row r;
    r["info.step"] = step;
    r["arrays.numbers"] = NdArray::from<std::int64_t>({29, 29});
    r["arrays.positions"] = NdArray::from<double>({2, 3}, positions);
    r["cell"] = NdArray::from<double>({3, 3}, {10, 0, 0, 1, 10, 0, 0, 0, 10});
    r["pbc"] = NdArray::from<bool>({periodic, periodic, periodic});
    r["calc.energy"] = -3.5;
    return r;
}

TEST(FrameRepeat, TheSameStepAndPositionsRepeat) {
    const Row a = frame(20, {1, 2, 3, 4, 5, 6});
    EXPECT_TRUE(same_configuration(configuration_of(a), a));
}

TEST(FrameRepeat, AnAtomWrappedIntoTheBoxIsStillTheSameConfiguration) {
    // x + a and y + b (b = (1, 10, 0)): one periodic image of each atom
    EXPECT_TRUE(same_configuration(frame(20, {1, 2, 3, 4, 5, 6}), frame(20, {11, 2, 3, 5, 15, 6})));
    EXPECT_FALSE(
        same_configuration(frame(20, {1, 2, 3, 4, 5, 6}, false), frame(20, {11, 2, 3, 4, 5, 6}, false)));
}

TEST(FrameRepeat, AnotherStepOrMovedAtomsAreNew) {
    EXPECT_FALSE(same_configuration(frame(20, {1, 2, 3, 4, 5, 6}), frame(0, {1, 2, 3, 4, 5, 6})));
    EXPECT_FALSE(same_configuration(frame(0, {1, 2, 3, 4, 5, 6}), frame(0, {1.05, 2, 3, 4, 5, 6})));
}

TEST(FrameRepeat, AFrameWithoutAStepRepeatsNothing) {
    Row last = frame(0, {1, 2, 3, 4, 5, 6});
    last.erase("info.step");
    EXPECT_FALSE(same_configuration(last, frame(0, {1, 2, 3, 4, 5, 6})));
}

} // namespace
} // namespace asebytes::lammps
