#include "interop_scripts.hpp"

#include <gtest/gtest.h>

#include "asebytes/asebytes.hpp"

namespace asebytes::test {

PythonRun run_interop_script(const std::string& script, const std::vector<std::string>& arguments) {
    return run_python_script(fs::path(ASEBYTES_SOURCE_DIR) / "tests" / "interop" / script, arguments);
}

std::vector<Frame> frames_of(const std::vector<Row>& rows) {
    std::vector<Frame> frames;
    for (const auto& r : rows)
        frames.push_back(Frame::from_row(r));
    return frames;
}

std::vector<std::optional<Row>> truth_with_placeholders(const fs::path& file) {
    std::vector<std::optional<Row>> rows;
    for (const auto& r : load_json(file)) {
        if (r.is_null()) {
            rows.emplace_back();
            continue;
        }
        Row row;
        for (const auto& [k, v] : r.items())
            row[k] = truth_value(v);
        rows.emplace_back(std::move(row));
    }
    return rows;
}

namespace {

Keys keys_of(const Row& row) {
    Keys keys;
    for (const auto& kv : row)
        keys.push_back(kv.first);
    return keys;
}

} // namespace

void expect_rows(const ObjectIO& io, const std::vector<std::optional<Row>>& truth) {
    ASSERT_EQ(io.size(), truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const auto row = io.get(static_cast<std::int64_t>(i));
        ASSERT_EQ(row.has_value(), truth[i].has_value()) << "row " << i << " (no value = placeholder)";
        if (!row) continue;
        ASSERT_EQ(keys_of(*row), keys_of(*truth[i])) << "row " << i;
        for (const auto& [k, v] : *truth[i])
            EXPECT_EQ(row->at(k), v) << "row " << i << ", key " << k;
    }
}

void edit_like_make_golden(ObjectIO& db) {
    std::vector<Row> rows;
    for (int i = 0; i < 10; ++i)
        rows.push_back({{"idx", i}, {"sq", static_cast<double>(i * i)}});
    db.extend(rows);
    db.insert(3, Row{{"idx", 100}, {"sq", -1.0}, {"extra", "inserted"}});
    db.erase(6);
    db.update(0, {{"sq", 0.5}, {"tag", "updated"}});
    db.set(1, Row{{"idx", 11}, {"replaced", true}});
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
