#pragma once
// Checks for error paths: the exception type and the words a user reads in its message.
#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <vector>

namespace asebytes::test {

/// Runs `action`; expects an exception of type E whose message holds every fragment.
template <class E, class F> void expect_error(F&& action, const std::vector<std::string>& fragments) {
    try {
        action();
        ADD_FAILURE() << "no error";
    } catch (const E& e) {
        for (const auto& f : fragments)
            EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "wrong exception type: " << e.what();
    }
}

} // namespace asebytes::test
