#pragma once
// A read-through cache (Python asebytes' `ASEIO(src, cache_to=...)`): rows are read from a
// writable cache store when it holds them, otherwise read whole from the source, written to the
// cache at the same row number and handed out. Lengths, keys and writes go to the source. The
// cache is an ordinary store (an LMDB file in practice) that Python asebytes reads as its own.
//
// Two departures from upstream, both where its behaviour loses data: a placeholder row in the
// cache (the gaps LMDB pads when rows are cached out of order) is a miss, where upstream hands out
// None; and writes through the cached facade retire the cached rows they change (upstream keeps
// serving the old ones until the cache file is deleted). docs/facades.md has the details.
#include <algorithm>
#include <memory>

#include "asebytes/io.hpp"

namespace asebytes {

template <class V> class CachedBackend : public ReadWriteBackend<V> {
public:
    using typename ReadBackend<V>::MaybeRow;
    using typename ReadBackend<V>::RowType;

    CachedBackend(std::shared_ptr<ReadBackend<V>> source, std::shared_ptr<ReadWriteBackend<V>> cache)
        : source_(std::move(source)), cache_(std::move(cache)) {
        if (!source_ || !cache_) throw Error("a cached store needs an open source and an open cache");
    }

    const std::shared_ptr<ReadBackend<V>>& source() const { return source_; }
    const std::shared_ptr<ReadWriteBackend<V>>& cache() const { return cache_; }

    const BackendMetadata& metadata() const override { return source_->metadata(); }
    std::string location() const override {
        return source_->location() + " (cached in " + cache_->location() + ")";
    }
    std::size_t size() override { return source_->size(); }
    Keys keys(std::size_t index) override { return source_->keys(index); }

    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override {
        return std::move(get_many({index}, keys).front());
    }
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override {
        std::vector<MaybeRow> out(indices.size());
        // Hits: rows the cache holds (whole rows, so a key absent there is absent in the source).
        const std::size_t cached = cache_->size();
        Indices held, held_at;
        for (std::size_t p = 0; p < indices.size(); ++p)
            if (indices[p] < cached) {
                held.push_back(indices[p]);
                held_at.push_back(p);
            }
        auto hits = cache_->get_many(held, keys);
        for (std::size_t j = 0; j < hits.size(); ++j)
            out[held_at[j]] = std::move(hits[j]);
        // Misses (past the cache's end, or placeholders in it) in request order, so a source read
        // sequentially is read sequentially.
        Indices missed, missed_at;
        for (std::size_t p = 0; p < indices.size(); ++p)
            if (!out[p]) {
                missed.push_back(indices[p]);
                missed_at.push_back(p);
            }
        if (missed.empty()) return out;
        // Misses: whole rows from the source, kept for next time, then cut to the keys asked.
        auto rows = source_->get_many(missed);
        store(missed, rows);
        for (std::size_t j = 0; j < rows.size(); ++j)
            out[missed_at[j]] = only(std::move(rows[j]), keys);
        return out;
    }

    // Writes: the source's; what they change in rows already cached is retired from the cache.
    std::size_t extend(const std::vector<MaybeRow>& rows) override { return writer("extend").extend(rows); }
    void set(std::size_t index, const MaybeRow& row) override {
        writer("set").set(index, row);
        retire(index, 1);
    }
    void insert(std::size_t index, const MaybeRow& row) override {
        writer("insert").insert(index, row);
        drop_cache();
    }
    void erase(std::size_t index) override {
        writer("erase").erase(index);
        drop_cache();
    }
    void erase_range(std::size_t start, std::size_t stop) override {
        writer("erase").erase_range(start, stop);
        drop_cache();
    }
    void update(std::size_t index, const RowType& fields) override {
        writer("update").update(index, fields);
        retire(index, 1);
    }
    void set_many(std::size_t start, const std::vector<MaybeRow>& rows) override {
        writer("set").set_many(start, rows);
        retire(start, rows.size());
    }
    void update_many(std::size_t start, const std::vector<RowType>& rows) override {
        writer("update").update_many(start, rows);
        retire(start, rows.size());
    }
    void set_column(const std::string& key, std::size_t start, const std::vector<V>& values) override {
        writer("set").set_column(key, start, values);
        retire(start, values.size());
    }
    void drop_keys(const Keys& keys, const std::optional<Indices>& indices = std::nullopt) override {
        writer("drop").drop_keys(keys, indices);
        drop_cache();
    }
    void reserve(std::size_t count) override { writer("reserve").reserve(count); }
    void clear() override {
        writer("clear").clear();
        drop_cache();
    }
    void remove() override {
        writer("remove").remove();
        drop_cache();
    }
    void flush() override {
        writer("flush").flush();
        cache_->flush();
    }

private:
    ReadWriteBackend<V>& writer(const char* operation) { return detail::writer_of(*source_, operation); }
    // Rows just read from the source, into the cache: those that continue it as one append (one
    // transaction: iterating a store fills its cache a chunk at a time), the others one by one.
    // A cache that cannot take a row only costs the next read a trip to the source: the source
    // stays the truth, so the failure is not the reader's.
    void store(const Indices& indices, const std::vector<MaybeRow>& rows) {
        std::vector<std::size_t> order(indices.size());
        for (std::size_t j = 0; j < order.size(); ++j)
            order[j] = j;
        std::sort(order.begin(), order.end(), [&](auto x, auto y) { return indices[x] < indices[y]; });
        try {
            std::size_t end = cache_->size();
            std::vector<MaybeRow> run;
            const auto append_run = [&] {
                if (!run.empty()) end = cache_->extend(run);
                run.clear();
            };
            for (auto j : order) {
                if (indices[j] == end + run.size()) {
                    run.push_back(rows[j]);
                    continue;
                }
                append_run();
                if (rows[j] && (indices[j] >= end || !cache_->get(indices[j], Keys{}))) {
                    cache_->set(indices[j], rows[j]);
                    end = std::max(end, indices[j] + 1);
                }
            }
            append_run();
        } catch (const Error&) {
        }
    }
    // Cached rows [start, start + n) become placeholders, which read as misses.
    void retire(std::size_t start, std::size_t n) {
        const std::size_t cached = cache_->size();
        for (std::size_t i = start; i < start + n && i < cached; ++i)
            cache_->set(i, std::nullopt);
    }
    // Rows moved or lost keys everywhere: nothing cached is known to be right any more.
    void drop_cache() { cache_->clear(); }
    static MaybeRow only(MaybeRow row, const std::optional<Keys>& keys) {
        if (!row || !keys) return row;
        RowType kept;
        for (const auto& k : *keys)
            if (auto it = row->find(k); it != row->end()) kept.insert(std::move(*it));
        return kept;
    }

    std::shared_ptr<ReadBackend<V>> source_;
    std::shared_ptr<ReadWriteBackend<V>> cache_;
};

/// `io` reading through the cache store `cache` (a writable backend of the same tier): a facade
/// of io's type over the same source.
template <class IO> IO cache_to(const IO& io, std::shared_ptr<ReadWriteBackend<typename IO::V>> cache) {
    return IO(std::make_shared<CachedBackend<typename IO::V>>(io.backend_ptr(), std::move(cache)));
}
/// cache_to() with the store at `cache_path`, opened (created) through the registry:
/// `AtomsIO fast = cache_to(AtomsIO("redis://host/0"), "cache.lmdb");`
template <class IO>
IO cache_to(const IO& io, const std::string& cache_path, const OpenOptions& options = {}) {
    auto opened = open_backend<typename IO::V>(cache_path, options);
    auto cache = std::dynamic_pointer_cast<ReadWriteBackend<typename IO::V>>(opened);
    if (!cache) throw ReadOnlyError("the cache " + opened->location() + " must be writable");
    return cache_to(io, std::move(cache));
}

} // namespace asebytes
