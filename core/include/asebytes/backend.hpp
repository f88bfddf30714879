#pragma once
// The backend interfaces: a read-only and a read-write contract, generic over the tier's value
// type (std::string bytes for the blob tier, Value for the object tier). Backends implement
// what they can do natively; the defaults here express everything else through those calls.
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "asebytes/error.hpp"
#include "asebytes/metadata.hpp"
#include "asebytes/value.hpp"

namespace asebytes {

/// Row indices, already normalised (non-negative).
using Indices = std::vector<std::size_t>;

/// Receives rows one field at a time (ReadBackend::visit_many): items built straight from the
/// stored fields, with no row map in between.
template <class V> class RowSink {
public:
    virtual ~RowSink() = default;
    /// Row `position` of the request begins; a placeholder row has no fields.
    virtual void begin_row(std::size_t position, bool placeholder) = 0;
    /// One field of the current row, in key order; the value is the sink's to keep.
    virtual void field(std::string_view key, V&& value) = 0;
};

template <class V> class ReadBackend {
public:
    using value_type = V;
    using RowType = std::map<std::string, V>;
    /// std::nullopt is a placeholder row (reserved, or a gap filled by set()).
    using MaybeRow = std::optional<RowType>;

    virtual ~ReadBackend() = default;

    virtual const BackendMetadata& metadata() const = 0;
    /// Where the data lives ("run.lmdb, group 'default'"), for messages.
    virtual std::string location() const = 0;
    /// Number of rows.
    virtual std::size_t size() = 0;
    /// Row `index`: only the present fields among `keys` (all fields when keys is nullopt), or
    /// nullopt for a placeholder row. IndexError when index >= size().
    virtual MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) = 0;

    /// Several rows; backends override it to read in one transaction.
    virtual std::vector<MaybeRow> get_many(const Indices& indices,
                                           const std::optional<Keys>& keys = std::nullopt) {
        std::vector<MaybeRow> out;
        out.reserve(indices.size());
        for (auto i : indices)
            out.push_back(get(i, keys));
        return out;
    }
    /// The rows get_many() returns, handed to `sink` field by field. Backends that decode rows
    /// from their own storage override it to skip the row maps.
    virtual void visit_many(const Indices& indices, const std::optional<Keys>& keys, RowSink<V>& sink) {
        std::size_t position = 0;
        for (auto& row : get_many(indices, keys)) {
            sink.begin_row(position++, !row);
            if (row)
                for (auto& [key, value] : *row)
                    sink.field(key, std::move(value));
        }
    }
    /// One field of several rows; nullopt where a row lacks it or is a placeholder.
    virtual std::vector<std::optional<V>> get_column(const std::string& key, const Indices& indices) {
        std::vector<std::optional<V>> out;
        out.reserve(indices.size());
        const Keys keys{key};
        for (const auto& row : get_many(indices, keys)) {
            if (row && row->count(key))
                out.push_back(row->at(key));
            else
                out.push_back(std::nullopt);
        }
        return out;
    }
    /// Field names present in row `index` (empty for a placeholder).
    virtual Keys keys(std::size_t index) {
        Keys out;
        if (auto row = get(index))
            for (const auto& kv : *row)
                out.push_back(kv.first);
        return out;
    }

protected:
    void check_index(std::size_t index) {
        const std::size_t n = size();
        if (index >= n)
            throw IndexError("index " + std::to_string(index) + " out of range for " + std::to_string(n) +
                             " rows in " + location());
    }
};

template <class V> class ReadWriteBackend : public ReadBackend<V> {
public:
    using typename ReadBackend<V>::RowType;
    using typename ReadBackend<V>::MaybeRow;

    /// Appends rows in one batch; returns the new number of rows.
    virtual std::size_t extend(const std::vector<MaybeRow>& rows) = 0;
    // Edits in place: an append-only backend (metadata().edits_in_place false) leaves them to
    // these defaults, which report "not supported by <backend>".
    /// Replaces row `index`. An index at or past the end appends, filling any gap with
    /// placeholder rows (as Python asebytes' LMDB backend does).
    virtual void set(std::size_t, const MaybeRow&) { not_supported("set"); }
    /// Inserts before `index` (clamped to size()).
    virtual void insert(std::size_t, const MaybeRow&) { not_supported("insert"); }
    /// Removes row `index`; later rows move up.
    virtual void erase(std::size_t) { not_supported("erase"); }

    /// Removes rows [start, stop).
    virtual void erase_range(std::size_t start, std::size_t stop) {
        for (std::size_t i = stop; i > start; --i)
            erase(i - 1);
    }
    /// Writes or overwrites the given fields of row `index`, keeping the others.
    virtual void update(std::size_t index, const RowType& fields) {
        MaybeRow row = this->get(index);
        if (!row) row.emplace();
        for (const auto& [k, v] : fields)
            (*row)[k] = v;
        set(index, row);
    }
    /// Overwrites rows [start, start + rows.size()).
    virtual void set_many(std::size_t start, const std::vector<MaybeRow>& rows) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            set(start + i, rows[i]);
    }
    /// update() of rows [start, start + rows.size()).
    virtual void update_many(std::size_t start, const std::vector<RowType>& rows) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (!rows[i].empty()) update(start + i, rows[i]);
    }
    /// Writes field `key` of rows [start, start + values.size()).
    virtual void set_column(const std::string& key, std::size_t start, const std::vector<V>& values) {
        for (std::size_t i = 0; i < values.size(); ++i)
            update(start + i, RowType{{key, values[i]}});
    }
    /// Removes fields from the given rows (all rows when nullopt).
    virtual void drop_keys(const Keys& keys, const std::optional<Indices>& indices = std::nullopt) {
        const std::set<std::string> drop(keys.begin(), keys.end());
        const std::size_t n = indices ? indices->size() : this->size();
        for (std::size_t j = 0; j < n; ++j) {
            const std::size_t i = indices ? (*indices)[j] : j;
            MaybeRow row = this->get(i);
            if (!row) continue;
            bool changed = false;
            for (const auto& k : drop)
                changed |= row->erase(k) > 0;
            if (changed) set(i, row);
        }
    }
    /// Appends `count` placeholder rows.
    virtual void reserve(std::size_t count) { extend(std::vector<MaybeRow>(count)); }
    /// Removes every row but keeps the container (group, file).
    virtual void clear() { erase_range(0, this->size()); }
    /// Removes the container itself (this group of the store).
    virtual void remove() { not_supported("remove"); }
    /// Makes everything written so far durable.
    virtual void flush() {}

protected:
    [[noreturn]] void not_supported(const char* operation) const {
        throw NotSupportedError(std::string(operation) + "() is not supported by the " +
                                this->metadata().name + " backend (" + this->location() + ")");
    }
};

using BlobReadBackend = ReadBackend<std::string>;
using BlobReadWriteBackend = ReadWriteBackend<std::string>;
using ObjectReadBackend = ReadBackend<Value>;
using ObjectReadWriteBackend = ReadWriteBackend<Value>;

} // namespace asebytes
