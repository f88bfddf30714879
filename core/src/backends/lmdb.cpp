// LMDB backend: Python asebytes' blocked-index layout (docs/formats/lmdb.md; upstream
// src/asebytes/lmdb/_blob_backend.py). Every operation leaves the same keys and values on disk
// as Python's would, so either side can edit a store the other wrote.
#include "asebytes/backends/lmdb.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "decimal.hpp"
#include "lmdb_handles.hpp"
#include "lmdb_meta.hpp"

namespace asebytes {

namespace fs = std::filesystem;

namespace lmdb {
void fail(int rc, const std::string& where, const char* operation) {
    std::string msg = where + ": " + operation + " failed: " + mdb_strerror(rc);
    // LMDB turns a short write (a full disk, a file size limit) into EIO; say what it likely is.
    if (rc == EIO || rc == ENOSPC || rc == EFBIG || rc == EDQUOT)
        msg += " (a write to the store failed: is the disk full?)";
    switch (rc) {
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
    case MDB_BAD_DBI:
    case MDB_INCOMPATIBLE:
        throw CorruptDataError(msg);
    default:
        throw BackendError(msg);
    }
}
} // namespace lmdb

namespace {

constexpr std::size_t kBlockSize = 1024; // upstream BLOCK_SIZE
const std::string kCount = "__meta__count";
const std::string kNextKey = "__meta__next_sort_key";
const std::string kSchema = "__schema__";
const std::string kBlockCount = "__blk_count__";
const std::string kBlockSizes = "__blk_sizes__";
const std::string kBlockPrefix = "__blk__";

// Thrown inside a write when the map is full: the transaction is retried with a larger map.
struct MapFull {};

template <class T> void append_le(std::string& out, T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

template <class T> T read_le(const char* p) {
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        v |= static_cast<T>(static_cast<unsigned char>(p[i])) << (8 * i);
    return v;
}

std::string block_key(std::size_t block) {
    std::string k = kBlockPrefix;
    append_le<std::uint32_t>(k, static_cast<std::uint32_t>(block));
    return k;
}

std::string row_prefix(std::uint64_t sort_key) { return std::to_string(sort_key) + "-"; }

// A loop, not memcmp: prefixes are a few bytes and this runs once per stored field.
bool starts_with(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (s[i] != prefix[i]) return false;
    return true;
}

// Decimal ASCII as Python writes it; anything else is corruption.
std::uint64_t parse_decimal(std::string_view s, const std::string& where, const std::string& key) {
    const auto n = parse_unsigned(s);
    if (!n)
        throw CorruptDataError(where + ": key " + key + " holds '" + std::string(s.substr(0, 32)) +
                               "', not a decimal number");
    return *n;
}

// The row order: blocks of sort keys, as stored under __blk__<n>.
struct Index {
    std::vector<std::vector<std::uint64_t>> blocks;
    std::vector<std::size_t> starts; // position of each block's first row
    std::vector<std::string> schema; // sorted field names
    std::size_t count = 0;
    std::uint64_t next_key = 0;

    void reindex() {
        starts.resize(blocks.size());
        count = 0;
        for (std::size_t b = 0; b < blocks.size(); ++b) {
            starts[b] = count;
            count += blocks[b].size();
        }
    }
    // (block, offset) of position pos; pos == count gives the end of the last block.
    std::pair<std::size_t, std::size_t> locate(std::size_t pos) const {
        if (blocks.empty()) return {0, 0};
        if (pos >= count) return {blocks.size() - 1, blocks.back().size()};
        const auto it = std::upper_bound(starts.begin(), starts.end(), pos);
        const auto b = static_cast<std::size_t>(it - starts.begin()) - 1;
        return {b, pos - starts[b]};
    }
    std::uint64_t sort_key(std::size_t pos) const {
        const auto [b, off] = locate(pos);
        return blocks[b][off];
    }
};

// One LMDB environment, shared by every backend object open on the same directory: LMDB forbids
// opening an environment twice in one process (closing either copy drops the other's locks).
struct SharedEnv {
    lmdb::Env env;
    MDB_dbi dbi = 0;       // the unnamed main database: a plain number, nothing to release
    std::mutex mutex;      // one operation at a time on this environment, whoever asks
    bool readonly = false; // opened with MDB_RDONLY (the files are not writable)
};

class EnvRegistry {
public:
    static EnvRegistry& instance() {
        static EnvRegistry r;
        return r;
    }
    std::shared_ptr<SharedEnv> acquire(const std::string& dir, bool readonly, const std::string& where,
                                       const std::function<void(SharedEnv&)>& open) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (auto e = envs_[key(dir)].lock()) {
            if (e->readonly && !readonly) throw ReadOnlyError(where + ": the store's files are read-only");
            return e;
        }
        auto e = std::make_shared<SharedEnv>();
        open(*e);
        envs_[key(dir)] = e;
        return e;
    }
    /// After the directory is deleted, a new open must make a new environment.
    void forget(const std::string& dir) {
        std::lock_guard<std::mutex> lock(mutex_);
        envs_.erase(key(dir));
    }

private:
    static std::string key(const std::string& dir) {
        std::error_code ec;
        return fs::weakly_canonical(dir, ec).string();
    }
    std::mutex mutex_;
    std::map<std::string, std::weak_ptr<SharedEnv>> envs_;
};

} // namespace

struct LmdbBlobBackend::Impl {
    std::string path, group, dir, where;
    LmdbSettings settings;
    std::shared_ptr<SharedEnv> shared;
    Index index;
    bool index_valid = false;
    std::size_t index_txn = 0; // snapshot the cached index describes
    bool removed = false;

    // ---- opening ---------------------------------------------------------------------------

    void open() {
        dir = (fs::path(path) / group).string();
        where = "LMDB store " + path + " (group '" + group + "')";
        if (settings.readonly) {
            refuse_empty_data_file();
            if (!fs::exists(fs::path(dir) / "data.mdb")) {
                std::string known;
                for (const auto& g : list_groups(path))
                    known += (known.empty() ? "" : ", ") + g;
                throw Error(where + ": no such group" +
                            (fs::exists(path) ? "" : " (the path does not exist)") +
                            (known.empty() ? "" : "; groups: " + known));
            }
        } else {
            if (fs::exists(path) && !fs::is_directory(path))
                throw Error(where + ": path exists and is not a directory (an LMDB store is a directory)");
            std::error_code ec;
            fs::create_directories(dir, ec);
            if (ec) throw BackendError(where + ": cannot create " + dir + ": " + ec.message());
        }
        shared = EnvRegistry::instance().acquire(dir, settings.readonly, where,
                                                 [this](SharedEnv& e) { open_env(e); });
        lmdb::Txn txn(env(), false);
        load_index(txn); // a foreign or corrupt store fails here, before anything is written
        index_txn = txn.id();
        index_valid = true;
        lmdb::check(txn.commit(), where, "mdb_txn_commit");
    }

    // LMDB makes an empty data.mdb a new environment by writing into it: a reader must not.
    void refuse_empty_data_file() const {
        std::error_code ec;
        if (fs::file_size(fs::path(dir) / "data.mdb", ec) == 0 && !ec)
            throw CorruptDataError(where + ": data.mdb is empty (zero bytes): not an LMDB file");
    }

    const lmdb::Env& env() const { return shared->env; }
    MDB_dbi dbi() const { return shared->dbi; }
    std::mutex& mutex() const { return shared->mutex; }

    // Opened for writing whenever the files allow, even for a read-only backend (which refuses
    // writes itself), so that a writer in the same process can share the environment; LMDB
    // writes nothing when it opens an existing environment. A read-only directory gets MDB_RDONLY,
    // without a lock file if none can be made.
    void open_env(SharedEnv& e) const {
        lmdb::check_meta_pages((fs::path(dir) / "data.mdb").string(), where); // before LMDB maps it
        int rc = try_open_env(e.env, 0);
        if (settings.readonly && (rc == EACCES || rc == EROFS)) {
            e.readonly = true;
            rc = try_open_env(e.env, MDB_RDONLY);
            if (rc == EACCES || rc == EROFS) rc = try_open_env(e.env, MDB_RDONLY | MDB_NOLOCK);
        }
        lmdb::check(rc, where, "mdb_env_open");
        lmdb::Txn txn(e.env, false);
        lmdb::check(mdb_dbi_open(txn.get(), nullptr, 0, &e.dbi), where, "mdb_dbi_open");
        lmdb::check(txn.commit(), where, "mdb_txn_commit");
    }

    int try_open_env(lmdb::Env& env, unsigned extra_flags) const {
        env = lmdb::Env(where);
        lmdb::check(mdb_env_set_mapsize(env.get(), settings.map_size), where, "mdb_env_set_mapsize");
        // MDB_NOTLS: read transactions are not tied to a thread (the MPI writer has its own).
        unsigned flags = MDB_NOTLS | extra_flags;
        if (!settings.sync) flags |= MDB_NOSYNC;
        const int rc = mdb_env_open(env.get(), dir.c_str(), flags, 0644);
        if (rc != MDB_SUCCESS) env = lmdb::Env(); // a failed open leaves the handle unusable
        return rc;
    }

    // ---- the cached index ------------------------------------------------------------------

    std::optional<std::string_view> get(const lmdb::Txn& txn, std::string_view key) const {
        MDB_val k = lmdb::as_val(key), v;
        const int rc = mdb_get(txn.get(), dbi(), &k, &v);
        if (rc == MDB_NOTFOUND) return std::nullopt;
        lmdb::check(rc, where, "mdb_get");
        return lmdb::as_view(v);
    }

    void load_index(const lmdb::Txn& txn) {
        index_valid = false;
        index = Index{};
        const auto count = get(txn, kCount);
        if (!count) {
            MDB_stat stat;
            lmdb::check(mdb_stat(txn.get(), dbi(), &stat), where, "mdb_stat");
            if (stat.ms_entries > 0)
                throw CorruptDataError(where + ": not an asebytes store: " + std::to_string(stat.ms_entries) +
                                       " keys but no " + kCount);
            return;
        }
        const std::uint64_t n = parse_decimal(*count, where, kCount);
        if (auto next = get(txn, kNextKey)) index.next_key = parse_decimal(*next, where, kNextKey);
        if (auto schema = get(txn, kSchema); schema && !schema->empty()) {
            std::size_t pos = 0;
            while (pos <= schema->size()) {
                const auto end = std::min(schema->find('\n', pos), schema->size());
                index.schema.emplace_back(schema->substr(pos, end - pos));
                pos = end + 1;
            }
        }
        load_blocks(txn);
        if (index.count != n)
            throw CorruptDataError(where + ": " + kCount + " says " + std::to_string(n) +
                                   " rows but the index blocks hold " + std::to_string(index.count));
    }

    void load_blocks(const lmdb::Txn& txn) {
        const auto nblocks = get(txn, kBlockCount);
        if (!nblocks) return;
        if (nblocks->size() != 4) throw CorruptDataError(where + ": " + kBlockCount + " is not a u32");
        const auto n = read_le<std::uint32_t>(nblocks->data());
        const auto sizes = get(txn, kBlockSizes);
        if (n > 0 && (!sizes || sizes->size() != 4 * std::size_t{n}))
            throw CorruptDataError(where + ": " + kBlockSizes + " does not hold " + std::to_string(n) +
                                   " sizes");
        for (std::uint32_t b = 0; b < n; ++b) {
            const auto size = read_le<std::uint32_t>(sizes->data() + 4 * b);
            const auto block = get(txn, block_key(b));
            if (!block || block->size() != 8 * std::size_t{size})
                throw CorruptDataError(where + ": index block " + std::to_string(b) + " is missing or not " +
                                       std::to_string(size) + " sort keys");
            std::vector<std::uint64_t> keys(size);
            for (std::uint32_t i = 0; i < size; ++i)
                keys[i] = read_le<std::uint64_t>(block->data() + 8 * i);
            index.blocks.push_back(std::move(keys));
        }
        index.reindex();
    }

    const Index& read_index(const lmdb::Txn& txn) {
        if (!index_valid || index_txn != txn.id()) {
            load_index(txn);
            index_txn = txn.id();
            index_valid = true;
        }
        return index;
    }

    // A write transaction's id is the last commit's + 1: the cache is current when it
    // describes that commit.
    Index& write_index(const lmdb::Txn& txn) {
        if (!index_valid || index_txn + 1 != txn.id()) load_index(txn);
        index_valid = false; // valid again only once the transaction commits
        return index;
    }

    // ---- transactions ----------------------------------------------------------------------

    void usable() const {
        if (removed) throw Error(where + ": the group was removed");
    }

    template <class F> auto read(F&& body) {
        usable();
        lmdb::Txn txn(env(), false);
        return body(txn, read_index(txn));
    }

    template <class F> auto write(F&& body) {
        usable();
        if (settings.readonly) throw ReadOnlyError(where + " is open read-only");
        for (;;) {
            try {
                lmdb::Txn txn(env(), true);
                Index& idx = write_index(txn);
                const std::size_t id = txn.id();
                if constexpr (std::is_void_v<decltype(body(txn, idx))>) {
                    body(txn, idx);
                    commit(txn, id);
                    return;
                } else {
                    auto result = body(txn, idx);
                    commit(txn, id);
                    return result;
                }
            } catch (const MapFull&) {
                grow_map(); // the aborted transaction wrote nothing; retry with room
            } catch (...) {
                index_valid = false;
                throw;
            }
        }
    }

    void commit(lmdb::Txn& txn, std::size_t id) {
        const int rc = txn.commit();
        if (rc == MDB_MAP_FULL) throw MapFull{};
        lmdb::check(rc, where, "mdb_txn_commit");
        index_txn = id;
        index_valid = true;
    }

    void grow_map() {
        index_valid = false;
        MDB_envinfo info;
        lmdb::check(mdb_env_info(env().get(), &info), where, "mdb_env_info");
        lmdb::check(mdb_env_set_mapsize(env().get(), info.me_mapsize * 2), where, "mdb_env_set_mapsize");
    }

    // ---- primitive writes ------------------------------------------------------------------

    void put(const lmdb::Txn& txn, std::string_view key, std::string_view value) {
        MDB_val k = lmdb::as_val(key), v = lmdb::as_val(value);
        const int rc = mdb_put(txn.get(), dbi(), &k, &v, 0);
        if (rc == MDB_MAP_FULL) throw MapFull{};
        lmdb::check(rc, where, "mdb_put");
    }

    void del(const lmdb::Txn& txn, std::string_view key) {
        MDB_val k = lmdb::as_val(key);
        const int rc = mdb_del(txn.get(), dbi(), &k, nullptr);
        if (rc != MDB_NOTFOUND) lmdb::check(rc, where, "mdb_del");
    }

    // Calls f(field, bytes) for every stored field of the row with this sort key.
    template <class F> void scan_row(lmdb::Cursor& cursor, std::uint64_t sort_key, F&& f) const {
        const std::string prefix = row_prefix(sort_key);
        MDB_val k = lmdb::as_val(prefix), v;
        int rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_SET_RANGE);
        while (rc == MDB_SUCCESS && starts_with(lmdb::as_view(k), prefix)) {
            f(lmdb::as_view(k).substr(prefix.size()), lmdb::as_view(v));
            rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT);
        }
        if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) lmdb::check(rc, where, "mdb_cursor_get");
    }

    void delete_row_data(const lmdb::Txn& txn, std::uint64_t sort_key) {
        std::vector<std::string> fields;
        {
            lmdb::Cursor cursor(txn, dbi());
            scan_row(cursor, sort_key,
                     [&](std::string_view field, std::string_view) { fields.emplace_back(field); });
        }
        const std::string prefix = row_prefix(sort_key);
        for (const auto& f : fields)
            del(txn, prefix + f);
    }

    void put_row(const lmdb::Txn& txn, Index& idx, std::uint64_t sort_key, const RowType& row) {
        const std::string prefix = row_prefix(sort_key);
        std::string key;
        for (const auto& [field, bytes] : row) {
            key.assign(prefix).append(field);
            put(txn, key, bytes);
        }
        merge_schema(txn, idx, row);
    }

    template <class Fields> void merge_schema(const lmdb::Txn& txn, Index& idx, const Fields& fields) {
        bool grew = false;
        for (const auto& kv : fields) {
            const std::string& name = field_name(kv);
            auto it = std::lower_bound(idx.schema.begin(), idx.schema.end(), name);
            if (it == idx.schema.end() || *it != name) {
                idx.schema.insert(it, name);
                grew = true;
            }
        }
        if (!grew) return;
        std::string joined;
        for (std::size_t i = 0; i < idx.schema.size(); ++i)
            joined += (i ? "\n" : "") + idx.schema[i];
        put(txn, kSchema, joined);
    }
    static const std::string& field_name(const std::pair<const std::string, std::string>& kv) {
        return kv.first;
    }
    static const std::string& field_name(const std::string& name) { return name; }

    // Rewrites blocks [first, end), deletes keys of blocks that no longer exist, and the block
    // metadata (upstream _save_block / _save_block_metadata).
    void save_blocks(const lmdb::Txn& txn, Index& idx, std::size_t first, std::size_t old_nblocks) {
        idx.reindex();
        std::string bytes;
        for (std::size_t b = first; b < idx.blocks.size(); ++b) {
            bytes.clear();
            for (auto k : idx.blocks[b])
                append_le<std::uint64_t>(bytes, k);
            put(txn, block_key(b), bytes);
        }
        for (std::size_t b = idx.blocks.size(); b < old_nblocks; ++b)
            del(txn, block_key(b));
        bytes.clear();
        append_le<std::uint32_t>(bytes, static_cast<std::uint32_t>(idx.blocks.size()));
        put(txn, kBlockCount, bytes);
        if (idx.blocks.empty()) {
            del(txn, kBlockSizes);
            return;
        }
        bytes.clear();
        for (const auto& blk : idx.blocks)
            append_le<std::uint32_t>(bytes, static_cast<std::uint32_t>(blk.size()));
        put(txn, kBlockSizes, bytes);
    }

    void save_count(const lmdb::Txn& txn, const Index& idx) { put(txn, kCount, std::to_string(idx.count)); }
    void save_next_key(const lmdb::Txn& txn, const Index& idx) {
        put(txn, kNextKey, std::to_string(idx.next_key));
    }

    // Appends n new sort keys at the end (a new block whenever the last one holds 1024).
    std::vector<std::uint64_t> append_keys(Index& idx, std::size_t n) {
        std::vector<std::uint64_t> keys;
        keys.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t k = idx.next_key++;
            if (idx.blocks.empty() || idx.blocks.back().size() >= kBlockSize) idx.blocks.emplace_back();
            idx.blocks.back().push_back(k);
            keys.push_back(k);
        }
        return keys;
    }

    std::size_t append_rows(const lmdb::Txn& txn, Index& idx, const std::vector<MaybeRow>& rows) {
        const std::size_t old_nblocks = idx.blocks.size();
        const auto keys = append_keys(idx, rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (rows[i]) put_row(txn, idx, keys[i], *rows[i]);
        save_blocks(txn, idx, old_nblocks ? old_nblocks - 1 : 0, old_nblocks);
        save_next_key(txn, idx);
        save_count(txn, idx);
        return idx.count;
    }

    void set_row(const lmdb::Txn& txn, Index& idx, std::size_t index, const MaybeRow& row) {
        if (index < idx.count) {
            const std::uint64_t k = idx.sort_key(index);
            delete_row_data(txn, k);
            if (row) put_row(txn, idx, k, *row);
            return;
        }
        // Past the end: placeholders up to index, then the row (upstream set()).
        std::vector<MaybeRow> rows(index - idx.count + 1);
        rows.back() = row;
        append_rows(txn, idx, rows);
    }

    void check_range(const Index& idx, std::size_t start, std::size_t stop) const {
        if (start > stop || stop > idx.count)
            throw IndexError("rows [" + std::to_string(start) + ", " + std::to_string(stop) +
                             ") out of range for " + std::to_string(idx.count) + " rows in " + where);
    }
};

// ---- metadata and registration -------------------------------------------------------------

const BackendMetadata& LmdbBlobBackend::describe() {
    static const BackendMetadata m = [] {
        BackendMetadata d;
        d.name = "lmdb";
        d.description = "LMDB key-value store, Python asebytes' layout (one environment per group)";
        d.extensions = {".lmdb"};
        d.storage = Storage::Directory; // <store>/<group>/data.mdb
        d.native_tier = Tier::Blob;
        return d;
    }();
    return m;
}

namespace {
std::shared_ptr<LmdbBlobBackend> open_lmdb(const std::string& path, const OpenOptions& options) {
    OptionReader reader(options, "lmdb");
    LmdbSettings settings;
    settings.map_size = reader.get_size("map_size", settings.map_size);
    settings.sync = reader.get_bool("sync", settings.sync);
    reader.finish();
    settings.readonly = options.readonly;
    return std::make_shared<LmdbBlobBackend>(
        path, options.group.value_or(LmdbBlobBackend::describe().default_group), settings);
}
} // namespace

BackendEntry LmdbBlobBackend::entry() {
    BackendEntry e;
    e.metadata = &describe();
    e.open_blob = [](const std::string& path,
                     const OpenOptions& options) -> std::shared_ptr<BlobReadBackend> {
        auto blob = open_lmdb(path, options);
        return blob;
    };
    e.open_object = [](const std::string& path,
                       const OpenOptions& options) -> std::shared_ptr<ObjectReadBackend> {
        auto object = std::make_shared<LmdbObjectBackend>(open_lmdb(path, options));
        return object;
    };
    e.list_groups = &LmdbBlobBackend::list_groups;
    return e;
}

std::vector<std::string> LmdbBlobBackend::list_groups(const std::string& path) {
    std::vector<std::string> groups;
    std::error_code ec;
    if (!fs::is_directory(path, ec)) return groups;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (!entry.is_directory(ec)) continue;
        // A group exists once LMDB has written its meta pages: a writer killed while creating it
        // can leave a directory with only lock.mdb, or an empty data.mdb, which holds nothing.
        const auto size = fs::file_size(entry.path() / "data.mdb", ec);
        if (!ec && size > 0) groups.push_back(entry.path().filename().string());
    }
    std::sort(groups.begin(), groups.end());
    return groups;
}

// ---- the backend ---------------------------------------------------------------------------

LmdbBlobBackend::LmdbBlobBackend(const std::string& path, const std::string& group, LmdbSettings settings)
    : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->group = group;
    impl_->settings = settings;
    impl_->open();
}

LmdbBlobBackend::~LmdbBlobBackend() = default;

std::string LmdbBlobBackend::location() const { return impl_->where; }

std::size_t LmdbBlobBackend::map_size() const {
    MDB_envinfo info;
    lmdb::check(mdb_env_info(impl_->env().get(), &info), impl_->where, "mdb_env_info");
    return info.me_mapsize;
}

std::size_t LmdbBlobBackend::size() {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    return impl_->read([](const lmdb::Txn&, const Index& idx) { return idx.count; });
}

void LmdbBlobBackend::visit_rows(const Indices& indices, const std::optional<Keys>& keys,
                                 LmdbRowVisitor& visitor) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    im.read([&](const lmdb::Txn& txn, const Index& idx) {
        lmdb::Cursor cursor(txn, im.dbi());
        std::vector<std::pair<std::string_view, std::string_view>> fields;
        std::string key;
        for (std::size_t pos = 0; pos < indices.size(); ++pos) {
            const std::size_t i = indices[pos];
            im.check_range(idx, i, i + 1);
            const std::uint64_t sk = idx.sort_key(i);
            fields.clear();
            bool any = false;
            if (!keys) {
                im.scan_row(cursor, sk,
                            [&](std::string_view f, std::string_view v) { fields.emplace_back(f, v); });
                any = !fields.empty();
            } else {
                const std::string prefix = row_prefix(sk);
                for (const auto& k : *keys)
                    if (auto v = im.get(txn, key.assign(prefix).append(k))) fields.emplace_back(k, *v);
                // No requested field: placeholder only if the row has no field at all.
                any = !fields.empty();
                if (!any) im.scan_row(cursor, sk, [&](std::string_view, std::string_view) { any = true; });
            }
            visitor.begin_row(pos, i, !any);
            for (const auto& [f, v] : fields)
                visitor.field(f, v);
        }
    });
}

void LmdbBlobBackend::visit_column(
    const std::string& key, const Indices& indices,
    const std::function<void(std::size_t, std::optional<std::string_view>)>& visit) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    im.read([&](const lmdb::Txn& txn, const Index& idx) {
        std::string k;
        for (std::size_t pos = 0; pos < indices.size(); ++pos) {
            im.check_range(idx, indices[pos], indices[pos] + 1);
            visit(pos, im.get(txn, k.assign(row_prefix(idx.sort_key(indices[pos]))).append(key)));
        }
    });
}

namespace {
// Collects visited rows as blob rows (copies the bytes out of the map).
class BlobRowCollector : public LmdbRowVisitor {
public:
    explicit BlobRowCollector(std::size_t n) : rows(n) {}
    void begin_row(std::size_t position, std::size_t, bool placeholder) override {
        current = placeholder ? nullptr : &rows[position].emplace();
    }
    void field(std::string_view key, std::string_view bytes) override {
        current->emplace(std::string(key), std::string(bytes));
    }
    std::vector<std::optional<BlobRow>> rows;
    BlobRow* current = nullptr;
};
} // namespace

LmdbBlobBackend::MaybeRow LmdbBlobBackend::get(std::size_t index, const std::optional<Keys>& keys) {
    return std::move(get_many({index}, keys).front());
}

std::vector<LmdbBlobBackend::MaybeRow> LmdbBlobBackend::get_many(const Indices& indices,
                                                                 const std::optional<Keys>& keys) {
    BlobRowCollector collector(indices.size());
    visit_rows(indices, keys, collector);
    return std::move(collector.rows);
}

std::vector<std::optional<std::string>> LmdbBlobBackend::get_column(const std::string& key,
                                                                    const Indices& indices) {
    std::vector<std::optional<std::string>> out(indices.size());
    visit_column(key, indices, [&](std::size_t pos, std::optional<std::string_view> v) {
        if (v) out[pos].emplace(*v);
    });
    return out;
}

Keys LmdbBlobBackend::keys(std::size_t index) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    return im.read([&](const lmdb::Txn& txn, const Index& idx) {
        im.check_range(idx, index, index + 1);
        Keys out;
        lmdb::Cursor cursor(txn, im.dbi());
        im.scan_row(cursor, idx.sort_key(index),
                    [&](std::string_view f, std::string_view) { out.emplace_back(f); });
        return out;
    });
}

void LmdbBlobBackend::set(std::size_t index, const MaybeRow& row) { set_many(index, {row}); }

void LmdbBlobBackend::set_many(std::size_t start, const std::vector<MaybeRow>& rows) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    im.write([&](const lmdb::Txn& txn, Index& idx) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            im.set_row(txn, idx, start + i, rows[i]);
    });
}

void LmdbBlobBackend::insert(std::size_t index, const MaybeRow& row) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    im.write([&](const lmdb::Txn& txn, Index& idx) {
        const std::size_t old_nblocks = idx.blocks.size();
        const std::uint64_t k = idx.next_key++;
        std::size_t first = 0;
        if (idx.blocks.empty()) {
            idx.blocks.push_back({k});
        } else {
            const auto [b, off] = idx.locate(std::min(index, idx.count));
            auto& blk = idx.blocks[b];
            blk.insert(blk.begin() + static_cast<std::ptrdiff_t>(off), k);
            if (blk.size() > kBlockSize) { // split in half, as upstream
                std::vector<std::uint64_t> right(blk.begin() + static_cast<std::ptrdiff_t>(blk.size() / 2),
                                                 blk.end());
                blk.resize(blk.size() / 2);
                idx.blocks.insert(idx.blocks.begin() + static_cast<std::ptrdiff_t>(b) + 1, std::move(right));
            }
            first = b;
        }
        im.save_blocks(txn, idx, first, old_nblocks);
        if (row) im.put_row(txn, idx, k, *row);
        im.save_next_key(txn, idx);
        im.save_count(txn, idx);
    });
}

std::size_t LmdbBlobBackend::extend(const std::vector<MaybeRow>& rows) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    if (rows.empty()) return im.read([](const lmdb::Txn&, const Index& idx) { return idx.count; });
    return im.write([&](const lmdb::Txn& txn, Index& idx) { return im.append_rows(txn, idx, rows); });
}

void LmdbBlobBackend::erase(std::size_t index) { erase_range(index, index + 1); }

void LmdbBlobBackend::erase_range(std::size_t start, std::size_t stop) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    if (start >= stop) return;
    im.write([&](const lmdb::Txn& txn, Index& idx) {
        im.check_range(idx, start, stop);
        const std::size_t old_nblocks = idx.blocks.size();
        const std::size_t first = idx.locate(start).first;
        std::vector<std::uint64_t> gone;
        for (std::size_t b = first, pos = idx.starts[first]; b < idx.blocks.size() && pos < stop; ++b) {
            auto& blk = idx.blocks[b];
            const std::size_t lo = std::max(start, pos) - pos, hi = std::min(stop, pos + blk.size()) - pos;
            pos += blk.size();
            gone.insert(gone.end(), blk.begin() + static_cast<std::ptrdiff_t>(lo),
                        blk.begin() + static_cast<std::ptrdiff_t>(hi));
            blk.erase(blk.begin() + static_cast<std::ptrdiff_t>(lo),
                      blk.begin() + static_cast<std::ptrdiff_t>(hi));
        }
        // Emptied blocks disappear and later ones are renumbered (upstream delete()).
        idx.blocks.erase(
            std::remove_if(idx.blocks.begin(), idx.blocks.end(), [](const auto& b) { return b.empty(); }),
            idx.blocks.end());
        im.save_blocks(txn, idx, first, old_nblocks);
        for (auto k : gone)
            im.delete_row_data(txn, k);
        im.save_count(txn, idx);
    });
}

void LmdbBlobBackend::update(std::size_t index, const RowType& fields) { update_many(index, {fields}); }

void LmdbBlobBackend::update_many(std::size_t start, const std::vector<RowType>& rows) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    if (std::all_of(rows.begin(), rows.end(), [](const RowType& r) { return r.empty(); })) {
        im.read([&](const lmdb::Txn&, const Index& idx) { im.check_range(idx, start, start + rows.size()); });
        return;
    }
    im.write([&](const lmdb::Txn& txn, Index& idx) {
        im.check_range(idx, start, start + rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (!rows[i].empty()) im.put_row(txn, idx, idx.sort_key(start + i), rows[i]);
    });
}

void LmdbBlobBackend::set_column(const std::string& key, std::size_t start,
                                 const std::vector<std::string>& values) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    if (values.empty()) return;
    im.write([&](const lmdb::Txn& txn, Index& idx) {
        im.check_range(idx, start, start + values.size());
        std::string k;
        for (std::size_t i = 0; i < values.size(); ++i)
            im.put(txn, k.assign(row_prefix(idx.sort_key(start + i))).append(key), values[i]);
        im.merge_schema(txn, idx, std::vector<std::string>{key});
    });
}

void LmdbBlobBackend::drop_keys(const Keys& keys, const std::optional<Indices>& indices) {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    im.write([&](const lmdb::Txn& txn, Index& idx) {
        const std::size_t n = indices ? indices->size() : idx.count;
        std::string k;
        for (std::size_t j = 0; j < n; ++j) {
            const std::size_t i = indices ? (*indices)[j] : j;
            im.check_range(idx, i, i + 1);
            const std::string prefix = row_prefix(idx.sort_key(i));
            for (const auto& key : keys)
                im.del(txn, k.assign(prefix).append(key));
        }
    });
}

void LmdbBlobBackend::clear() {
    const std::size_t n = size();
    if (n > 0) erase_range(0, n);
}

void LmdbBlobBackend::remove() {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    Impl& im = *impl_;
    im.usable();
    if (im.settings.readonly) throw ReadOnlyError(im.where + " is open read-only");
    im.removed = true;
    EnvRegistry::instance().forget(im.dir);
    std::error_code ec;
    fs::remove_all(im.dir, ec);
    if (ec) throw BackendError(im.where + ": cannot remove " + im.dir + ": " + ec.message());
}

void LmdbBlobBackend::flush() {
    std::lock_guard<std::mutex> lock(impl_->mutex());
    impl_->usable();
    lmdb::check(mdb_env_sync(impl_->env().get(), 1), impl_->where, "mdb_env_sync");
}

// ---- object tier ---------------------------------------------------------------------------

namespace {
// Decodes visited rows straight from the mapped bytes, for a RowSink.
class DecodingVisitor : public LmdbRowVisitor {
public:
    DecodingVisitor(RowSink<Value>& sink, std::string where) : sink_(sink), where_(std::move(where)) {}
    void begin_row(std::size_t position, std::size_t index, bool placeholder) override {
        sink_.begin_row(position, placeholder);
        index_ = index;
    }
    void field(std::string_view key, std::string_view bytes) override {
        sink_.field(key, decoded(key, bytes));
    }

private:
    Value decoded(std::string_view key, std::string_view bytes) const {
        try {
            return decode(bytes);
        } catch (const CorruptDataError& e) {
            throw CorruptDataError(where_ + ", row " + std::to_string(index_) + ", key '" + std::string(key) +
                                   "': " + e.what());
        }
    }

    RowSink<Value>& sink_;
    std::string where_;
    std::size_t index_ = 0;
};

// Rows as maps (get_many).
class RowCollector : public RowSink<Value> {
public:
    explicit RowCollector(std::size_t n) : rows(n) {}
    void begin_row(std::size_t position, bool placeholder) override {
        current_ = placeholder ? nullptr : &rows[position].emplace();
    }
    void field(std::string_view key, Value&& value) override {
        // LMDB hands a row's fields in key order: each lands at the map's end.
        current_->emplace_hint(current_->end(), std::string(key), std::move(value));
    }
    std::vector<std::optional<Row>> rows;

private:
    Row* current_ = nullptr;
};
} // namespace

LmdbObjectBackend::LmdbObjectBackend(std::shared_ptr<LmdbBlobBackend> blob)
    : TierReadWriteAdapter<std::string, Value>(blob), blob_(*blob) {}

LmdbObjectBackend::MaybeRow LmdbObjectBackend::get(std::size_t index, const std::optional<Keys>& keys) {
    return std::move(get_many({index}, keys).front());
}

std::vector<LmdbObjectBackend::MaybeRow> LmdbObjectBackend::get_many(const Indices& indices,
                                                                     const std::optional<Keys>& keys) {
    RowCollector collector(indices.size());
    visit_many(indices, keys, collector);
    return std::move(collector.rows);
}

void LmdbObjectBackend::visit_many(const Indices& indices, const std::optional<Keys>& keys,
                                   RowSink<Value>& sink) {
    DecodingVisitor visitor(sink, location());
    blob_.visit_rows(indices, keys, visitor);
}

std::vector<std::optional<Value>> LmdbObjectBackend::get_column(const std::string& key,
                                                                const Indices& indices) {
    std::vector<std::optional<Value>> out(indices.size());
    blob_.visit_column(key, indices, [&](std::size_t pos, std::optional<std::string_view> bytes) {
        if (!bytes) return;
        try {
            out[pos] = decode(*bytes);
        } catch (const CorruptDataError& e) {
            throw CorruptDataError(where(indices[pos], key) + ": " + e.what());
        }
    });
    return out;
}

} // namespace asebytes
