#pragma once
// Async facades, the counterparts of Python asebytes' AsyncBlobIO, AsyncObjectIO and AsyncASEIO:
// the facade's methods returning std::future, views that materialise asynchronously, and a
// prefetching iteration that reads the next chunks while the caller works on this one
// (docs/facades.md).
//
// Every operation on one store runs on that store's Strand (asebytes/task_pool.hpp): one at a
// time, in the order issued, on a small shared pool. The backends are not thread-safe, and
// `extend(...)` then `size()` must count the new rows even when nobody waited for the first.
// Once a store is wrapped, reach it only through the async facade and its views.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>

#include "asebytes/io.hpp"
#include "asebytes/task_pool.hpp"

namespace asebytes {

namespace detail {
// What an async facade and all its views share: the store, and the queue its work runs on.
template <class IO> struct AsyncStore {
    AsyncStore(IO io_, TaskPool& pool) : io(std::move(io_)), strand(pool) {}
    IO io;
    Strand strand;

    template <class F> auto run(const std::shared_ptr<AsyncStore>& self, F f) {
        return strand.run([self, f = std::move(f)]() mutable { return f(self->io); });
    }
};
// A view of an async store: a selection resolved, and work run, on the store's strand.
template <class IO, class View> class AsyncSelection {
public:
    using Store = AsyncStore<IO>;
    using Select = std::function<View(const IO&)>;

    AsyncSelection(std::shared_ptr<Store> store, Select select)
        : store_(std::move(store)), select_(std::move(select)) {}

protected:
    template <class F> auto on_view(F f) const {
        return store_->run(store_, [select = select_, f = std::move(f)](IO& io) { return f(select(io)); });
    }
    std::shared_ptr<Store> store_;
    Select select_;
};
} // namespace detail

/// Iterates a row view's items, reading chunk k + 1 .. k + depth on the store's strand while the
/// caller holds chunk k: memory is bounded by `depth` chunks, each within the byte budget of
/// RowView's own iteration. A read error is rethrown where its rows would have been handed out.
/// Leaving the loop early cancels the reads not yet started; one already running finishes on
/// its own (it keeps what it needs alive).
template <class IO> class Prefetch {
public:
    using Items = typename IO::items_type;
    using Item = typename Items::Item;
    using Select = std::function<RowView<Items>(const IO&)>;
    using Store = detail::AsyncStore<IO>;

private:
    struct State {
        std::shared_ptr<Store> store;
        Select select;
        std::size_t depth = 0;
        std::optional<RowView<Items>> view; // resolved by the first read, on the strand
        ChunkLimits limits;
        std::size_t next = 0, largest_row = 0;

        std::mutex mutex;
        std::condition_variable arrived;
        std::deque<std::vector<std::optional<Item>>> ready;
        std::exception_ptr error;
        bool in_flight = false, finished = false, cancelled = false;

        // Called with `mutex` held: queue the next read if there is room for its chunk.
        static void maybe_read(const std::shared_ptr<State>& self) {
            if (self->in_flight || self->finished || self->cancelled || self->ready.size() >= self->depth)
                return;
            self->in_flight = true;
            self->store->strand.post([self] { read(self); });
        }
        static void read(const std::shared_ptr<State>& self) {
            {
                std::lock_guard<std::mutex> lock(self->mutex);
                if (self->cancelled) {
                    self->in_flight = false;
                    return;
                }
            }
            std::vector<std::optional<Item>> chunk;
            std::exception_ptr error;
            bool last = false;
            try {
                if (!self->view) self->view = self->select(self->store->io);
                chunk = self->view->read(self->next, self->limits.rows_for(self->largest_row),
                                         &self->largest_row);
                self->next += chunk.size();
                last = self->next >= self->view->size();
            } catch (...) {
                error = std::current_exception();
            }
            std::lock_guard<std::mutex> lock(self->mutex);
            self->in_flight = false;
            if (error) {
                self->error = error;
                self->finished = true;
            } else {
                if (!chunk.empty()) self->ready.push_back(std::move(chunk));
                self->finished = last;
            }
            self->arrived.notify_all();
            maybe_read(self);
        }
    };
    // Cancels the reads when the last range or iterator that can consume them goes away.
    struct Consumer {
        explicit Consumer(std::shared_ptr<State> s) : state(std::move(s)) {}
        Consumer(const Consumer&) = delete;
        Consumer& operator=(const Consumer&) = delete;
        std::shared_ptr<State> state;
        ~Consumer() {
            std::lock_guard<std::mutex> lock(state->mutex);
            state->cancelled = true;
        }
    };

public:
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = std::optional<Item>;
        using difference_type = std::ptrdiff_t;
        using pointer = value_type*;
        using reference = value_type&;

        iterator() = default;
        explicit iterator(std::shared_ptr<Consumer> consumer) : consumer_(std::move(consumer)) {}

        reference operator*() {
            fill();
            return chunk_[pos_];
        }
        pointer operator->() { return &**this; }
        iterator& operator++() {
            fill();
            ++pos_;
            return *this;
        }
        // Equal to end() once every row was handed out (may wait for the next chunk to know).
        bool operator==(const iterator& o) const { return at_end() == o.at_end(); }
        bool operator!=(const iterator& o) const { return !(*this == o); }

    private:
        bool at_end() const {
            if (!consumer_) return true;
            const_cast<iterator*>(this)->fill();
            return pos_ >= chunk_.size();
        }
        // Makes chunk_[pos_] the next item, waiting for its chunk; rethrows a read's error.
        void fill() {
            if (pos_ < chunk_.size()) return;
            auto& s = consumer_->state;
            std::unique_lock<std::mutex> lock(s->mutex);
            s->arrived.wait(lock,
                            [&] { return !s->ready.empty() || s->error || (s->finished && !s->in_flight); });
            if (s->ready.empty()) {
                if (s->error) std::rethrow_exception(s->error);
                chunk_.clear();
                pos_ = 0;
                return;
            }
            chunk_ = std::move(s->ready.front());
            s->ready.pop_front();
            pos_ = 0;
            State::maybe_read(s);
        }

        std::shared_ptr<Consumer> consumer_;
        std::vector<std::optional<Item>> chunk_;
        std::size_t pos_ = 0;
    };

    Prefetch(std::shared_ptr<Store> store, Select select, std::size_t depth, std::size_t max_rows) {
        if (depth == 0) throw TypeError("prefetch depth must be at least 1 chunk");
        if (max_rows == 0) throw TypeError("prefetch chunks must hold at least 1 row");
        auto s = std::make_shared<State>();
        s->store = std::move(store);
        s->select = std::move(select);
        s->depth = depth;
        s->limits.max_rows = max_rows;
        consumer_ = std::make_shared<Consumer>(std::move(s));
    }

    /// Starts the reads; iterate once.
    iterator begin() const {
        {
            std::lock_guard<std::mutex> lock(consumer_->state->mutex);
            State::maybe_read(consumer_->state);
        }
        return iterator(consumer_);
    }
    iterator end() const { return {}; }

private:
    std::shared_ptr<Consumer> consumer_;
};

/// One or several columns of a selection of rows, read or written on the store's strand.
template <class IO> class AsyncColumnView : public detail::AsyncSelection<IO, ColumnView<typename IO::V>> {
    using Base = detail::AsyncSelection<IO, ColumnView<typename IO::V>>;
    using Base::on_view;

public:
    using V = typename IO::V;
    using RowType = std::map<std::string, V>;
    using Base::Base;

    std::future<std::vector<std::optional<V>>> to_list() const {
        return on_view([](const ColumnView<V>& c) { return c.to_list(); });
    }
    std::future<std::map<std::string, std::vector<std::optional<V>>>> to_dict() const {
        return on_view([](const ColumnView<V>& c) { return c.to_dict(); });
    }
    std::future<std::vector<std::optional<RowType>>> to_rows() const {
        return on_view([](const ColumnView<V>& c) { return c.to_rows(); });
    }
    std::future<void> set(std::vector<V> values) const {
        return on_view([values = std::move(values)](const ColumnView<V>& c) { c.set(values); });
    }
};

/// A selection of rows; which rows is settled when the first operation on it runs (a slice of
/// a store that grows in between covers the rows there are then).
template <class IO> class AsyncRowView : public detail::AsyncSelection<IO, RowView<typename IO::items_type>> {
    using Base = detail::AsyncSelection<IO, RowView<typename IO::items_type>>;
    using Base::on_view;
    using Base::select_;
    using Base::store_;

public:
    using Items = typename IO::items_type;
    using Item = typename Items::Item;
    using V = typename IO::V;
    using RowType = std::map<std::string, V>;
    using Base::Base;

    std::future<std::size_t> size() const {
        return on_view([](const RowView<Items>& v) { return v.size(); });
    }
    /// Every item, read in one batch.
    std::future<std::vector<std::optional<Item>>> to_list() const {
        return on_view([](const RowView<Items>& v) { return v.to_list(); });
    }
    std::future<void> set(std::vector<std::optional<Item>> items) const {
        return on_view([items = std::move(items)](const RowView<Items>& v) { v.set(items); });
    }
    std::future<void> update(RowType fields) const {
        return on_view([fields = std::move(fields)](const RowView<Items>& v) { v.update(fields); });
    }
    /// Deletes the rows; they must be contiguous.
    std::future<void> erase() const {
        return on_view([](const RowView<Items>& v) { v.erase(); });
    }
    std::future<void> drop(Keys keys) const {
        return on_view([keys = std::move(keys)](const RowView<Items>& v) { v.drop(keys); });
    }

    AsyncRowView rows(Slice s) const {
        return {store_, [select = select_, s](const IO& io) { return select(io).rows(s); }};
    }
    AsyncColumnView<IO> column(std::string key) const { return columns(Keys{std::move(key)}); }
    AsyncColumnView<IO> columns(Keys keys) const {
        return {store_, [select = select_, keys = std::move(keys)](const IO& io) {
                    return select(io).columns(keys);
                }};
    }

    /// The items one by one, the next `depth` chunks (of up to `max_rows` rows) read ahead:
    /// `for (const auto& frame : aio.rows().prefetch(4)) train_on(*frame);`
    Prefetch<IO> prefetch(std::size_t depth = 2, std::size_t max_rows = RowView<Items>::kReadChunk) const {
        return Prefetch<IO>(store_, select_, depth, max_rows);
    }
};

/// A facade (BlobIO, ObjectIO or AtomsIO) whose operations return futures.
template <class IO> class AsyncIO {
public:
    using Items = typename IO::items_type;
    using Item = typename Items::Item;
    using V = typename IO::V;
    using RowType = std::map<std::string, V>;
    using Store = detail::AsyncStore<IO>;

    /// Takes over `io`; its work runs on `pool` (the process's shared pool by default).
    explicit AsyncIO(IO io, TaskPool& pool = TaskPool::shared())
        : store_(std::make_shared<Store>(std::move(io), pool)) {}
    /// Opens `path` through the registry (the opening itself is synchronous).
    explicit AsyncIO(const std::string& path, const OpenOptions& options = {}) : AsyncIO(IO(path, options)) {}

    std::future<std::size_t> size() const {
        return run([](IO& io) { return io.size(); });
    }
    /// Row i (negative counts from the end when the read runs).
    std::future<std::optional<Item>> get(std::int64_t i, std::optional<Keys> keys = std::nullopt) const {
        return run([i, keys = std::move(keys)](IO& io) { return io.get(i, keys); });
    }
    std::future<Keys> keys(std::int64_t i) const {
        return run([i](IO& io) { return io.keys(i); });
    }

    std::future<std::size_t> extend(std::vector<Item> items) {
        return run([items = std::move(items)](IO& io) { return io.extend(items); });
    }
    std::future<void> insert(std::int64_t i, std::optional<Item> item) {
        return run([i, item = std::move(item)](IO& io) { io.insert(i, item); });
    }
    std::future<void> set(std::int64_t i, std::optional<Item> item) {
        return run([i, item = std::move(item)](IO& io) { io.set(i, item); });
    }
    /// The facade's update (AtomsIO checks the keys).
    std::future<void> update(std::int64_t i, RowType fields) {
        return run([i, fields = std::move(fields)](IO& io) { io.update(i, fields); });
    }
    std::future<void> erase(std::int64_t i) {
        return run([i](IO& io) { io.erase(i); });
    }
    std::future<void> drop(Keys keys) {
        return run([keys = std::move(keys)](IO& io) { io.drop(keys); });
    }
    std::future<void> reserve(std::size_t count) {
        return run([count](IO& io) { io.reserve(count); });
    }
    std::future<void> clear() {
        return run([](IO& io) { io.clear(); });
    }
    std::future<void> remove() {
        return run([](IO& io) { io.remove(); });
    }
    std::future<void> flush() {
        return run([](IO& io) { io.flush(); });
    }

    /// Lazy views; nothing runs until one of their operations does.
    AsyncRowView<IO> rows() const {
        return {store_, [](const IO& io) { return io.rows(); }};
    }
    AsyncRowView<IO> rows(Slice s) const {
        return {store_, [s](const IO& io) { return io.rows(s); }};
    }
    AsyncRowView<IO> rows(std::vector<std::int64_t> positions) const {
        return {store_, [positions = std::move(positions)](const IO& io) { return io.rows(positions); }};
    }
    /// rows({0, 5, -1}) picks positions (a braced list is not a Slice).
    AsyncRowView<IO> rows(std::initializer_list<std::int64_t> positions) const {
        return rows(std::vector<std::int64_t>(positions));
    }
    AsyncColumnView<IO> column(std::string key) const { return columns(Keys{std::move(key)}); }
    AsyncColumnView<IO> columns(Keys keys) const {
        return {store_, [keys = std::move(keys)](const IO& io) { return io.columns(keys); }};
    }

    /// Every item, read ahead (see Prefetch).
    Prefetch<IO> prefetch(std::size_t depth = 2, std::size_t max_rows = RowView<Items>::kReadChunk) const {
        return rows().prefetch(depth, max_rows);
    }

private:
    template <class F> auto run(F f) const { return store_->run(store_, std::move(f)); }
    std::shared_ptr<Store> store_;
};

using AsyncBlobIO = AsyncIO<BlobIO>;
using AsyncObjectIO = AsyncIO<ObjectIO>;
using AsyncAtomsIO = AsyncIO<AtomsIO>;

} // namespace asebytes
