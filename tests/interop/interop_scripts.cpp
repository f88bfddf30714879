#include "interop_scripts.hpp"

#include "asebytes/asebytes.hpp"

namespace asebytes::test {

PythonRun run_interop_script(const std::string& script, const std::vector<std::string>& arguments) {
    return run_python_script(fs::path(ASEBYTES_SOURCE_DIR) / "tests" / "interop" / script, arguments);
}

void write_edited_and_reference(const std::string& ours, const std::string& reference) {
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
}

} // namespace asebytes::test
