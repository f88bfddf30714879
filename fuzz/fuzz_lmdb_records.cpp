// libFuzzer target: the LMDB backend's reading of asebytes' records (row count, index blocks,
// sort keys, schema, values; docs/formats/lmdb.md). The input is a list of key/value records (see
// records_of) written into a fresh LMDB environment with LMDB's own API, then read as `asebytes
// verify` reads it. LMDB's page format itself is not fuzzed: LMDB 0.9 follows page numbers without
// checking them (README, Reliability); the bad-input corpus covers its meta pages.
#include <lmdb.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "asebytes/error.hpp"
#include "read_everything.hpp"

namespace fs = std::filesystem;

namespace {

// Records: a one-byte key length, the key, a two-byte little-endian value length, the value;
// repeated until the input ends (a short last record is cut to what is there).
std::vector<std::pair<std::string, std::string>> records_of(std::string_view in) {
    std::vector<std::pair<std::string, std::string>> out;
    auto take = [&in](std::size_t n) {
        const auto s = in.substr(0, n);
        in.remove_prefix(s.size());
        return std::string(s);
    };
    while (!in.empty()) {
        const std::size_t klen = static_cast<unsigned char>(in[0]) % 64 + 1;
        in.remove_prefix(1);
        std::string key = take(klen);
        std::size_t vlen = 0;
        if (in.size() >= 2) vlen = static_cast<unsigned char>(in[0]) | static_cast<unsigned char>(in[1]) << 8;
        take(2);
        out.emplace_back(std::move(key), take(vlen));
    }
    return out;
}

// A plain C write through LMDB's API: the target checks asebytes' reading, so any LMDB failure
// here just skips the input.
bool write_environment(const std::string& dir,
                       const std::vector<std::pair<std::string, std::string>>& records) {
    MDB_env* env = nullptr;
    if (mdb_env_create(&env) != MDB_SUCCESS) return false;
    bool ok = mdb_env_set_mapsize(env, std::size_t{16} << 20) == MDB_SUCCESS &&
              mdb_env_open(env, dir.c_str(), MDB_NOSYNC | MDB_NOLOCK, 0644) == MDB_SUCCESS;
    MDB_txn* txn = nullptr;
    MDB_dbi dbi = 0;
    ok = ok && mdb_txn_begin(env, nullptr, 0, &txn) == MDB_SUCCESS;
    ok = ok && mdb_dbi_open(txn, nullptr, 0, &dbi) == MDB_SUCCESS;
    for (const auto& [k, v] : records) {
        MDB_val key{k.size(), const_cast<char*>(k.data())}, value{v.size(), const_cast<char*>(v.data())};
        ok = ok && mdb_put(txn, dbi, &key, &value, 0) == MDB_SUCCESS;
    }
    if (txn) ok = ok ? mdb_txn_commit(txn) == MDB_SUCCESS : (mdb_txn_abort(txn), false);
    mdb_env_close(env);
    return ok;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fs::path store = fs::path(fs::exists("/dev/shm") ? "/dev/shm" : fs::temp_directory_path()) /
                                  ("asebytes-fuzz-" + std::to_string(getpid()) + ".lmdb");
    fs::remove_all(store);
    fs::create_directories(store / "default");
    if (!write_environment((store / "default").string(),
                           records_of(std::string_view(reinterpret_cast<const char*>(data), size))))
        return 0;
    try {
        asebytes::test::read_everything(store.string());
    } catch (const asebytes::Error&) {
    }
    return 0;
}
