#include "lmdb_floor.hpp"

#include <chrono>
#include <stdexcept>

#include <lmdb.h>

namespace asebytes::bench {
namespace {

void check(int rc, const char* what) {
    if (rc != MDB_SUCCESS) throw std::runtime_error(std::string(what) + ": " + mdb_strerror(rc));
}

MDB_val val_of(const std::string& s) { return {s.size(), const_cast<char*>(s.data())}; }

} // namespace

// One environment with its main database, closed on scope exit.
class LmdbFloor::Env {
public:
    Env(const std::filesystem::path& dir, unsigned flags) {
        check(mdb_env_create(&env_), "mdb_env_create");
        check(mdb_env_set_mapsize(env_, std::size_t{1} << 34), "mdb_env_set_mapsize");
        check(mdb_env_open(env_, dir.c_str(), flags, 0644), "mdb_env_open");
        MDB_txn* txn = begin(MDB_RDONLY & flags);
        check(mdb_dbi_open(txn, nullptr, 0, &dbi_), "mdb_dbi_open");
        check(mdb_txn_commit(txn), "mdb_txn_commit");
    }
    ~Env() { mdb_env_close(env_); }
    Env(const Env&) = delete;
    Env& operator=(const Env&) = delete;
    MDB_txn* begin(unsigned flags) const {
        MDB_txn* txn = nullptr;
        check(mdb_txn_begin(env_, nullptr, flags, &txn), "mdb_txn_begin");
        return txn;
    }
    MDB_dbi dbi() const { return dbi_; }

private:
    MDB_env* env_ = nullptr;
    MDB_dbi dbi_ = 0;
};

namespace {

template <class F> double seconds_of(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

volatile std::size_t g_touched = 0; // keeps the reads from being optimised away

} // namespace

LmdbFloor::~LmdbFloor() = default;

LmdbFloor::LmdbFloor(const std::filesystem::path& env_dir)
    : env_dir_(env_dir), env_(std::make_unique<Env>(env_dir, MDB_RDONLY | MDB_NOTLS)) {
    const Env& env = *env_;
    MDB_txn* txn = env.begin(MDB_RDONLY);
    MDB_cursor* cursor = nullptr;
    check(mdb_cursor_open(txn, env.dbi(), &cursor), "mdb_cursor_open");
    MDB_val k, v;
    for (int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
        const std::string key(static_cast<const char*>(k.mv_data), k.mv_size);
        const auto dash = key.find('-');
        if (dash == std::string::npos || dash == 0 || key[0] < '0' || key[0] > '9') continue; // index keys
        const std::size_t row = std::stoul(key.substr(0, dash));
        if (row >= rows_.size()) rows_.resize(row + 1);
        rows_[row].emplace_back(key, std::string(static_cast<const char*>(v.mv_data), v.mv_size));
    }
    mdb_cursor_close(cursor);
    mdb_txn_abort(txn);
    for (const auto& r : rows_)
        if (r.empty()) throw std::runtime_error(env_dir.string() + ": sort keys are not 0..n-1");
}

double LmdbFloor::write(const std::filesystem::path& dir, std::size_t batch) const {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const double s = seconds_of([&] {
        const Env env(dir, MDB_NOTLS);
        for (std::size_t first = 0; first < rows_.size(); first += batch) {
            MDB_txn* txn = env.begin(0);
            for (std::size_t i = first; i < std::min(first + batch, rows_.size()); ++i)
                for (const auto& [key, value] : rows_[i]) {
                    MDB_val k = val_of(key), v = val_of(value);
                    check(mdb_put(txn, env.dbi(), &k, &v, 0), "mdb_put");
                }
            check(mdb_txn_commit(txn), "mdb_txn_commit");
        }
    });
    std::filesystem::remove_all(dir);
    return s;
}

double LmdbFloor::read_rows(const std::vector<std::size_t>& rows) const {
    const Env& env = *env_;
    return seconds_of([&] {
        MDB_txn* txn = env.begin(MDB_RDONLY);
        MDB_cursor* cursor = nullptr;
        check(mdb_cursor_open(txn, env.dbi(), &cursor), "mdb_cursor_open");
        std::size_t touched = 0;
        std::string out; // each value copied out of the map, as a reader that keeps it must
        for (const std::size_t row : rows) {
            const std::string prefix = std::to_string(row) + "-";
            MDB_val k = val_of(prefix), v;
            int rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
            while (rc == MDB_SUCCESS && k.mv_size >= prefix.size() &&
                   prefix.compare(0, prefix.size(), static_cast<const char*>(k.mv_data), prefix.size()) ==
                       0) {
                out.assign(static_cast<const char*>(v.mv_data), v.mv_size);
                touched += out.size() + static_cast<unsigned char>(out.back());
                rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
            }
        }
        mdb_cursor_close(cursor);
        mdb_txn_abort(txn);
        g_touched = touched;
    });
}

double LmdbFloor::column(const std::string& field) const {
    const Env& env = *env_;
    return seconds_of([&] {
        MDB_txn* txn = env.begin(MDB_RDONLY);
        std::size_t touched = 0;
        std::string key, out;
        for (std::size_t row = 0; row < rows_.size(); ++row) {
            key.assign(std::to_string(row)).append("-").append(field);
            MDB_val k = val_of(key), v;
            if (mdb_get(txn, env.dbi(), &k, &v) == MDB_SUCCESS) {
                out.assign(static_cast<const char*>(v.mv_data), v.mv_size);
                touched += out.size() + static_cast<unsigned char>(out.back());
            }
        }
        mdb_txn_abort(txn);
        g_touched = touched;
    });
}

} // namespace asebytes::bench
