// Interop of the H5MD store with real Python asebytes 0.3.1: Python reads the .h5md files we
// write as it reads its own (columnar_check.py compares row by row, and through ASE), appends to
// them, and we read what it appended. znh5md is not installed here: its reading is not checked.
#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "python.hpp"

namespace asebytes::test {
namespace {

PythonRun run_check(const std::vector<std::string>& arguments) {
    return run_python_script(fs::path(ASEBYTES_SOURCE_DIR) / "tests" / "interop" / "columnar_check.py",
                             arguments);
}

class PythonReadsOurH5md : public PythonTest {};

TEST_F(PythonReadsOurH5md, EthanolAndPeriodicAsItReadsItsOwnFiles) {
    for (const char* name : {"ethanol", "periodic"}) {
        SCOPED_TRACE(name);
        const std::string ours = path(std::string(name) + ".h5md");
        ObjectIO(ours).extend(truth_rows(golden_dir() / (std::string(name) + ".json")));
        ASSERT_PYTHON_OK(run_check({ours, golden(std::string(name) + ".h5md")}));
    }
}

TEST_F(PythonReadsOurH5md, AStoreEditedInTheMiddle) {
    const std::string ours = path("edited.h5md");
    const std::string reference = path("reference.h5md");
    auto rows = truth_rows(golden_dir() / "periodic.json");
    {
        ObjectIO io(ours);
        io.extend(rows);
        io.insert(2, rows[19]);
        io.erase(7);
        io.rows(Slice(10, 12)).erase();
    }
    rows.insert(rows.begin() + 2, rows[19]);
    rows.erase(rows.begin() + 7);
    rows.erase(rows.begin() + 10, rows.begin() + 12);
    ObjectIO(reference).extend(rows); // the same rows written in one go
    ASSERT_PYTHON_OK(run_check({ours, reference}));
}

// Python appends to our file without our _present flags: its rows read as Python reads them, ours
// keep theirs.
TEST_F(PythonReadsOurH5md, AndAppendsToItAndWeReadBothWritersRows) {
    const std::string store = path("shared.h5md");
    const auto ours = truth_rows(golden_dir() / "periodic.json");
    const auto python = truth_rows(golden_dir() / "periodic.h5md.atoms.read.json");
    ObjectIO(store).extend(std::vector<Row>(ours.begin(), ours.begin() + 10));
    ASSERT_PYTHON_OK(run_check({"--append", store, golden("periodic.h5md"), "10", "15"}));
    ObjectIO io(store);
    io.extend(std::vector<Row>(ours.begin() + 15, ours.end()));
    ASSERT_EQ(io.size(), 20u);
    for (std::size_t i = 0; i < 20; ++i)
        EXPECT_EQ(*io.get(static_cast<std::int64_t>(i)), i >= 10 && i < 15 ? python[i] : ours[i]) << i;
}

} // namespace
} // namespace asebytes::test
