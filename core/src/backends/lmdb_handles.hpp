#pragma once
// Thin move-only owners for LMDB's C handles (in the spirit of lmdbxx): every MDB_env, MDB_txn
// and MDB_cursor is released on every path, exceptions included. Internal to the LMDB backend.
#include <lmdb.h>

#include <string>
#include <string_view>
#include <utility>

#include "asebytes/error.hpp"

namespace asebytes::lmdb {

/// Throws the asebytes error for an LMDB return code: corruption codes become
/// CorruptDataError, the rest BackendError; the message names `where` and LMDB's own text.
[[noreturn]] void fail(int rc, const std::string& where, const char* operation);

inline void check(int rc, const std::string& where, const char* operation) {
    if (rc != MDB_SUCCESS) fail(rc, where, operation);
}

inline MDB_val as_val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
inline std::string_view as_view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

class Env {
public:
    Env() = default;
    explicit Env(const std::string& where) : where_(where) {
        check(mdb_env_create(&env_), where_, "mdb_env_create");
    }
    Env(Env&& o) noexcept : env_(std::exchange(o.env_, nullptr)), where_(std::move(o.where_)) {}
    Env& operator=(Env&& o) noexcept {
        std::swap(env_, o.env_);
        std::swap(where_, o.where_);
        return *this;
    }
    Env(const Env&) = delete;
    Env& operator=(const Env&) = delete;
    ~Env() {
        if (env_) mdb_env_close(env_);
    }
    MDB_env* get() const { return env_; }
    explicit operator bool() const { return env_ != nullptr; }
    const std::string& where() const { return where_; }

private:
    MDB_env* env_ = nullptr;
    std::string where_;
};

/// A transaction, aborted on destruction unless committed.
class Txn {
public:
    Txn() = default;
    Txn(const Env& env, bool write) : where_(&env.where()) {
        int rc;
        // Another process grew the map: adopt its size and start again.
        while ((rc = mdb_txn_begin(env.get(), nullptr, write ? 0 : MDB_RDONLY, &txn_)) == MDB_MAP_RESIZED)
            check(mdb_env_set_mapsize(env.get(), 0), *where_, "mdb_env_set_mapsize");
        check(rc, *where_, "mdb_txn_begin");
    }
    Txn(Txn&& o) noexcept : txn_(std::exchange(o.txn_, nullptr)), where_(o.where_) {}
    Txn& operator=(Txn&& o) noexcept {
        std::swap(txn_, o.txn_);
        std::swap(where_, o.where_);
        return *this;
    }
    Txn(const Txn&) = delete;
    Txn& operator=(const Txn&) = delete;
    ~Txn() {
        if (txn_) mdb_txn_abort(txn_);
    }
    MDB_txn* get() const { return txn_; }
    std::size_t id() const { return mdb_txn_id(txn_); }
    /// Commits; returns LMDB's code (the handle is gone either way).
    int commit() { return mdb_txn_commit(std::exchange(txn_, nullptr)); }
    const std::string& where() const { return *where_; }

private:
    MDB_txn* txn_ = nullptr;
    const std::string* where_ = nullptr;
};

class Cursor {
public:
    Cursor(const Txn& txn, MDB_dbi dbi) {
        check(mdb_cursor_open(txn.get(), dbi, &cursor_), txn.where(), "mdb_cursor_open");
    }
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;
    ~Cursor() { mdb_cursor_close(cursor_); }
    MDB_cursor* get() const { return cursor_; }

private:
    MDB_cursor* cursor_ = nullptr;
};

} // namespace asebytes::lmdb
