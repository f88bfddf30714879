#include "asebytes/backends/redis.hpp"

#include <algorithm>
#include <cstdlib>

#include <hiredis/hiredis.h>

#include "redis_connection.hpp"
#include "redis_scripts.hpp"

namespace asebytes {
namespace {

namespace scripts = redis_scripts;

// Reads aim at this many bytes per round trip (rows of 256k atoms are ~10 MB each); appends send
// at most this many bytes per MULTI/EXEC, so a huge batch never sits whole in the server's queue.
constexpr std::size_t kReadChunkBytes = std::size_t{16} << 20;
constexpr std::size_t kReadChunkRowsMax = 1024;
constexpr std::size_t kWriteBatchBytes = std::size_t{64} << 20;
constexpr std::size_t kWriteBatchRowsMax = 4096;

double seconds_option(OptionReader& reader, const std::string& name, double fallback) {
    const std::string text = reader.get(name, "");
    if (text.empty()) return fallback;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !(v > 0) || v > 1e6)
        throw Error("redis option '" + name + "' needs a positive number of seconds, got '" + text + "'");
    return v;
}

// Options come from OpenOptions and from the URI's query (redis-py reads client options there);
// OpenOptions win. Unknown names are an error naming them.
RedisSettings settings_from(const RedisAddress& address, const OpenOptions& options) {
    OpenOptions merged = options;
    for (const auto& [name, value] : address.query)
        merged.options.emplace(name, value);
    OptionReader reader(merged, "redis");
    RedisSettings s;
    s.timeout = seconds_option(reader, "socket_timeout", s.timeout);
    s.connect_timeout = seconds_option(reader, "socket_connect_timeout", s.connect_timeout);
    s.retry_delay = seconds_option(reader, "retry_delay", s.retry_delay);
    s.retries = static_cast<int>(std::min<std::size_t>(reader.get_size("retries", s.retries), 100));
    reader.finish();
    return s;
}

std::string glob_escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t row_bytes(const std::optional<std::map<std::string, std::string>>& row) {
    std::size_t n = 32;
    if (row)
        for (const auto& [k, v] : *row)
            n += k.size() + v.size();
    return n;
}

// Visits every key SCAN MATCH `pattern` finds, in batches.
template <class F>
void scan(RedisConnection& c, const std::string& pattern, const std::string& where, F&& visit) {
    std::string cursor = "0";
    do {
        auto reply = c.command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
        check(*reply, where);
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2)
            throw BackendError(where +
                               ": the Redis server answered SCAN with something else than a cursor and keys");
        cursor = std::string(text_of(*reply->element[0], where));
        const redisReply& keys = *reply->element[1];
        std::vector<std::string> batch;
        for (std::size_t i = 0; i < keys.elements; ++i)
            batch.emplace_back(text_of(*keys.element[i], where));
        visit(batch);
    } while (cursor != "0");
}

} // namespace

struct RedisBlobBackend::Impl {
    RedisAddress address;
    std::string group, list_key, next_key, row_prefix, where;
    std::unique_ptr<RedisConnection> connection;
    std::size_t bytes_per_row = 0; // seen on the last read, sizes the next chunk
    long long counter_seen = 0;    // next_sk after our last append: it only grows, unless lost

    std::map<const std::string*, std::string> script_shas; // script text -> its SHA1 on the server

    // Scripts run by EVALSHA (the text goes to the server once per connection's server, not with
    // every call); a server that forgot them (restarted) answers NOSCRIPT and gets them again.
    RedisCommand script(const std::string& body) {
        auto it = script_shas.find(&body);
        if (it == script_shas.end()) it = script_shas.emplace(&body, load_script(body)).first;
        return RedisCommand{"EVALSHA", it->second, "2", list_key, next_key, row_prefix};
    }
    std::string load_script(const std::string& body) {
        return std::string(text_of(*connection->command({"SCRIPT", "LOAD", body}), where));
    }
    RedisReply run(const RedisCommand& command) {
        auto reply = connection->command(command);
        if (reply->type == REDIS_REPLY_ERROR &&
            std::string_view(reply->str, reply->len).rfind("NOSCRIPT", 0) == 0) {
            for (auto& [body, sha] : script_shas)
                sha = load_script(*body);
            reply = connection->command(command);
        }
        check(*reply, where);
        return reply;
    }
    // For work that is harmless to repeat: runs again on a new connection after a lost one.
    RedisReply run_retrying(const RedisCommand& command) {
        return connection->retrying([&](RedisConnection&) { return run(command); });
    }
    // For edits that must not run twice (insert, erase): a lost connection is an error saying so.
    RedisReply run_once(const RedisCommand& command) {
        try {
            return run(command);
        } catch (const RedisConnectionLost& e) {
            throw BackendError(std::string(e.what()) + "; the edit of " + where +
                               " may or may not have been made: check the rows");
        }
    }

    void check_key_types(bool readonly);
    std::vector<MaybeRow> read_chunk(const Indices& indices, std::size_t begin, std::size_t end,
                                     const std::optional<Keys>& keys);
    std::size_t append_batch(const std::vector<MaybeRow>& rows, std::size_t begin, std::size_t end);
    bool appended(long long first_sort_key, long long count);
    template <class Emit>
    void write_rows(const char* mode, std::size_t start, std::size_t count, Emit&& emit);
};

// Another program's keys under our names are an error now, not a WRONGTYPE halfway into a write.
void RedisBlobBackend::Impl::check_key_types(bool readonly) {
    auto replies = connection->retrying([&](RedisConnection& c) {
        return c.pipeline({{"TYPE", list_key}, {"TYPE", next_key}});
    });
    const std::string list_type(text_of(*replies[0], where)), next_type(text_of(*replies[1], where));
    if (list_type != "list" && list_type != "none")
        throw BackendError(where + ": key '" + list_key + "' is a " + list_type +
                           ", not the list of sort keys asebytes keeps there");
    if (next_type != "string" && next_type != "none")
        throw BackendError(where + ": key '" + next_key + "' is a " + next_type +
                           ", not the counter asebytes keeps there");
    if (readonly && list_type == "none" && next_type == "none")
        throw Error("no group '" + group + "' in the Redis database " + address.display());
}

const BackendMetadata& RedisBlobBackend::describe() {
    static const BackendMetadata m = [] {
        BackendMetadata d;
        d.name = "redis";
        d.description = "rows in a Redis server; many writers may append to one group";
        d.scheme = "redis";
        d.address = "[user:password@]host[:port][/db]";
        d.native_tier = Tier::Blob;
        d.storage = Storage::None;
        return d;
    }();
    return m;
}

BackendEntry RedisBlobBackend::entry() {
    BackendEntry e;
    e.metadata = &describe();
    e.open_blob = [](const std::string& uri, const OpenOptions& options) -> std::shared_ptr<BlobReadBackend> {
        return std::make_shared<RedisBlobBackend>(uri, options.group.value_or(describe().default_group),
                                                  options);
    };
    e.list_groups = &RedisBlobBackend::list_groups;
    return e;
}

std::vector<std::string> RedisBlobBackend::list_groups(const std::string& uri) {
    const RedisAddress address = parse_redis_uri(uri);
    RedisConnection connection(address, settings_from(address, {}));
    const std::string suffix = ":sort_keys";
    std::vector<std::string> groups;
    connection.retrying([&](RedisConnection& c) {
        groups.clear();
        scan(c, "*" + suffix, address.display(), [&](const std::vector<std::string>& keys) {
            for (const auto& k : keys)
                if (k.size() > suffix.size()) groups.push_back(k.substr(0, k.size() - suffix.size()));
        });
        return 0;
    });
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    return groups;
}

RedisBlobBackend::RedisBlobBackend(const std::string& uri, const std::string& group,
                                   const OpenOptions& options)
    : impl_(std::make_unique<Impl>()) {
    impl_->address = parse_redis_uri(uri);
    impl_->group = group;
    impl_->list_key = group + ":sort_keys";
    impl_->next_key = group + ":next_sk";
    impl_->row_prefix = group + ":row:";
    impl_->where = impl_->address.display() + ", group '" + group + "'";
    impl_->connection =
        std::make_unique<RedisConnection>(impl_->address, settings_from(impl_->address, options));
    impl_->check_key_types(options.readonly);
}

RedisBlobBackend::~RedisBlobBackend() = default;

std::string RedisBlobBackend::location() const { return impl_->where; }

std::size_t RedisBlobBackend::size() {
    return static_cast<std::size_t>(
        integer_of(*impl_->run_retrying({"LLEN", impl_->list_key}), impl_->where));
}

// ---- reads: one script call (one round trip, one snapshot) per chunk of rows ----------------

std::vector<RedisBlobBackend::MaybeRow> RedisBlobBackend::Impl::read_chunk(const Indices& indices,
                                                                           std::size_t begin, std::size_t end,
                                                                           const std::optional<Keys>& keys) {
    RedisCommand command = script(scripts::kGetRows);
    if (keys) {
        command.number(static_cast<long long>(keys->size()));
        for (const auto& k : *keys)
            command.arg(k);
    } else {
        command.arg("*");
    }
    for (std::size_t j = begin; j < end; ++j)
        command.number(static_cast<long long>(indices[j]));
    auto reply = run_retrying(command);
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != end - begin)
        throw BackendError(where + ": the Redis server sent another number of rows than asked for");
    std::vector<MaybeRow> out;
    out.reserve(end - begin);
    std::size_t bytes = 0;
    for (std::size_t j = 0; j < reply->elements; ++j) {
        const redisReply& row = *reply->element[j];
        if (row.type == REDIS_REPLY_NIL) {
            out.emplace_back();
            continue;
        }
        if (row.type != REDIS_REPLY_ARRAY)
            throw BackendError(where + ": a row came back as something else than fields");
        RowType fields;
        for (std::size_t f = 0; f < row.elements; ++f) {
            const redisReply& item = *row.element[f];
            bytes += item.len;
            if (keys) {
                if (item.type != REDIS_REPLY_NIL)
                    fields.emplace((*keys)[f], std::string(text_of(item, where)));
            } else if (f % 2 == 1) {
                fields.emplace(std::string(text_of(*row.element[f - 1], where)),
                               std::string(text_of(item, where)));
            }
        }
        out.emplace_back(std::move(fields));
    }
    bytes_per_row = bytes / std::max<std::size_t>(1, end - begin) + 1;
    return out;
}

std::vector<RedisBlobBackend::MaybeRow> RedisBlobBackend::get_many(const Indices& indices,
                                                                   const std::optional<Keys>& keys) {
    std::vector<MaybeRow> out;
    out.reserve(indices.size());
    for (std::size_t begin = 0; begin < indices.size();) {
        const std::size_t rows =
            impl_->bytes_per_row == 0
                ? 64
                : std::clamp<std::size_t>(kReadChunkBytes / impl_->bytes_per_row, 1, kReadChunkRowsMax);
        const std::size_t end = std::min(indices.size(), begin + rows);
        for (auto& row : impl_->read_chunk(indices, begin, end, keys))
            out.push_back(std::move(row));
        begin = end;
    }
    return out;
}

RedisBlobBackend::MaybeRow RedisBlobBackend::get(std::size_t index, const std::optional<Keys>& keys) {
    return std::move(impl_->read_chunk({index}, 0, 1, keys).front());
}

std::vector<std::optional<std::string>> RedisBlobBackend::get_column(const std::string& key,
                                                                     const Indices& indices) {
    std::vector<std::optional<std::string>> out;
    out.reserve(indices.size());
    for (auto& row : get_many(indices, Keys{key})) {
        if (row && !row->empty())
            out.push_back(std::move(row->begin()->second));
        else
            out.emplace_back();
    }
    return out;
}

Keys RedisBlobBackend::keys(std::size_t index) {
    auto reply = impl_->run_retrying(impl_->script(scripts::kKeys).number(static_cast<long long>(index)));
    Keys out;
    for (std::size_t i = 0; i < reply->elements; ++i)
        out.emplace_back(text_of(*reply->element[i], impl_->where));
    std::sort(out.begin(), out.end()); // Redis keeps a hash's fields in no particular order
    return out;
}

// ---- appends: reserve sort keys, then one MULTI/EXEC ------------------------------------------

// Whether a batch whose answer was lost landed: its first sort key is in the list (MULTI/EXEC
// applies all of a batch or none of it). A counter below the batch means the server lost its
// data since, and writing the batch again could collide with another writer's rows.
bool RedisBlobBackend::Impl::appended(long long first_sort_key, long long count) {
    auto replies = connection->pipeline(
        {RedisCommand{"LPOS", list_key}.number(first_sort_key).arg("RANK").arg("-1"), {"GET", next_key}});
    check(*replies[0], where);
    const redisReply& counter = *replies[1];
    const long long next = counter.type == REDIS_REPLY_STRING ? std::atoll(counter.str) : 0;
    if (next < first_sort_key + count)
        throw BackendError(where +
                           ": the Redis server lost its data while rows were being appended (its sort-key "
                           "counter went back); the rows of this batch were not written");
    return replies[0]->type == REDIS_REPLY_INTEGER;
}

std::size_t RedisBlobBackend::Impl::append_batch(const std::vector<MaybeRow>& rows, std::size_t begin,
                                                 std::size_t end) {
    const auto count = static_cast<long long>(end - begin);
    const long long first = connection->retrying([&](RedisConnection&) {
        return integer_of(*run(RedisCommand{"INCRBY", next_key}.number(count)), where) - count;
    });
    if (first < counter_seen)
        throw BackendError(where + ": the Redis server lost rows: its sort-key counter went back from " +
                           std::to_string(counter_seen) + " to " + std::to_string(first) +
                           " (restarted without persistence, or cleared by another program); nothing more is "
                           "appended");
    counter_seen = first + count;
    std::vector<RedisCommand> commands;
    commands.reserve(2 * (end - begin) + 3);
    commands.push_back({"MULTI"});
    RedisCommand push{"RPUSH", list_key};
    for (std::size_t j = begin; j < end; ++j) {
        const std::string row_key = row_prefix + std::to_string(first + static_cast<long long>(j - begin));
        commands.push_back(RedisCommand{"DEL"}.own(row_key));
        if (rows[j] && !rows[j]->empty()) { // Redis keeps no empty hash: {} is stored as a placeholder
            RedisCommand hset{"HSET"};
            hset.own(row_key);
            for (const auto& [k, v] : *rows[j])
                hset.arg(k).arg(v);
            commands.push_back(std::move(hset));
        }
        push.number(first + static_cast<long long>(j - begin));
    }
    commands.push_back(std::move(push));
    commands.push_back({"EXEC"});
    bool sent = false;
    return connection->retrying([&](RedisConnection& c) -> std::size_t {
        if (sent && appended(first, count))
            return static_cast<std::size_t>(integer_of(*run({"LLEN", list_key}), where));
        sent = true;
        auto replies = c.pipeline(commands);
        for (std::size_t i = 0; i + 1 < replies.size(); ++i)
            check(*replies[i], where);
        const redisReply& exec = *replies.back();
        check(exec, where);
        if (exec.type != REDIS_REPLY_ARRAY || exec.elements == 0)
            throw BackendError(where +
                               ": the Redis server did not run the append (MULTI/EXEC answered nothing)");
        for (std::size_t i = 0; i < exec.elements; ++i)
            check(*exec.element[i], where);
        return static_cast<std::size_t>(integer_of(*exec.element[exec.elements - 1], where));
    });
}

std::size_t RedisBlobBackend::extend(const std::vector<MaybeRow>& rows) {
    if (rows.empty()) return size();
    std::size_t length = 0;
    for (std::size_t begin = 0; begin < rows.size();) {
        std::size_t end = begin, bytes = 0;
        while (end < rows.size() && end - begin < kWriteBatchRowsMax &&
               (end == begin || bytes < kWriteBatchBytes))
            bytes += row_bytes(rows[end++]);
        length = impl_->append_batch(rows, begin, end);
        begin = end;
    }
    return length;
}

// ---- edits: one atomic script each ----------------------------------------------------------

template <class Emit>
void RedisBlobBackend::Impl::write_rows(const char* mode, std::size_t start, std::size_t count, Emit&& emit) {
    for (std::size_t begin = 0; begin < count;) {
        RedisCommand command = script(scripts::kWriteRows);
        command.arg(mode).number(static_cast<long long>(start + begin));
        std::size_t end = begin, bytes = 0;
        while (end < count && end - begin < kWriteBatchRowsMax && (end == begin || bytes < kWriteBatchBytes))
            bytes += emit(end++, command);
        run_retrying(command);
        begin = end;
    }
}

namespace {
// One row's arguments of the write script: its field count (-1: a placeholder, nullptr) and its
// pairs, as views of the caller's row.
std::size_t emit_row(const std::map<std::string, std::string>* row, RedisCommand& command) {
    command.number(row ? static_cast<long long>(row->size()) : -1);
    std::size_t bytes = 32;
    if (row)
        for (const auto& [k, v] : *row) {
            command.arg(k).arg(v);
            bytes += k.size() + v.size();
        }
    return bytes;
}
} // namespace

void RedisBlobBackend::set(std::size_t index, const MaybeRow& row) {
    impl_->write_rows("set", index, 1,
                      [&](std::size_t, RedisCommand& c) { return emit_row(row ? &*row : nullptr, c); });
}

void RedisBlobBackend::set_many(std::size_t start, const std::vector<MaybeRow>& rows) {
    impl_->write_rows("set", start, rows.size(), [&](std::size_t i, RedisCommand& c) {
        return emit_row(rows[i] ? &*rows[i] : nullptr, c);
    });
}

void RedisBlobBackend::update(std::size_t index, const RowType& fields) {
    if (fields.empty()) return;
    impl_->write_rows("update", index, 1, [&](std::size_t, RedisCommand& c) { return emit_row(&fields, c); });
}

void RedisBlobBackend::update_many(std::size_t start, const std::vector<RowType>& rows) {
    impl_->write_rows("update", start, rows.size(),
                      [&](std::size_t i, RedisCommand& c) { return emit_row(&rows[i], c); });
}

void RedisBlobBackend::set_column(const std::string& key, std::size_t start,
                                  const std::vector<std::string>& values) {
    impl_->write_rows("update", start, values.size(), [&](std::size_t i, RedisCommand& c) {
        c.arg("1").arg(key).arg(values[i]);
        return key.size() + values[i].size();
    });
}

void RedisBlobBackend::insert(std::size_t index, const MaybeRow& row) {
    RedisCommand command = impl_->script(scripts::kInsert);
    command.number(static_cast<long long>(index));
    if (row)
        for (const auto& [k, v] : *row)
            command.arg(k).arg(v);
    impl_->run_once(command);
}

void RedisBlobBackend::erase(std::size_t index) { erase_range(index, index + 1); }

void RedisBlobBackend::erase_range(std::size_t start, std::size_t stop) {
    if (start >= stop) return;
    impl_->run_once(impl_->script(scripts::kErase)
                        .number(static_cast<long long>(start))
                        .number(static_cast<long long>(stop)));
}

void RedisBlobBackend::drop_keys(const Keys& keys, const std::optional<Indices>& indices) {
    if (keys.empty() || (indices && indices->empty())) return;
    const auto drop = [&](std::size_t begin, std::size_t end) { // no rows given: every row
        RedisCommand command = impl_->script(scripts::kDropKeys);
        command.number(static_cast<long long>(keys.size()));
        for (const auto& k : keys)
            command.arg(k);
        for (std::size_t j = begin; j < end; ++j)
            command.number(static_cast<long long>((*indices)[j]));
        impl_->run_retrying(command);
    };
    if (!indices) return drop(0, 0);
    for (std::size_t begin = 0; begin < indices->size(); begin += kReadChunkRowsMax)
        drop(begin, std::min(indices->size(), begin + kReadChunkRowsMax));
}

void RedisBlobBackend::clear() {
    impl_->run_retrying(impl_->script(scripts::kClear));
    impl_->counter_seen = 0; // clear() deletes the counter: sort keys start again at 0
}

// Python asebytes deletes SCAN MATCH "<group>:*", which also takes the keys of a group named
// "<group>:x" and, unescaped, of groups matching a glob. Ours deletes exactly this group's keys.
void RedisBlobBackend::remove() {
    auto& im = *impl_;
    im.connection->retrying([&](RedisConnection& c) {
        scan(c, glob_escaped(im.group) + ":*", im.where, [&](const std::vector<std::string>& keys) {
            RedisCommand del{"DEL"};
            std::size_t mine = 0;
            for (const auto& k : keys) {
                const bool row = k.compare(0, im.row_prefix.size(), im.row_prefix) == 0 &&
                                 all_digits(std::string_view(k).substr(im.row_prefix.size()));
                if (row || k == im.list_key || k == im.next_key) {
                    del.arg(k);
                    ++mine;
                }
            }
            if (mine) check(*c.command(del), im.where);
        });
        return 0;
    });
}

} // namespace asebytes
