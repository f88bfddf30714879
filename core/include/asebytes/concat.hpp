#pragma once
// Concatenated stores: `a + b` over facades of one tier, or over their row views, is a read-only
// facade of the same tier whose rows are a's followed by b's (Python asebytes' ConcatView,
// docs/facades.md). Nothing is copied: a ConcatBackend maps each row to (source, local row) and
// reads every request's rows grouped per source, handing them back in request order.
#include <algorithm>
#include <memory>
#include <type_traits>
#include <utility>

#include "asebytes/io.hpp"

namespace asebytes {

/// The rows of a view of a backend as a backend of their own (row j is the view's row j).
template <class V> class SelectionBackend : public ReadBackend<V> {
public:
    using typename ReadBackend<V>::MaybeRow;

    SelectionBackend(std::shared_ptr<ReadBackend<V>> inner, Indices rows)
        : inner_(std::move(inner)), rows_(std::move(rows)) {}

    const BackendMetadata& metadata() const override { return inner_->metadata(); }
    std::string location() const override {
        return std::to_string(rows_.size()) + " selected rows of " + inner_->location();
    }
    std::size_t size() override { return rows_.size(); }
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override {
        return inner_->get(row(index), keys);
    }
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override {
        return inner_->get_many(mapped(indices), keys);
    }
    void visit_many(const Indices& indices, const std::optional<Keys>& keys, RowSink<V>& sink) override {
        inner_->visit_many(mapped(indices), keys, sink);
    }
    std::vector<std::optional<V>> get_column(const std::string& key, const Indices& indices) override {
        return inner_->get_column(key, mapped(indices));
    }
    Keys keys(std::size_t index) override { return inner_->keys(row(index)); }

private:
    std::size_t row(std::size_t index) {
        this->check_index(index);
        return rows_[index];
    }
    Indices mapped(const Indices& indices) {
        Indices out;
        out.reserve(indices.size());
        for (auto i : indices)
            out.push_back(row(i));
        return out;
    }

    std::shared_ptr<ReadBackend<V>> inner_;
    Indices rows_;
};

/// Several backends of one tier end to end, read-only. Lengths are the sources' live lengths,
/// asked once per request; each row is then placed by binary search over their running sums.
template <class V> class ConcatBackend : public ReadBackend<V> {
public:
    using Source = std::shared_ptr<ReadBackend<V>>;
    using typename ReadBackend<V>::MaybeRow;

    /// A concatenation of concatenations is flat: their sources are spliced in.
    explicit ConcatBackend(const std::vector<Source>& sources) {
        for (const auto& s : sources) {
            if (!s) throw Error("a concatenation needs open stores (a closed one was given)");
            if (auto* nested = dynamic_cast<ConcatBackend*>(s.get()))
                sources_.insert(sources_.end(), nested->sources_.begin(), nested->sources_.end());
            else
                sources_.push_back(s);
        }
        if (sources_.empty()) throw Error("a concatenation needs at least one store");
    }

    const std::vector<Source>& sources() const { return sources_; }

    const BackendMetadata& metadata() const override {
        static const BackendMetadata m = [] {
            BackendMetadata d;
            d.name = "concat";
            d.description = "several stores end to end, read-only";
            d.writable = false;
            d.edits_in_place = false;
            d.persistent = false;
            d.storage = Storage::None;
            d.groups = false;
            return d;
        }();
        return m;
    }
    std::string location() const override {
        std::string out = "concatenation (read-only) of ";
        for (std::size_t k = 0; k < sources_.size(); ++k)
            out += (k ? " + " : "") + sources_[k]->location();
        return out;
    }
    std::size_t size() override { return offsets().back(); }

    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override {
        const auto [k, local] = locate(offsets(), index);
        return sources_[k]->get(local, keys);
    }
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override {
        return per_source<MaybeRow>(
            indices, [&](ReadBackend<V>& s, const Indices& local) { return s.get_many(local, keys); });
    }
    std::vector<std::optional<V>> get_column(const std::string& key, const Indices& indices) override {
        return per_source<std::optional<V>>(
            indices, [&](ReadBackend<V>& s, const Indices& local) { return s.get_column(key, local); });
    }
    Keys keys(std::size_t index) override {
        const auto [k, local] = locate(offsets(), index);
        return sources_[k]->keys(local);
    }

private:
    // offsets[k] is the first row of source k; offsets.back() the total.
    std::vector<std::size_t> offsets() {
        std::vector<std::size_t> out{0};
        out.reserve(sources_.size() + 1);
        for (const auto& s : sources_)
            out.push_back(out.back() + s->size());
        return out;
    }
    std::pair<std::size_t, std::size_t> locate(const std::vector<std::size_t>& offsets,
                                               std::size_t index) const {
        if (index >= offsets.back())
            throw IndexError("index " + std::to_string(index) + " out of range for " +
                             std::to_string(offsets.back()) + " rows in " + location());
        const auto k = static_cast<std::size_t>(std::upper_bound(offsets.begin(), offsets.end(), index) -
                                                offsets.begin()) -
                       1;
        return {k, index - offsets[k]};
    }
    // One read per source holding requested rows, in source order; results back in request order.
    template <class T, class Read> std::vector<T> per_source(const Indices& indices, Read read) {
        const auto offs = offsets();
        std::vector<Indices> local(sources_.size()), position(sources_.size());
        for (std::size_t p = 0; p < indices.size(); ++p) {
            const auto where = locate(offs, indices[p]);
            local[where.first].push_back(where.second);
            position[where.first].push_back(p);
        }
        std::vector<T> out(indices.size());
        for (std::size_t k = 0; k < sources_.size(); ++k) {
            if (local[k].empty()) continue;
            auto part = read(*sources_[k], local[k]);
            for (std::size_t j = 0; j < part.size(); ++j)
                out[position[k][j]] = std::move(part[j]);
        }
        return out;
    }

    std::vector<Source> sources_;
};

namespace detail {
// The tier of what may be concatenated: facades (AtomsIO included) and row views.
template <class Items> Items items_of(const BasicIO<Items>*);
template <class Items> Items items_of(const RowView<Items>*);
template <class T> using items_of_t = decltype(items_of(std::declval<const T*>()));

template <class Items>
std::shared_ptr<ReadBackend<typename Items::V>> concat_source(const BasicIO<Items>& io) {
    return io.backend_ptr();
}
template <class Items>
std::shared_ptr<ReadBackend<typename Items::V>> concat_source(const RowView<Items>& view) {
    return std::make_shared<SelectionBackend<typename Items::V>>(view.backend_ptr(), view.indices());
}
} // namespace detail

/// The facades in `parts` end to end, as one read-only facade of their type:
/// `concat(std::vector<AtomsIO>{train, valid})`. Error when `parts` is empty.
template <class IO> IO concat(const std::vector<IO>& parts) {
    using V = typename IO::V;
    std::vector<std::shared_ptr<ReadBackend<V>>> sources;
    for (const auto& p : parts)
        sources.push_back(detail::concat_source(p));
    return IO(std::make_shared<ConcatBackend<V>>(sources));
}

/// `a + b`: the rows of a then those of b, read-only and lazy. Facades and views of one tier mix
/// (io + io.rows(Slice(0, 10))); tiers do not (a compile error rather than Python's TypeError).
template <class A, class B, class Items = detail::items_of_t<A>,
          class = std::enable_if_t<std::is_same_v<Items, detail::items_of_t<B>>>>
FacadeOf<Items> operator+(const A& a, const B& b) {
    using V = typename Items::V;
    return FacadeOf<Items>(std::make_shared<ConcatBackend<V>>(
        std::vector<std::shared_ptr<ReadBackend<V>>>{detail::concat_source(a), detail::concat_source(b)}));
}

} // namespace asebytes
