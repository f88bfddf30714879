// Interop of the H5MD store with real Python asebytes 0.3.1: Python reads the .h5md files we
// write as it reads its own (columnar_check.py compares row by row, and through ASE), appends to
// them, and we read what it appended. znh5md is not installed here: its reading is not checked.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "interop_scripts.hpp"
#include "python.hpp"

namespace asebytes::test {
namespace {

class PythonReadsOurH5md : public PythonTest {};

TEST_F(PythonReadsOurH5md, EthanolAndPeriodicAsItReadsItsOwnFiles) {
    for (const char* name : {"ethanol", "periodic"}) {
        SCOPED_TRACE(name);
        const std::string ours = path(std::string(name) + ".h5md");
        ObjectIO(ours).extend(truth_rows(golden_dir() / (std::string(name) + ".json")));
        ASSERT_PYTHON_OK(run_columnar_check({ours, golden(std::string(name) + ".h5md")}));
    }
}

TEST_F(PythonReadsOurH5md, AStoreEditedInTheMiddle) {
    const std::string ours = path("edited.h5md");
    const std::string reference = path("reference.h5md");
    write_edited_and_reference(ours, reference);
    ASSERT_PYTHON_OK(run_columnar_check({ours, reference}));
}

// Python appends to our file without our _present flags: its rows read as Python reads them, ours
// keep theirs.
TEST_F(PythonReadsOurH5md, AndAppendsToItAndWeReadBothWritersRows) {
    const std::string store = path("shared.h5md");
    const auto ours = truth_rows(golden_dir() / "periodic.json");
    const auto python = truth_rows(golden_dir() / "periodic.h5md.atoms.read.json");
    ObjectIO(store).extend(std::vector<Row>(ours.begin(), ours.begin() + 10));
    ASSERT_PYTHON_OK(run_columnar_check({"--append", store, golden("periodic.h5md"), "10", "15"}));
    ObjectIO io(store);
    io.extend(std::vector<Row>(ours.begin() + 15, ours.end()));
    ASSERT_EQ(io.size(), 20u);
    for (std::size_t i = 0; i < 20; ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), i >= 10 && i < 15 ? python[i] : ours[i]) << i;
}

} // namespace
} // namespace asebytes::test
