// Edits of stored rows: updates in place where the cells are, truncation, the repair of a killed
// writer's leftovers, and the rewrite of a tail for everything else.
#include <algorithm>
#include <cstring>
#include <functional>

#include "asebytes/adapters.hpp"
#include "asebytes/backends/h5md.hpp"
#include "columnar_impl.hpp"
#include "columnar_values.hpp"
#include "h5md_store.hpp"
#include "hdf5_options.hpp"
#include "hdf5_store.hpp"
#include "python_json.hpp"

namespace asebytes {

using namespace columnar;
using Lock = std::lock_guard<std::recursive_mutex>;

// Updates of stored columns that keep every frame's atom count are written where the cells are:
// one read and one write per touched dataset. Anything else (a new key, a changed atom count,
// rows Python appended without flags) takes the rewrite path.
bool ColumnarBackend::Impl::update_in_place(std::int64_t start, const std::vector<Row>& rows) {
    if (settings.mpi_comm) return false;
    const auto m = static_cast<std::int64_t>(rows.size());
    std::vector<MaybeRow> fields(rows.begin(), rows.end());
    const std::vector<std::int64_t> frame_atoms = index.atoms(start, m);
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> spans; // column -> [first, last] row
    for (std::int64_t i = 0; i < m; ++i) {
        for (const auto& [key, value] : rows[static_cast<std::size_t>(i)]) {
            auto it = by_name.find(key);
            if (it == by_name.end()) return false;
            const Column& c = columns[it->second];
            if (!c.created || c.mask_rows < start + m ||
                c.rows < (c.per_atom && index.ragged() ? 0 : start + m))
                return false;
            if (c.per_atom && (!value.is_array() || value.as_array().ndim() == 0 ||
                               value.as_array().shape()[0] != frame_atoms[static_cast<std::size_t>(i)]))
                return false;
            auto [span, fresh] = spans.emplace(key, std::make_pair(start + i, start + i));
            if (!fresh) span->second.second = start + i;
        }
    }
    for (const auto& kv : spans)
        check_fits(columns[by_name.at(kv.first)], fields, frame_atoms, start);
    for (const auto& [key, span] : spans) {
        const Column& c = columns[by_name.at(key)];
        const auto [lo, last] = span;
        const std::int64_t hi = last + 1;
        const std::string& name = key; // C++17 lambdas cannot capture structured bindings (clang)
        auto value_of = [&](std::int64_t f) -> const Value* {
            const Row& r = rows[static_cast<std::size_t>(f - start)];
            auto it = r.find(name);
            return it == r.end() ? nullptr : &it->second;
        };
        if (c.kind == CellKind::Json) {
            auto texts = store->read_strings(c.name, lo, hi);
            for (std::int64_t f = lo; f < hi; ++f)
                if (const Value* v = value_of(f))
                    texts[static_cast<std::size_t>(f - lo)] = python_json::dumps(*v, where());
            store->write_strings(c.name, lo, texts);
        } else {
            const std::int64_t cell = c.cell_bytes();
            const bool flat = c.per_atom && index.ragged();
            const std::int64_t first = flat ? index.first_row(lo) : lo;
            const std::int64_t stop = flat ? index.first_row(last) + index.atoms(last) : hi;
            NdArray block = store->read_rows(c.name, first, stop);
            for (std::int64_t f = lo; f < hi; ++f) {
                const Value* v = value_of(f);
                if (!v) continue;
                std::uint8_t* out = block.bytes();
                if (flat)
                    out += (index.first_row(f) - first) * cell;
                else
                    out += (f - lo) * (c.per_atom ? c.padded_atoms * cell : cell);
                if (c.kind == CellKind::Scalar)
                    put_scalar(*v, out);
                else
                    put_array(v->as_array(), out);
            }
            store->write_rows(c.name, first, block);
        }
        NdArray flags = store->read_rows(kPresentPrefix + c.name, lo, hi);
        for (std::int64_t f = lo; f < hi; ++f)
            if (value_of(f)) flags.bytes()[f - lo] = 1;
        store->write_rows(kPresentPrefix + c.name, lo, flags);
    }
    return true;
}

void ColumnarBackend::Impl::truncate(std::int64_t k) {
    if (k >= n) return;
    cut_datasets(k);
    index.truncate(k);
    n = k;
    write_attrs();
}

// A writer killed between flushes leaves datasets longer than n_frames (the commit marker) whose
// rows past it may point at chunks never written; see ColumnarBackend::cut_uncommitted. A resumed
// writer does not need this: it overwrites those rows in place.
void ColumnarBackend::Impl::trim_uncommitted() { cut_datasets(n); }

// Cuts datasets to frames [0, k) (per-atom ones to the rows those frames take); shorter ones stay.
void ColumnarBackend::Impl::cut_datasets(std::int64_t k) {
    for (auto& c : columns) {
        const std::int64_t keep = c.per_atom ? index.rows_before(k) : k;
        if (c.rows > keep) {
            std::vector<std::int64_t> extent = c.row_shape;
            if (c.per_atom && !index.ragged()) extent.insert(extent.begin(), c.padded_atoms);
            extent.insert(extent.begin(), keep);
            store->resize(c.name, extent);
            c.rows = keep;
        }
        if (c.mask_rows > k) {
            store->resize(kPresentPrefix + c.name, {k});
            c.mask_rows = k;
        }
    }
    for (const auto& name : AtomIndex::index_arrays())
        if (store->has_array(name) && store->info(name).shape.at(0) > k) store->resize(name, {k});
}

// Rows k.. are read, edited, truncated away and appended again: slow for early k, but the only
// way to keep the contiguous layout (upstream has no insert or delete at all).
void ColumnarBackend::Impl::rewrite_from(std::int64_t k,
                                         const std::function<void(std::vector<MaybeRow>&)>& edit) {
    refuse_when_collective("editing rows in place");
    Indices tail_indices;
    for (std::int64_t i = k; i < n; ++i)
        tail_indices.push_back(static_cast<std::size_t>(i));
    std::vector<MaybeRow> tail = get_many(tail_indices, std::nullopt);
    edit(tail);
    plan(tail, k); // a bad value throws here, before the old rows are cut
    truncate(k);
    extend(tail);
}

} // namespace asebytes
