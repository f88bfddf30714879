#pragma once
// Lazy views (docs/design.md, "Views"): a RowView or ColumnView holds the backend and a selection of
// rows and reads nothing until it is iterated or materialised. Views chain and write back.
#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>

#include "asebytes/backend.hpp"
#include "asebytes/frame.hpp"
#include "asebytes/row_chunks.hpp"
#include "asebytes/slice.hpp"

namespace asebytes {

namespace detail {

template <class V> ReadWriteBackend<V>& writer_of(ReadBackend<V>& backend, const char* operation) {
    if (auto* w = dynamic_cast<ReadWriteBackend<V>*>(&backend)) return *w;
    throw ReadOnlyError(backend.location() + " is open read-only: " + operation + "() is not allowed");
}

inline bool is_contiguous(const Indices& idx) {
    for (std::size_t i = 1; i < idx.size(); ++i)
        if (idx[i] != idx[i - 1] + 1) return false;
    return true;
}

inline Indices select(const Indices& current, const Slice& s) {
    Indices out;
    for (auto p : s.resolve(current.size()))
        out.push_back(current[p]);
    return out;
}

inline Indices select(const Indices& current, const std::vector<std::int64_t>& positions) {
    Indices out;
    for (auto p : normalize_indices(positions, current.size()))
        out.push_back(current[p]);
    return out;
}

inline Indices all_rows(std::size_t n) {
    Indices out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = i;
    return out;
}

/// Items::read through rows: the items of rows `indices`, and the in-memory size of the largest
/// (row_bytes) raised into `largest_row`.
template <class Items>
std::vector<std::optional<typename Items::Item>>
read_items(ReadBackend<typename Items::V>& backend, const Indices& indices, std::size_t* largest_row) {
    std::vector<std::optional<typename Items::Item>> out;
    out.reserve(indices.size());
    for (auto& row : backend.get_many(indices)) {
        if (largest_row) *largest_row = std::max(*largest_row, row_bytes(row));
        out.push_back(Items::build(std::move(row)));
    }
    return out;
}

} // namespace detail

/// How each facade turns stored rows into the items it hands out; read() gives the items of
/// rows `indices` and raises `largest_row` to the in-memory size of the largest (row_bytes).

struct BlobItems {
    using V = std::string;
    using Item = BlobRow;
    static std::optional<Item> build(std::optional<BlobRow>&& row) { return std::move(row); }
    static const BlobRow& to_row(const Item& item) { return item; }
    static std::vector<std::optional<Item>> read(ReadBackend<V>& backend, const Indices& indices,
                                                 std::size_t* largest_row) {
        return detail::read_items<BlobItems>(backend, indices, largest_row);
    }
};
struct ObjectItems {
    using V = Value;
    using Item = Row;
    static std::optional<Item> build(std::optional<Row>&& row) { return std::move(row); }
    static const Row& to_row(const Item& item) { return item; }
    static std::vector<std::optional<Item>> read(ReadBackend<V>& backend, const Indices& indices,
                                                 std::size_t* largest_row) {
        return detail::read_items<ObjectItems>(backend, indices, largest_row);
    }
};
struct AtomsItems {
    using V = Value;
    using Item = Frame;
    static std::optional<Item> build(std::optional<Row>&& row) {
        if (!row) return std::nullopt;
        return Frame::from_row(std::move(*row));
    }
    static Row to_row(const Item& item) { return item.to_row(); }
    /// Frames built field by field as the backend visits them (ReadBackend::visit_many).
    static std::vector<std::optional<Item>> read(ReadBackend<V>& backend, const Indices& indices,
                                                 std::size_t* largest_row);
};

/// One or several columns over a selection of rows (all rows, resolved at read time, when the
/// view was made from the store itself).
template <class V> class ColumnView {
public:
    using Backend = ReadBackend<V>;
    using RowType = std::map<std::string, V>;

    ColumnView(std::shared_ptr<Backend> backend, Keys keys, std::optional<Indices> indices)
        : backend_(std::move(backend)), keys_(std::move(keys)), indices_(std::move(indices)) {}

    const Keys& keys() const { return keys_; }
    std::size_t size() const { return indices_ ? indices_->size() : backend_->size(); }
    bool empty() const { return size() == 0; }

    /// A sub-selection of the rows of this view.
    ColumnView rows(const Slice& s) const { return {backend_, keys_, detail::select(resolved(), s)}; }
    ColumnView rows(const std::vector<std::int64_t>& positions) const {
        return {backend_, keys_, detail::select(resolved(), positions)};
    }
    ColumnView rows(std::initializer_list<std::int64_t> positions) const {
        return rows(std::vector<std::int64_t>(positions));
    }

    /// The value at position `i` of a single-column view (nullopt where the row lacks it).
    std::optional<V> at(std::int64_t i) const {
        const Indices idx = resolved();
        return read_column(single_key(), {idx[normalize_index(i, idx.size())]}).front();
    }
    /// Every value of a single-column view. KeyError when no row has the key.
    std::vector<std::optional<V>> to_list() const { return read_column(single_key(), resolved()); }
    /// The selected fields of every row; nullopt for placeholder rows.
    std::vector<std::optional<RowType>> to_rows() const { return backend_->get_many(resolved(), keys_); }
    /// Column-oriented: key -> values.
    std::map<std::string, std::vector<std::optional<V>>> to_dict() const {
        const Indices idx = resolved();
        std::map<std::string, std::vector<std::optional<V>>> out;
        if (keys_.size() == 1) {
            out[keys_[0]] = read_column(keys_[0], idx);
            return out;
        }
        for (const auto& k : keys_)
            out[k].reserve(idx.size());
        for (auto& row : backend_->get_many(idx, keys_)) {
            for (const auto& k : keys_) {
                std::optional<V> v;
                if (row)
                    if (auto it = row->find(k); it != row->end()) v = std::move(it->second);
                out[k].push_back(std::move(v));
            }
        }
        return out;
    }

    /// Writes one value per row into a single-column view.
    void set(const std::vector<V>& values) const {
        const Indices idx = checked_length(values.size());
        auto& w = detail::writer_of(*backend_, "set");
        const std::string& key = single_key();
        if (detail::is_contiguous(idx)) {
            if (!idx.empty()) w.set_column(key, idx.front(), values);
            return;
        }
        for (std::size_t j = 0; j < idx.size(); ++j)
            w.update(idx[j], RowType{{key, values[j]}});
    }
    /// Writes the given fields into each row of the view (one row of fields per row).
    void set_rows(const std::vector<RowType>& rows) const {
        const Indices idx = checked_length(rows.size());
        for (const auto& r : rows)
            for (const auto& kv : r)
                if (std::find(keys_.begin(), keys_.end(), kv.first) == keys_.end())
                    throw KeyError("key '" + kv.first + "' is not a column of this view");
        auto& w = detail::writer_of(*backend_, "set");
        if (detail::is_contiguous(idx)) {
            if (!idx.empty()) w.update_many(idx.front(), rows);
            return;
        }
        for (std::size_t j = 0; j < idx.size(); ++j)
            w.update(idx[j], rows[j]);
    }

private:
    Indices resolved() const { return indices_ ? *indices_ : detail::all_rows(backend_->size()); }
    const std::string& single_key() const {
        if (keys_.size() != 1) throw TypeError("this view has several columns: use to_rows() or to_dict()");
        return keys_[0];
    }
    Indices checked_length(std::size_t n) const {
        Indices idx = resolved();
        if (n != idx.size())
            throw TypeError("length mismatch: " + std::to_string(n) + " values for " +
                            std::to_string(idx.size()) + " rows");
        return idx;
    }
    std::vector<std::optional<V>> read_column(const std::string& key, const Indices& idx) const {
        auto values = backend_->get_column(key, idx);
        for (const auto& v : values)
            if (v) return values;
        // All missing: an error unless some real row has the key with no value (as asebytes).
        for (auto i : idx) {
            const Keys present = backend_->keys(i);
            if (std::find(present.begin(), present.end(), key) != present.end()) return values;
        }
        if (idx.empty()) return values;
        throw KeyError("no row of " + backend_->location() + " has key '" + key + "'");
    }

    std::shared_ptr<Backend> backend_;
    Keys keys_;
    std::optional<Indices> indices_;
};

/// A selection of rows. Iteration streams in chunks; nothing is read before.
template <class Items> class RowView {
public:
    using V = typename Items::V;
    using Item = typename Items::Item;
    using Backend = ReadBackend<V>;
    using RowType = std::map<std::string, V>;
    static constexpr std::size_t kReadChunk = 256;

    /// Yields items one by one, reading up to kReadChunk rows at a time, fewer when rows are
    /// large: a read stays within ChunkLimits' byte budget (16 MiB) at the size of the largest row
    /// seen so far, so iterating frames of 100,000 atoms does not hold gigabytes.
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = std::optional<Item>;
        using difference_type = std::ptrdiff_t;
        using pointer = const value_type*;
        using reference = const value_type&;

        iterator() = default;
        // The iterator owns a copy of the view, so `for (auto& f : io.rows(...))` is safe.
        iterator(std::shared_ptr<const RowView> view, std::size_t pos, std::size_t max_rows)
            : view_(std::move(view)), pos_(pos) {
            limits_.max_rows = max_rows;
        }
        reference operator*() {
            load();
            return buffer_[pos_ - buffer_start_];
        }
        pointer operator->() { return &**this; }
        iterator& operator++() {
            ++pos_;
            return *this;
        }
        bool operator==(const iterator& o) const { return pos_ == o.pos_; }
        bool operator!=(const iterator& o) const { return pos_ != o.pos_; }

    private:
        void load() {
            if (!buffer_.empty() && pos_ >= buffer_start_ && pos_ < buffer_start_ + buffer_.size()) return;
            buffer_start_ = pos_;
            buffer_ = view_->read(pos_, limits_.rows_for(largest_row_), &largest_row_);
        }
        std::shared_ptr<const RowView> view_;
        std::size_t pos_ = 0, buffer_start_ = 0, largest_row_ = 0;
        ChunkLimits limits_;
        std::vector<std::optional<Item>> buffer_;
    };

    /// Yields vectors of up to n items, one backend read each. Owns a copy of the view.
    class ChunkRange {
    public:
        class iterator {
        public:
            iterator(const RowView* view, std::size_t pos, std::size_t n) : view_(view), pos_(pos), n_(n) {}
            std::vector<std::optional<Item>> operator*() const { return view_->read(pos_, n_); }
            iterator& operator++() {
                pos_ = std::min(pos_ + n_, view_->size());
                return *this;
            }
            bool operator!=(const iterator& o) const { return pos_ != o.pos_; }
            bool operator==(const iterator& o) const { return pos_ == o.pos_; }

        private:
            const RowView* view_;
            std::size_t pos_, n_;
        };
        ChunkRange(RowView view, std::size_t n)
            : view_(std::make_shared<const RowView>(std::move(view))), n_(n) {}
        iterator begin() const { return {view_.get(), 0, n_}; }
        iterator end() const { return {view_.get(), view_->size(), n_}; }

    private:
        std::shared_ptr<const RowView> view_;
        std::size_t n_;
    };

    RowView(std::shared_ptr<Backend> backend, Indices indices)
        : backend_(std::move(backend)), indices_(std::move(indices)) {}

    std::size_t size() const { return indices_.size(); }
    bool empty() const { return indices_.empty(); }
    /// The store positions this view selects.
    const Indices& indices() const { return indices_; }
    /// The backend the view reads.
    const std::shared_ptr<Backend>& backend_ptr() const { return backend_; }

    /// The item at position `i` of the view (negative counts from the end).
    std::optional<Item> at(std::int64_t i) const { return read(normalize_index(i, size()), 1).front(); }
    std::optional<Item> operator[](std::int64_t i) const { return at(i); }
    RowView rows(const Slice& s) const { return {backend_, detail::select(indices_, s)}; }
    RowView rows(const std::vector<std::int64_t>& positions) const {
        return {backend_, detail::select(indices_, positions)};
    }
    RowView rows(std::initializer_list<std::int64_t> positions) const {
        return rows(std::vector<std::int64_t>(positions));
    }
    ColumnView<V> column(const std::string& key) const { return {backend_, Keys{key}, indices_}; }
    ColumnView<V> columns(const Keys& keys) const { return {backend_, keys, indices_}; }

    /// Every item, read in one batch.
    std::vector<std::optional<Item>> to_list() const { return read(0, size()); }
    iterator begin() const { return {std::make_shared<const RowView>(*this), 0, kReadChunk}; }
    iterator end() const { return {nullptr, size(), kReadChunk}; }
    /// Iterates in chunks of n items (one backend read per chunk).
    ChunkRange chunked(std::size_t n) const {
        if (n == 0) throw TypeError("chunk size must be positive");
        return ChunkRange(*this, n);
    }

    /// Overwrites the rows of this view, one item per row.
    void set(const std::vector<std::optional<Item>>& items) const {
        if (items.size() != size())
            throw TypeError("length mismatch: " + std::to_string(items.size()) + " items for " +
                            std::to_string(size()) + " rows");
        auto& w = detail::writer_of(*backend_, "set");
        std::vector<std::optional<RowType>> rows;
        rows.reserve(items.size());
        for (const auto& it : items)
            rows.push_back(it ? std::optional<RowType>(Items::to_row(*it)) : std::nullopt);
        if (detail::is_contiguous(indices_)) {
            if (!indices_.empty()) w.set_many(indices_.front(), rows);
            return;
        }
        for (std::size_t j = 0; j < rows.size(); ++j)
            w.set(indices_[j], rows[j]);
    }
    /// Merges `fields` into every row of this view.
    void update(const RowType& fields) const {
        auto& w = detail::writer_of(*backend_, "update");
        if (detail::is_contiguous(indices_)) {
            if (!indices_.empty()) w.update_many(indices_.front(), std::vector<RowType>(size(), fields));
            return;
        }
        for (auto i : indices_)
            w.update(i, fields);
    }
    /// Deletes the rows of this view; they must be contiguous (later rows move up).
    void erase() const {
        auto& w = detail::writer_of(*backend_, "erase");
        if (indices_.empty()) return;
        if (!detail::is_contiguous(indices_) || indices_.back() < indices_.front())
            throw TypeError("erase() needs contiguous ascending rows: deleting others would be "
                            "ambiguous as rows shift");
        w.erase_range(indices_.front(), indices_.back() + 1);
    }
    /// Removes `keys` from every row of this view.
    void drop(const Keys& keys) const { detail::writer_of(*backend_, "drop").drop_keys(keys, indices_); }

    /// Items at positions [pos, pos + n) of the view, in one backend read; `largest_row` (when
    /// given) grows to the in-memory size of the largest row read.
    std::vector<std::optional<Item>> read(std::size_t pos, std::size_t n,
                                          std::size_t* largest_row = nullptr) const {
        const std::size_t end = std::min(size(), pos + n);
        Indices chunk(indices_.begin() + static_cast<std::ptrdiff_t>(pos),
                      indices_.begin() + static_cast<std::ptrdiff_t>(end));
        return Items::read(*backend_, chunk, largest_row);
    }

private:
    std::shared_ptr<Backend> backend_;
    Indices indices_;
};

} // namespace asebytes
