#pragma once
// The facades: BlobIO (bytes), ObjectIO (Values), AtomsIO (Frames), counterparts of Python
// asebytes' BlobIO, ObjectIO and ASEIO. Each owns a backend (closed when the last facade or view
// holding it goes away) and hands out lazy views.
#include <memory>

#include "asebytes/registry.hpp"
#include "asebytes/views.hpp"

namespace asebytes {

template <class Items> class BasicIO {
public:
    using items_type = Items;
    using V = typename Items::V;
    using Item = typename Items::Item;
    using Backend = ReadBackend<V>;
    using RowType = std::map<std::string, V>;

    /// Wraps an open backend.
    explicit BasicIO(std::shared_ptr<Backend> backend) : backend_(std::move(backend)) {
        if (!backend_) throw Error("BasicIO needs a backend");
    }
    /// Opens `path` (file path or URI) through the registry.
    explicit BasicIO(const std::string& path, const OpenOptions& options = {})
        : BasicIO(open_backend<V>(path, options)) {}

    /// Groups stored at `path`.
    static std::vector<std::string> list_groups(const std::string& path) {
        return asebytes::list_groups(path);
    }

    std::size_t size() const { return backend().size(); }
    bool empty() const { return size() == 0; }
    bool writable() const { return dynamic_cast<ReadWriteBackend<V>*>(backend_.get()) != nullptr; }
    const std::shared_ptr<Backend>& backend_ptr() const { return backend_; }

    /// Row i (negative counts from the end); nullopt for a placeholder. With `keys`, only those
    /// fields, and KeyError when the row lacks one.
    std::optional<Item> get(std::int64_t i, const std::optional<Keys>& keys = std::nullopt) const {
        // A whole row: read as views read theirs (AtomsItems builds the frame as fields arrive).
        if (!keys) return std::move(Items::read(backend(), {index(i)}, nullptr).front());
        auto row = backend().get(index(i), keys);
        if (row && keys)
            for (const auto& k : *keys)
                if (!row->count(k))
                    throw KeyError("row " + std::to_string(i) + " of " + backend().location() +
                                   " has no key '" + k + "'");
        return Items::build(std::move(row));
    }
    std::optional<Item> operator[](std::int64_t i) const { return get(i); }
    /// Field names of row i.
    Keys keys(std::int64_t i) const { return backend().keys(index(i)); }

    /// Appends items in one batch; returns the new length.
    std::size_t extend(const std::vector<Item>& items) {
        std::vector<std::optional<RowType>> rows;
        rows.reserve(items.size());
        for (const auto& it : items)
            rows.emplace_back(Items::to_row(it));
        return writer("extend").extend(rows);
    }
    std::size_t append(const Item& item) { return extend(std::vector<Item>{item}); }
    /// Inserts before position i (Python list.insert: negative counts from the end, clamped).
    void insert(std::int64_t i, const std::optional<Item>& item) {
        const auto n = static_cast<std::int64_t>(size());
        const std::int64_t j = std::clamp<std::int64_t>(i < 0 ? i + n : i, 0, n);
        writer("insert").insert(static_cast<std::size_t>(j), to_row(item));
    }
    /// Replaces row i; nullopt makes it a placeholder. i >= size() appends, padding with placeholders.
    void set(std::int64_t i, const std::optional<Item>& item) {
        const std::size_t j = i >= 0 ? static_cast<std::size_t>(i) : normalize_index(i, size());
        writer("set").set(j, to_row(item));
    }
    /// Writes the given fields of row i, keeping the others.
    void update(std::int64_t i, const RowType& fields) {
        auto& w = writer("update");
        if (!fields.empty()) w.update(normalize_index(i, size()), fields);
    }
    /// Deletes row i; later rows move up.
    void erase(std::int64_t i) { writer("erase").erase(normalize_index(i, size())); }
    /// Removes `keys` from every row.
    void drop(const Keys& keys) { writer("drop").drop_keys(keys); }
    /// Appends `count` placeholder rows, to be filled with set().
    void reserve(std::size_t count) { writer("reserve").reserve(count); }
    /// Deletes every row; the group stays.
    void clear() { writer("clear").clear(); }
    /// Deletes this group of the store.
    void remove() { writer("remove").remove(); }
    /// Makes every write so far durable.
    void flush() { writer("flush").flush(); }
    /// Releases the backend (views made from it keep it alive).
    void close() { backend_.reset(); }

    /// Every row, lazily.
    RowView<Items> rows() const { return {backend_, detail::all_rows(size())}; }
    RowView<Items> rows(const Slice& s) const { return {backend_, s.resolve(size())}; }
    RowView<Items> rows(const std::vector<std::int64_t>& positions) const {
        return {backend_, normalize_indices(positions, size())};
    }
    /// rows({0, 5, -1}) picks positions (a braced list is not a Slice).
    RowView<Items> rows(std::initializer_list<std::int64_t> positions) const {
        return rows(std::vector<std::int64_t>(positions));
    }
    /// One column over all rows, lazily (rows are counted when it is read).
    ColumnView<V> column(const std::string& key) const { return {backend_, Keys{key}, std::nullopt}; }
    ColumnView<V> columns(const Keys& keys) const { return {backend_, keys, std::nullopt}; }

    typename RowView<Items>::iterator begin() const { return rows().begin(); }
    typename RowView<Items>::iterator end() const { return {nullptr, size(), RowView<Items>::kReadChunk}; }

protected:
    Backend& backend() const {
        if (!backend_) throw Error("store is closed");
        return *backend_;
    }
    ReadWriteBackend<V>& writer(const char* operation) { return detail::writer_of(backend(), operation); }
    // A read of row i needs the length only for a negative i: every backend's reads check the
    // bounds themselves (IndexError), and asking a server for its length is a round trip.
    std::size_t index(std::int64_t i) const {
        return i >= 0 ? static_cast<std::size_t>(i) : normalize_index(i, size());
    }
    static std::optional<RowType> to_row(const std::optional<Item>& item) {
        if (!item) return std::nullopt;
        return RowType(Items::to_row(*item));
    }

    std::shared_ptr<Backend> backend_;
};

/// Rows of encoded bytes (blob tier).
using BlobIO = BasicIO<BlobItems>;
/// Rows of Values (object tier).
using ObjectIO = BasicIO<ObjectItems>;

/// Rows as atomistic Frames, the counterpart of Python's ASEIO.
class AtomsIO : public BasicIO<AtomsItems> {
public:
    using BasicIO::BasicIO;

    /// Writes flat keys; each must be cell, pbc, constraints or start with arrays./calc./info.
    void update(std::int64_t i, const Row& fields);
    /// Writes info.<name> fields.
    void update_info(std::int64_t i, const Row& info) { update(i, prefixed("info.", info)); }
    /// Writes calc.<name> fields.
    void update_calc(std::int64_t i, const Row& calc) { update(i, prefixed("calc.", calc)); }
    /// Writes arrays.<name> fields.
    void update_arrays(std::int64_t i, const Row& arrays) { update(i, prefixed("arrays.", arrays)); }

private:
    static Row prefixed(const std::string& prefix, const Row& fields);
};

/// The facade handing out a tier's items: FacadeOf<AtomsItems> is AtomsIO.
template <class Items> struct FacadeFor { using type = BasicIO<Items>; };
template <> struct FacadeFor<AtomsItems> { using type = AtomsIO; };
template <class Items> using FacadeOf = typename FacadeFor<Items>::type;

/// True for the keys asebytes' atoms convention allows (docs/formats/values.md).
bool is_atoms_key(const std::string& key);

} // namespace asebytes
