#pragma once
// The contract suite runs every backend through the same tests. A backend joins with one
// INSTANTIATE line in contract/backends.cpp.
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "golden.hpp"

namespace asebytes::test {

struct StoreSpec {
    std::string name;
    /// A fresh store path or URI inside `dir`; every call gives a new, empty store.
    std::function<std::string(const fs::path& dir)> make_path;
};

inline std::string PrintToString(const StoreSpec& s) { return s.name; }

class Contract : public ::testing::TestWithParam<StoreSpec> {
protected:
    std::string fresh() { return GetParam().make_path(dir_.path()); }
    TempDir dir_;
};

} // namespace asebytes::test
