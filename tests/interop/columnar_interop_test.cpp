// Interop of the columnar HDF5 stores with real Python asebytes 0.3.1: Python reads the .h5 and
// .h5p files we write as it reads its own, and we read the .h5p files Python writes.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "interop_scripts.hpp"
#include "python.hpp"

namespace asebytes::test {
namespace {

class PythonReadsOurColumnar : public PythonTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(PythonReadsOurColumnar, EthanolAndPeriodicAsItReadsItsOwnFiles) {
    for (const char* name : {"ethanol", "periodic"}) {
        SCOPED_TRACE(name);
        const std::string ours = path(std::string(name) + GetParam());
        ObjectIO(ours).extend(truth_rows(golden_dir() / (std::string(name) + ".json")));
        ASSERT_PYTHON_OK(run_columnar_check({ours, golden(std::string(name) + ".h5")}));
    }
}

TEST_P(PythonReadsOurColumnar, AStoreEditedInTheMiddle) {
    const std::string ours = path("edited" + GetParam());
    const std::string reference = path("reference.h5");
    write_edited_and_reference(ours, reference);
    ASSERT_PYTHON_OK(run_columnar_check({ours, reference}));
}

// Python appends to our file without our _present flags: its rows read as Python reads them, ours
// keep theirs, and appending again after Python keeps both.
TEST_P(PythonReadsOurColumnar, AndAppendsToItAndWeReadBothWritersRows) {
    const std::string store = path("shared" + GetParam());
    const auto ours = truth_rows(golden_dir() / "periodic.json");
    const auto python = truth_rows(golden_dir() / "periodic.h5.default.read.json");
    ObjectIO(store).extend(std::vector<Row>(ours.begin(), ours.begin() + 10));
    ASSERT_PYTHON_OK(run_columnar_check({"--append", store, golden("periodic.h5"), "10", "15"}));
    ObjectIO io(store);
    io.extend(std::vector<Row>(ours.begin() + 15, ours.end()));
    ASSERT_EQ(io.size(), 20u);
    for (std::size_t i = 0; i < 20; ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), i >= 10 && i < 15 ? python[i] : ours[i]) << i;
}

INSTANTIATE_TEST_SUITE_P(Layouts, PythonReadsOurColumnar, ::testing::Values(".h5", ".h5p"),
                         [](const auto& i) {
                             return i.param == ".h5" ? std::string("ragged") : std::string("padded");
                         });

class WeReadPythonColumnar : public PythonTest {};

TEST_F(WeReadPythonColumnar, PaddedStoreExactlyAsPythonReadsItsRaggedOne) {
    const std::string padded = path("periodic.h5p");
    ASSERT_PYTHON_OK(run_columnar_check({"--write-padded", padded, golden("periodic.h5")}));
    ObjectIO io(padded, opening(true));
    const auto truth = truth_rows(golden_dir() / "periodic.h5.default.read.json");
    ASSERT_EQ(io.size(), truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), truth[i]) << i;
}

} // namespace
} // namespace asebytes::test
