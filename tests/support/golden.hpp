#pragma once
// Helpers for tests: the typed JSON truth of tests/data/golden (see its README), temporary
// directories, paths and files.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "asebytes/registry.hpp"
#include "asebytes/value.hpp"

namespace asebytes::test {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

/// tests/data in the source tree.
fs::path data_dir();
/// tests/data/golden.
fs::path golden_dir();
Json load_json(const fs::path& path);

/// A typed truth value ({"ndarray": ..}, {"py": ..}, {"list": ..}, ...) as a Value.
Value truth_value(const Json& j);
/// Every row of a truth file, keys in file order.
std::vector<Row> truth_rows(const fs::path& path);
/// The exact bytes Python wrote for each value of each row (field "msgpack").
std::vector<BlobRow> truth_msgpack(const fs::path& path);
std::string base64_decode(const std::string& text);

/// A fresh directory under the system temp dir, removed with its contents at scope exit.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

/// Copies golden store `name` (a directory or a file) into `dir` (writable) and returns the copy's path: LMDB
/// writes a lock file beside the data, and the golden files must never change.
fs::path copy_golden(const std::string& name, const TempDir& dir);

/// Every byte of file `path` (empty when it cannot be read): to check that an error left it unchanged.
std::string read_bytes(const fs::path& path);

/// Open options from the NAME=VALUE arguments argv[first..argc) of a test program.
OpenOptions options_from_args(int argc, char** argv, int first);

/// Open options that only set the mode.
inline OpenOptions opening(bool readonly) {
    OpenOptions o;
    o.readonly = readonly;
    return o;
}

/// `text` with every character that is not a letter or digit made '_': a gtest parameter name.
std::string test_identifier(std::string text);

/// A human-readable rendering of a value for failure messages.
std::string describe(const Value& v);

} // namespace asebytes::test

namespace asebytes {
/// gtest prints Values through this.
inline void PrintTo(const Value& v, std::ostream* os) { *os << test::describe(v); }
} // namespace asebytes
