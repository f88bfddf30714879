#include "crash_check.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <numeric>

#include "asebytes/asebytes.hpp"
#include "cli_runner.hpp"

namespace asebytes::test {

std::size_t last_logged_flush(const fs::path& log) {
    std::ifstream in(log);
    std::size_t last = 0;
    for (std::size_t n = 0; in >> n;)
        last = n;
    return last;
}

std::string frames_problem(const std::string& path, std::size_t flushed, const FrameCheck& check,
                           bool first_only) {
    OpenOptions readonly;
    readonly.readonly = true;
    ObjectIO io(path, readonly);
    std::vector<std::int64_t> first(std::min(flushed, io.size()));
    std::iota(first.begin(), first.end(), 0);
    const auto rows = first_only ? io.rows(first).to_list() : io.rows().to_list();
    if (rows.size() < flushed)
        return std::to_string(rows.size()) + " frames, " + std::to_string(flushed) + " were flushed";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i]) return "frame " + std::to_string(i) + " is a placeholder";
        const std::string wrong = check(i, *rows[i]);
        if (!wrong.empty())
            return "frame " + std::to_string(i) + " of " + std::to_string(rows.size()) + ": " + wrong;
    }
    return "";
}

void expect_store_survived(const std::string& store, std::size_t flushed, const FrameCheck& check) {
    const CliResult verify = run_cli({"verify", store});
    ASSERT_EQ(verify.exit_code, 0) << "asebytes verify " << store << ": " << verify.out << verify.err;
    ASSERT_EQ(frames_problem(store, flushed, check), "") << store << " (" << flushed << " frames flushed)";
}

} // namespace asebytes::test
