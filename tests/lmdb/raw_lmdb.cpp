#include "raw_lmdb.hpp"

#include <lmdb.h>

#include <stdexcept>

namespace asebytes::test {
namespace {

void ok(int rc, const char* what) {
    if (rc != MDB_SUCCESS) throw std::runtime_error(std::string(what) + ": " + mdb_strerror(rc));
}

// Opens `dir`, runs f(txn, dbi) in one transaction, closes everything.
template <class F> void with_env(const fs::path& dir, bool write, F&& f) {
    MDB_env* env = nullptr;
    ok(mdb_env_create(&env), "mdb_env_create");
    MDB_txn* txn = nullptr;
    try {
        ok(mdb_env_set_mapsize(env, std::size_t{1} << 30), "mdb_env_set_mapsize");
        ok(mdb_env_open(env, dir.c_str(), write ? 0 : (MDB_RDONLY | MDB_NOLOCK), 0644), "mdb_env_open");
        ok(mdb_txn_begin(env, nullptr, write ? 0 : MDB_RDONLY, &txn), "mdb_txn_begin");
        MDB_dbi dbi;
        ok(mdb_dbi_open(txn, nullptr, 0, &dbi), "mdb_dbi_open");
        f(txn, dbi);
        ok(mdb_txn_commit(txn), "mdb_txn_commit");
    } catch (...) {
        if (txn) mdb_txn_abort(txn);
        mdb_env_close(env);
        throw;
    }
    mdb_env_close(env);
}

} // namespace

std::map<std::string, std::string> dump_lmdb(const fs::path& dir) {
    std::map<std::string, std::string> out;
    with_env(dir, false, [&](MDB_txn* txn, MDB_dbi dbi) {
        MDB_cursor* cursor;
        ok(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
        MDB_val k, v;
        while (mdb_cursor_get(cursor, &k, &v, MDB_NEXT) == MDB_SUCCESS)
            out.emplace(std::string(static_cast<char*>(k.mv_data), k.mv_size),
                        std::string(static_cast<char*>(v.mv_data), v.mv_size));
        mdb_cursor_close(cursor);
    });
    return out;
}

void put_raw(const fs::path& dir, const std::map<std::string, std::string>& items) {
    fs::create_directories(dir);
    with_env(dir, true, [&](MDB_txn* txn, MDB_dbi dbi) {
        for (const auto& [key, value] : items) {
            MDB_val k{key.size(), const_cast<char*>(key.data())},
                v{value.size(), const_cast<char*>(value.data())};
            ok(mdb_put(txn, dbi, &k, &v, 0), "mdb_put");
        }
    });
}

} // namespace asebytes::test
