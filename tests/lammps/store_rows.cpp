#include "store_rows.hpp"

#include <gtest/gtest.h>

#include "lammps_run.hpp"

namespace asebytes::test {

std::vector<std::optional<Row>> rows_of(const fs::path& store) {
    std::vector<std::optional<Row>> out;
    for (const auto& row : ObjectIO(store.string()))
        out.push_back(row);
    return out;
}

std::vector<std::int64_t> steps(const fs::path& store) {
    std::vector<std::int64_t> out;
    for (const auto& v : ObjectIO(store.string()).column("info.step").to_list())
        out.push_back(v->as_int());
    return out;
}

void expect_stores_equal_to_lmdb(const TempDir& dir, const std::string& input, int np,
                                 const std::vector<std::string>& stores) {
    const auto r = run_lammps(dir.path(), input, np);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.has("every rank writing its own atoms (parallel HDF5)"), np > 1) << r.output;
    const auto lmdb = rows_of(dir / "frames.lmdb");
    ASSERT_EQ(lmdb.size(), 4u);
    for (const auto& store : stores)
        EXPECT_EQ(rows_of(dir / store), lmdb) << store;
}

} // namespace asebytes::test
