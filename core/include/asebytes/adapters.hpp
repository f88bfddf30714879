#pragma once
// Adapters between the tiers: a blob backend seen as an object backend (values decoded on read,
// encoded on write) and the reverse. A backend implements its native tier; the facades get the
// other one from here (docs/design.md, "Tiers and backends").
#include <memory>

#include "asebytes/backend.hpp"
#include "asebytes/codec.hpp"

namespace asebytes {

/// How one value crosses from tier From to tier To and back.
template <class From, class To> struct TierConvert;

template <> struct TierConvert<std::string, Value> {
    static Value forward(const std::string& bytes, const std::string& where) {
        try {
            return decode(bytes);
        } catch (const CorruptDataError& e) {
            throw CorruptDataError(where + ": " + e.what());
        }
    }
    static std::string backward(const Value& v) { return encode(v); }
};

template <> struct TierConvert<Value, std::string> {
    static std::string forward(const Value& v, const std::string&) { return encode(v); }
    static Value backward(const std::string& bytes) {
        try {
            return decode(bytes);
        } catch (const CorruptDataError& e) {
            throw TypeError(std::string("cannot store bytes that are not an encoded value: ") + e.what());
        }
    }
};

/// The read half of an adapter; Base is ReadBackend<To> or ReadWriteBackend<To>.
template <class From, class To, class Base> class TierAdapterBase : public Base {
public:
    using Convert = TierConvert<From, To>;
    using typename Base::MaybeRow;
    using typename Base::RowType;
    using InnerRow = std::map<std::string, From>;

    explicit TierAdapterBase(std::shared_ptr<ReadBackend<From>> inner) : inner_(std::move(inner)) {}

    const BackendMetadata& metadata() const override { return inner_->metadata(); }
    std::string location() const override { return inner_->location(); }
    std::size_t size() override { return inner_->size(); }
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys) override {
        return forward_row(inner_->get(index, keys), index);
    }
    std::vector<MaybeRow> get_many(const Indices& indices, const std::optional<Keys>& keys) override {
        auto raw = inner_->get_many(indices, keys);
        std::vector<MaybeRow> out;
        out.reserve(raw.size());
        for (std::size_t j = 0; j < raw.size(); ++j)
            out.push_back(forward_row(raw[j], indices[j]));
        return out;
    }
    std::vector<std::optional<To>> get_column(const std::string& key, const Indices& indices) override {
        auto raw = inner_->get_column(key, indices);
        std::vector<std::optional<To>> out;
        out.reserve(raw.size());
        for (std::size_t j = 0; j < raw.size(); ++j) {
            if (raw[j])
                out.emplace_back(Convert::forward(*raw[j], where(indices[j], key)));
            else
                out.emplace_back(std::nullopt);
        }
        return out;
    }
    Keys keys(std::size_t index) override { return inner_->keys(index); }

    /// The wrapped backend.
    const std::shared_ptr<ReadBackend<From>>& inner() const { return inner_; }

protected:
    std::string where(std::size_t index, const std::string& key) const {
        return location() + ", row " + std::to_string(index) + ", key '" + key + "'";
    }
    MaybeRow forward_row(const std::optional<InnerRow>& row, std::size_t index) const {
        if (!row) return std::nullopt;
        RowType out;
        for (const auto& [k, v] : *row)
            out.emplace_hint(out.end(), k, Convert::forward(v, where(index, k)));
        return out;
    }
    static std::optional<InnerRow> backward_row(const MaybeRow& row) {
        if (!row) return std::nullopt;
        return backward_fields(*row);
    }
    static InnerRow backward_fields(const RowType& row) {
        InnerRow out;
        for (const auto& [k, v] : row)
            out.emplace_hint(out.end(), k, Convert::backward(v));
        return out;
    }

    std::shared_ptr<ReadBackend<From>> inner_;
};

template <class From, class To> using TierReadAdapter = TierAdapterBase<From, To, ReadBackend<To>>;

template <class From, class To>
class TierReadWriteAdapter : public TierAdapterBase<From, To, ReadWriteBackend<To>> {
    using Base = TierAdapterBase<From, To, ReadWriteBackend<To>>;

public:
    using typename Base::MaybeRow;
    using typename Base::RowType;
    using Convert = typename Base::Convert;

    explicit TierReadWriteAdapter(std::shared_ptr<ReadWriteBackend<From>> inner)
        : Base(inner), writer_(inner.get()) {}

    void set(std::size_t index, const MaybeRow& row) override {
        writer_->set(index, this->backward_row(row));
    }
    void insert(std::size_t index, const MaybeRow& row) override {
        writer_->insert(index, this->backward_row(row));
    }
    std::size_t extend(const std::vector<MaybeRow>& rows) override {
        return writer_->extend(backward_rows(rows));
    }
    void erase(std::size_t index) override { writer_->erase(index); }
    void erase_range(std::size_t start, std::size_t stop) override { writer_->erase_range(start, stop); }
    void update(std::size_t index, const RowType& fields) override {
        writer_->update(index, this->backward_fields(fields));
    }
    void set_many(std::size_t start, const std::vector<MaybeRow>& rows) override {
        writer_->set_many(start, backward_rows(rows));
    }
    void update_many(std::size_t start, const std::vector<RowType>& rows) override {
        std::vector<typename Base::InnerRow> inner;
        inner.reserve(rows.size());
        for (const auto& r : rows)
            inner.push_back(this->backward_fields(r));
        writer_->update_many(start, inner);
    }
    void set_column(const std::string& key, std::size_t start, const std::vector<To>& values) override {
        std::vector<From> inner;
        inner.reserve(values.size());
        for (const auto& v : values)
            inner.push_back(Convert::backward(v));
        writer_->set_column(key, start, inner);
    }
    void drop_keys(const Keys& keys, const std::optional<Indices>& indices) override {
        writer_->drop_keys(keys, indices);
    }
    void reserve(std::size_t count) override { writer_->reserve(count); }
    void clear() override { writer_->clear(); }
    void remove() override { writer_->remove(); }
    void flush() override { writer_->flush(); }

private:
    std::vector<std::optional<typename Base::InnerRow>>
    backward_rows(const std::vector<MaybeRow>& rows) const {
        std::vector<std::optional<typename Base::InnerRow>> out;
        out.reserve(rows.size());
        for (const auto& r : rows)
            out.push_back(this->backward_row(r));
        return out;
    }

    ReadWriteBackend<From>* writer_;
};

/// Only the reading half of `inner`: how a writable backend is handed out read-only.
template <class V> class ReadOnlyAdapter : public ReadBackend<V> {
public:
    using typename ReadBackend<V>::MaybeRow;
    explicit ReadOnlyAdapter(std::shared_ptr<ReadBackend<V>> inner) : inner_(std::move(inner)) {}
    const BackendMetadata& metadata() const override { return inner_->metadata(); }
    std::string location() const override { return inner_->location(); }
    std::size_t size() override { return inner_->size(); }
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys) override {
        return inner_->get(index, keys);
    }
    std::vector<MaybeRow> get_many(const Indices& indices, const std::optional<Keys>& keys) override {
        return inner_->get_many(indices, keys);
    }
    void visit_many(const Indices& indices, const std::optional<Keys>& keys, RowSink<V>& sink) override {
        inner_->visit_many(indices, keys, sink);
    }
    std::vector<std::optional<V>> get_column(const std::string& key, const Indices& indices) override {
        return inner_->get_column(key, indices);
    }
    Keys keys(std::size_t index) override { return inner_->keys(index); }

private:
    std::shared_ptr<ReadBackend<V>> inner_;
};

/// `inner` seen through the other tier; writable exactly when `inner` is.
template <class From, class To>
std::shared_ptr<ReadBackend<To>> adapt(std::shared_ptr<ReadBackend<From>> inner) {
    if (auto rw = std::dynamic_pointer_cast<ReadWriteBackend<From>>(inner))
        return std::make_shared<TierReadWriteAdapter<From, To>>(std::move(rw));
    return std::make_shared<TierReadAdapter<From, To>>(std::move(inner));
}

} // namespace asebytes
