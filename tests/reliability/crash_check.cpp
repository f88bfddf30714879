#include "crash_check.hpp"

#include <gtest/gtest.h>

#include <fstream>

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

void expect_store_survived(const std::string& store, std::size_t flushed, const FrameCheck& check) {
    const CliResult verify = run_cli({"verify", store});
    ASSERT_EQ(verify.exit_code, 0) << "asebytes verify " << store << ": " << verify.out << verify.err;
    OpenOptions readonly;
    readonly.readonly = true;
    ObjectIO io(store, readonly);
    const auto rows = io.rows().to_list();
    ASSERT_GE(rows.size(), flushed) << store << " lost frames logged as flushed";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        ASSERT_TRUE(rows[i].has_value()) << store << ": frame " << i << " is a placeholder";
        const std::string wrong = check(i, *rows[i]);
        ASSERT_EQ(wrong, "") << store << ": frame " << i << " of " << rows.size() << " (" << flushed
                             << " flushed)";
    }
}

} // namespace asebytes::test
