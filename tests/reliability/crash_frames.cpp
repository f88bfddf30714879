#include "crash_frames.hpp"

#include <vector>

#include "golden.hpp"

namespace asebytes::test {

Row crash_frame(std::size_t index) {
    const auto i = static_cast<double>(index);
    const std::size_t natoms = 3 + index % 3; // atom counts change from frame to frame
    std::vector<std::int64_t> numbers(natoms);
    std::vector<double> positions(3 * natoms), forces(3 * natoms);
    for (std::size_t a = 0; a < natoms; ++a) {
        numbers[a] = static_cast<std::int64_t>(1 + (index + a) % 8);
        for (std::size_t d = 0; d < 3; ++d) {
            positions[3 * a + d] = i + 0.25 * static_cast<double>(a) + 0.125 * static_cast<double>(d);
            forces[3 * a + d] = -0.5 * i + static_cast<double>(a * 3 + d);
        }
    }
    const double edge = 10.0 + static_cast<double>(index % 5);
    const auto n = static_cast<std::int64_t>(natoms);
    return Row{{"arrays.numbers", NdArray::from<std::int64_t>({n}, numbers)},
               {"arrays.positions", NdArray::from<double>({n, 3}, positions)},
               {"calc.forces", NdArray::from<double>({n, 3}, forces)},
               {"cell", NdArray::from<double>({3, 3}, {edge, 0, 0, 0, edge, 0, 0, 0, edge})},
               {"pbc", NdArray::from<bool>({true, true, index % 2 == 0})},
               {"calc.energy", Value(-0.5 * i)},
               {"info.step", Value(static_cast<std::int64_t>(index))},
               {"info.label", Value("frame " + std::to_string(index))}};
}

std::string crash_frame_mismatch(std::size_t index, const Row& row) {
    const Row expected = crash_frame(index);
    std::string out;
    for (const auto& [key, value] : expected) {
        const auto it = row.find(key);
        if (it == row.end())
            out += key + " missing; ";
        else if (!(it->second == value))
            out += key + " is " + describe(it->second) + ", expected " + describe(value) + "; ";
    }
    if (row.size() != expected.size()) out += std::to_string(row.size()) + " keys; ";
    return out;
}

} // namespace asebytes::test
