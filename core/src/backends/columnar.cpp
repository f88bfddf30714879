#include "asebytes/backends/columnar.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "asebytes/adapters.hpp"
#include "asebytes/backends/h5md.hpp"
#include "columnar_impl.hpp"
#include "columnar_values.hpp"
#include "h5md_store.hpp"
#include "hdf5_options.hpp"
#include "hdf5_store.hpp"
#include "python_json.hpp"
#include "zarr_store.hpp"

namespace asebytes {

using namespace columnar;
using Lock = std::lock_guard<std::recursive_mutex>;

// ---------------------------------------------------------------------------------------------
// Opening: the group's attributes, every column's dataset, the per-frame atom index.

void ColumnarBackend::Impl::load() {
    columns.clear();
    by_name.clear();
    index.clear();
    n = 0;
    const auto frames = store->get_int_attr("n_frames");
    const auto arrays = store->list_arrays();
    if (!frames) {
        if (arrays.empty()) return; // a new group: Python writes the attributes on first extend
        throw CorruptDataError(
            where() + ": not an asebytes columnar group: attribute 'n_frames' is missing (it holds " +
            std::to_string(arrays.size()) + " datasets)");
    }
    if (*frames < 0) throw CorruptDataError(where() + ": attribute 'n_frames' is negative");
    const auto names = store->get_strings_attr("columns");
    if (!names)
        throw CorruptDataError(where() + ": not an asebytes columnar group: attribute 'columns' is missing");
    const auto per_atom = store->get_strings_attr("per_atom_columns").value_or(std::vector<std::string>{});
    const std::set<std::string> present(arrays.begin(), arrays.end()),
        atom_columns(per_atom.begin(), per_atom.end());
    n = *frames;
    for (const auto& name : *names) {
        if (!present.count(name) || by_name.count(name)) continue; // upstream skips listed names without data
        by_name[name] = columns.size();
        columns.push_back(load_column(name, atom_columns.count(name) > 0));
    }
    const bool any_per_atom =
        std::any_of(columns.begin(), columns.end(), [](const Column& c) { return c.per_atom; });
    if (n > 0 && (present.count(index.counts_array()) || any_per_atom))
        index.load([this](const std::string& name) { return read_index(name); });
    else
        index.load_empty(n);
    validate_atoms();
}

Column ColumnarBackend::Impl::load_column(const std::string& name, bool per_atom) {
    const ArrayInfo info = store->info(name);
    Column c;
    c.name = name;
    c.per_atom = per_atom;
    c.dtype = info.dtype;
    c.created = true;
    if (info.shape.empty())
        throw CorruptDataError(where() + ": dataset '" + name + "' is a scalar, not a column");
    c.rows = info.shape[0];
    std::size_t trailing = 1;
    if (per_atom && !index.ragged()) {
        if (info.shape.size() < 2)
            throw CorruptDataError(where() + ": per-atom dataset '" + name +
                                   "' of a padded store needs an atom axis, has shape " +
                                   shape_text(info.shape));
        c.padded_atoms = info.shape[1];
        index.widen_to(c.padded_atoms);
        trailing = 2;
    }
    c.row_shape.assign(info.shape.begin() + static_cast<std::ptrdiff_t>(trailing), info.shape.end());
    if (c.dtype == kString) {
        if (per_atom || !c.row_shape.empty())
            throw CorruptDataError(where() + ": string dataset '" + name + "' must be one value per frame");
        c.kind = CellKind::Json;
    } else {
        const auto kind = store->get_array_attr(name, kKindAttr);
        if (kind == std::string("npscalar"))
            c.kind = CellKind::NpScalar;
        else if (kind == std::string("ndarray") || per_atom || !c.row_shape.empty())
            c.kind = CellKind::Array;
        else
            c.kind = CellKind::Scalar;
    }
    if (store->has_array(kPresentPrefix + name)) c.mask_rows = store->info(kPresentPrefix + name).shape.at(0);
    return c;
}

std::vector<std::int64_t> ColumnarBackend::Impl::read_index(const std::string& name) {
    if (!store->has_array(name))
        throw CorruptDataError(where() + ": dataset '" + name + "' is missing (" + std::to_string(n) +
                               " frames with per-atom columns need it)");
    const ArrayInfo info = store->info(name);
    if (info.shape.size() != 1 || info.shape[0] < n || info.dtype == kString || is_float(info.dtype))
        throw CorruptDataError(where() + ": dataset '" + name + "' has shape " + shape_text(info.shape) +
                               " and dtype " + info.dtype + "; " + std::to_string(n) +
                               " integers expected (attribute n_frames)");
    auto out = store->read_rows(name, 0, n).to_vector<std::int64_t>();
    for (std::size_t i = 0; i < out.size(); ++i)
        if (out[i] < 0)
            throw CorruptDataError(where() + ": dataset '" + name + "' is negative at frame " +
                                   std::to_string(i));
    return out;
}

// A per-atom dataset too short for the index would make reads fail half-way: refuse at open.
void ColumnarBackend::Impl::validate_atoms() {
    const std::int64_t need = index.rows_addressed(), widest = index.widest_frame();
    for (const auto& c : columns) {
        // H5MD: upstream pads every element to every frame, so a shorter one is damage.
        if (settings.layout == ColumnarLayout::H5md && c.rows < n)
            throw CorruptDataError(store->array_location(c.name) + " (key '" + c.name + "') has " +
                                   std::to_string(c.rows) + " frames; the group has " + std::to_string(n));
        if (!c.per_atom) continue;
        if (index.ragged() && c.rows < need)
            throw CorruptDataError(where() + ": dataset '" + c.name + "' has " + std::to_string(c.rows) +
                                   " atom rows but _offsets/_lengths address " + std::to_string(need));
        if (!index.ragged() && c.padded_atoms < widest)
            throw CorruptDataError(store->array_location(c.name) + " (key '" + c.name + "') holds " +
                                   std::to_string(c.padded_atoms) + " atoms per frame but _n_atoms says " +
                                   std::to_string(widest));
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: one hyperslab per dataset and run of nearby frames.

std::optional<Value> ColumnarBackend::Impl::decode(const Column& c, std::int64_t frame,
                                                   const std::uint8_t* cell, std::int64_t natoms,
                                                   std::optional<std::uint8_t> flag,
                                                   const std::string* text) {
    // Our presence flag decides where it exists; elsewhere Python's rules (upstream _postprocess):
    // "" / NaN / all-NaN / no atoms / JSON null mean "missing".
    if (flag && *flag == 0) return std::nullopt;
    const bool python_rules = !flag;
    if (c.kind == CellKind::Json) {
        if (python_rules && text->empty()) return std::nullopt;
        Value v = from_json(*text);
        if (python_rules && v.is_nil()) return std::nullopt;
        return v;
    }
    (void)frame;
    const std::size_t item = itemsize_of(c.dtype);
    if (c.kind == CellKind::Scalar) {
        if (python_rules && all_nan(c.dtype, cell, 1)) return std::nullopt;
        return scalar_value(c.dtype, cell);
    }
    std::vector<std::int64_t> shape = c.row_shape;
    if (c.per_atom) {
        if (python_rules && natoms == 0) return std::nullopt;
        shape.insert(shape.begin(), natoms);
    }
    const std::size_t count = static_cast<std::size_t>(product(shape));
    if (python_rules && all_nan(c.dtype, cell, count)) return std::nullopt;
    std::vector<std::uint8_t> bytes(cell, cell + count * item);
    return Value(NdArray(c.dtype, std::move(shape), std::move(bytes), c.kind == CellKind::NpScalar));
}

void ColumnarBackend::Impl::read_run(const Column& c, const std::vector<std::int64_t>& frames,
                                     std::size_t first, std::size_t last, bool use_mask,
                                     std::vector<std::optional<Value>>& out) {
    const std::int64_t lo = frames[first], hi = frames[last] + 1;
    std::vector<std::uint8_t> flags;
    std::int64_t flag_stop = lo;
    if (use_mask && c.mask_rows > lo) {
        flag_stop = std::min(hi, c.mask_rows);
        const NdArray m = store->read_rows(kPresentPrefix + c.name, lo, flag_stop);
        flags.assign(m.bytes(), m.bytes() + m.nbytes());
    }
    auto flag_of = [&](std::int64_t f) -> std::optional<std::uint8_t> {
        if (f < flag_stop) return flags[static_cast<std::size_t>(f - lo)];
        return std::nullopt;
    };
    if (!c.per_atom || !index.ragged()) {
        const std::int64_t stop = std::min(hi, c.rows);
        if (lo >= stop) return;
        if (c.kind == CellKind::Json) {
            const auto texts = store->read_strings(c.name, lo, stop);
            for (std::size_t j = first; j <= last && frames[j] < stop; ++j)
                out[j] = decode(c, frames[j], nullptr, 0, flag_of(frames[j]),
                                &texts[static_cast<std::size_t>(frames[j] - lo)]);
            return;
        }
        const NdArray block = store->read_rows(c.name, lo, stop);
        const std::int64_t frame_bytes = c.per_atom ? c.padded_atoms * c.cell_bytes() : c.cell_bytes();
        for (std::size_t j = first; j <= last && frames[j] < stop; ++j) {
            const std::int64_t f = frames[j];
            const std::uint8_t* cell = block.bytes() + (f - lo) * frame_bytes;
            out[j] = decode(c, f, cell, c.per_atom ? index.atoms(f) : 0, flag_of(f), nullptr);
        }
        return;
    }
    // Ragged per-atom: the frames' atoms are one contiguous stretch of the flat dataset.
    std::int64_t start = -1, end = -1;
    for (std::size_t j = first; j <= last; ++j) {
        const std::int64_t f = frames[j];
        if (index.atoms(f) == 0) continue;
        start = start < 0 ? index.first_row(f) : std::min(start, index.first_row(f));
        end = std::max(end, index.first_row(f) + index.atoms(f));
    }
    NdArray block;
    if (start >= 0) block = store->read_rows(c.name, start, end);
    for (std::size_t j = first; j <= last; ++j) {
        const std::int64_t f = frames[j], natoms = index.atoms(f);
        const std::uint8_t* cell =
            natoms ? block.bytes() + (index.first_row(f) - start) * c.cell_bytes() : nullptr;
        static const std::uint8_t kNothing = 0;
        out[j] = decode(c, f, cell ? cell : &kNothing, natoms, flag_of(f), nullptr);
    }
}

std::vector<std::optional<Value>>
ColumnarBackend::Impl::read_cells(const Column& c, const std::vector<std::int64_t>& frames, bool use_mask) {
    std::vector<std::optional<Value>> out(frames.size());
    std::size_t first = 0;
    for (std::size_t j = 1; j <= frames.size(); ++j) {
        if (j < frames.size() && frames[j] - frames[j - 1] <= kRunGap) continue;
        if (!frames.empty()) read_run(c, frames, first, j - 1, use_mask, out);
        first = j;
    }
    return out;
}

std::vector<ColumnarBackend::MaybeRow> ColumnarBackend::Impl::get_many(const Indices& indices,
                                                                       const std::optional<Keys>& keys) {
    for (auto i : indices)
        if (static_cast<std::int64_t>(i) >= n)
            throw IndexError("index " + std::to_string(i) + " out of range for " + std::to_string(n) +
                             " rows in " + where());
    std::vector<std::int64_t> frames(indices.begin(), indices.end());
    std::sort(frames.begin(), frames.end());
    frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
    std::vector<Row> rows(frames.size());
    const std::set<std::string> wanted =
        keys ? std::set<std::string>(keys->begin(), keys->end()) : std::set<std::string>{};
    for (const auto& c : columns) {
        if (keys && !wanted.count(c.name)) continue;
        auto cells = read_cells(c, frames, true);
        for (std::size_t j = 0; j < frames.size(); ++j)
            if (cells[j]) rows[j].emplace(c.name, std::move(*cells[j]));
    }
    std::vector<MaybeRow> out;
    out.reserve(indices.size());
    for (auto i : indices) {
        const auto j = static_cast<std::size_t>(
            std::lower_bound(frames.begin(), frames.end(), static_cast<std::int64_t>(i)) - frames.begin());
        if (rows[j].empty())
            out.emplace_back(std::nullopt);
        else
            out.emplace_back(rows[j]);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Writing: extend appends one block per column; everything else rewrites the tail.

void ColumnarBackend::Impl::check_key(const std::string& key) const {
    if (key.empty() || key[0] == '_' || key.find('/') != std::string::npos)
        throw KeyError(
            "key '" + key + "' cannot be a column of " + where() +
            " (columnar stores keep names starting with '_' for themselves, and HDF5 names cannot hold '/')");
}

// Two keys stored in one place (H5MD maps both arrays.forces and calc.forces to
// /particles/<group>/force, as upstream does): refused before anything is written.
void ColumnarBackend::Impl::check_distinct_storage(const std::vector<Column>& added) const {
    std::map<std::string, std::string> stored_as;
    for (const auto& c : columns)
        stored_as.emplace(store->array_location(c.name), c.name);
    for (const auto& c : added) {
        const auto [it, fresh] = stored_as.emplace(store->array_location(c.name), c.name);
        if (!fresh)
            throw KeyError("keys '" + it->second + "' and '" + c.name + "' would both be stored in " +
                           it->first + ": drop one of them before writing");
    }
}

Column ColumnarBackend::Impl::new_column(const std::string& key, const std::vector<MaybeRow>& rows,
                                         const std::vector<std::optional<std::int64_t>>& natoms) const {
    const Value* first = nullptr;
    for (const auto& row : rows) {
        if (!row) continue;
        auto it = row->find(key);
        if (it != row->end() && !it->second.is_nil()) {
            first = &it->second;
            break;
        }
    }
    Column c;
    c.name = key;
    const CellType t =
        first ? cell_type_of(*first, where() + ", key '" + key + "'") : CellType{CellKind::Json, kString, {}};
    c.kind = t.kind;
    c.dtype = t.dtype;
    c.row_shape = t.shape;
    // Per-atom when, in every row that has atoms, its first axis is the atom count (upstream
    // _is_per_atom; cell and pbc never are).
    bool matched = false, mismatched = false;
    if (key != "cell" && key != "pbc" && t.kind == CellKind::Array) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (!rows[i] || !natoms[i]) continue;
            auto it = rows[i]->find(key);
            if (it == rows[i]->end() || !it->second.is_array() || it->second.as_array().is_scalar()) continue;
            const auto& shape = it->second.as_array().shape();
            if (shape.empty()) continue;
            if (shape[0] != *natoms[i])
                mismatched = true;
            else
                matched = true;
        }
    }
    c.per_atom = matched && !mismatched;
    if (c.per_atom) c.row_shape.erase(c.row_shape.begin());
    return c;
}

// A value must match its column's kind, dtype and cell shape (per-atom: the row's atom count
// first): a batch is checked whole before anything is written.
void ColumnarBackend::Impl::check_fits(const Column& c, const std::vector<MaybeRow>& rows,
                                       const std::vector<std::int64_t>& batch_atoms,
                                       std::int64_t first_row) const {
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i]) continue;
        auto it = rows[i]->find(c.name);
        if (it == rows[i]->end()) continue;
        const Value& v = it->second;
        const std::string what = where() + ", key '" + c.name + "', row " +
                                 std::to_string(first_row + static_cast<std::int64_t>(i));
        const CellType t = cell_type_of(v, what);
        if (c.kind == CellKind::Json) {
            if (t.kind != CellKind::Json)
                throw TypeError(what + ": the column holds JSON text (str, list, dict, None); got " +
                                v.type_name());
            python_json::dumps(v, what); // throws for what JSON cannot hold
            continue;
        }
        std::vector<std::int64_t> want = c.row_shape;
        if (c.per_atom) want.insert(want.begin(), batch_atoms[i]);
        if (t.kind != c.kind || t.dtype != c.dtype || t.shape != want)
            throw TypeError(what + ": the column holds " +
                            (c.kind == CellKind::Scalar ? "scalars" : "arrays") + " of dtype " + c.dtype +
                            (c.kind == CellKind::Scalar ? "" : " and shape " + shape_text(want)) + "; got " +
                            v.type_name() +
                            (v.is_array() ? " " + v.as_array().typestr() + " " + shape_text(t.shape) : ""));
    }
}

void ColumnarBackend::Impl::write_column(Column& c, const std::vector<MaybeRow>& rows,
                                         const std::vector<std::int64_t>& batch_atoms) {
    const auto m = static_cast<std::int64_t>(rows.size());
    auto value_at = [&](std::size_t i) -> const Value* {
        if (!rows[i]) return nullptr;
        auto it = rows[i]->find(c.name);
        return it == rows[i]->end() ? nullptr : &it->second;
    };
    auto what = [&](std::size_t i) {
        return where() + ", key '" + c.name + "', row " + std::to_string(n + static_cast<std::int64_t>(i));
    };
    if (c.kind == CellKind::Json) {
        std::vector<std::string> texts(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Value* v = value_at(i);
            if (v) texts[i] = python_json::dumps(*v, what(i));
        }
        if (!c.created) {
            store->create(c.name, kString, {}, {}, n + m);
            c.created = true;
        }
        store->resize(c.name, {n + m});
        store->write_strings(c.name, n, texts);
        c.rows = n + m;
        return;
    }
    // Numeric: one block for the batch, fill values where a row lacks the key.
    std::vector<std::int64_t> block_shape = c.row_shape;
    const std::int64_t start = c.per_atom ? index.rows_before(n) : n;
    const std::vector<std::int64_t> lead =
        c.per_atom ? index.block_axes(batch_atoms) : std::vector<std::int64_t>{m};
    block_shape.insert(block_shape.begin(), lead.begin(), lead.end());
    const std::int64_t block_rows = lead[0];
    NdArray block = filled(c.dtype, block_shape);
    const std::int64_t cell_bytes = c.cell_bytes();
    std::int64_t atom_row = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Value* v = value_at(i);
        const std::int64_t here = atom_row;
        atom_row += batch_atoms[i];
        if (!v) continue;
        std::uint8_t* out = block.bytes();
        out += (c.per_atom ? index.block_cell(i, here) : static_cast<std::int64_t>(i)) * cell_bytes;
        if (c.kind == CellKind::Scalar)
            put_scalar(*v, out);
        else
            put_array(v->as_array(), out);
    }
    std::vector<std::int64_t> extent = block_shape;
    extent[0] = start + block_rows;
    if (!c.created) {
        std::vector<std::int64_t> row_shape(block_shape.begin() + 1, block_shape.end());
        store->create(c.name, c.dtype, row_shape, fill_bytes(c.dtype), extent[0],
                      c.per_atom && index.ragged() ? RowAxis::Atoms : RowAxis::Frames);
        if (c.kind == CellKind::NpScalar) store->set_array_attr(c.name, kKindAttr, "npscalar");
        if (c.kind == CellKind::Array && c.row_shape.empty() && !c.per_atom)
            store->set_array_attr(c.name, kKindAttr, "ndarray");
        c.created = true;
        c.padded_atoms = c.per_atom && !index.ragged() ? index.width() : 0;
    }
    store->resize(c.name, extent);
    store->write_rows(c.name, start, block);
    c.rows = extent[0];
}

void ColumnarBackend::Impl::write_mask(Column& c, const std::vector<MaybeRow>& rows, bool fresh) {
    const std::string name = kPresentPrefix + c.name;
    const auto m = static_cast<std::int64_t>(rows.size());
    if (c.mask_rows < 0) {
        store->create(name, "|u1", {}, {0}, n + m);
        // A new column is absent from every earlier row: the fill value 0 says so.
        c.mask_rows = fresh ? n : 0;
    }
    if (c.mask_rows < n) {
        // Rows written without flags (by Python): they hold what Python's rules say they hold.
        std::vector<std::int64_t> frames;
        for (std::int64_t f = c.mask_rows; f < n; ++f)
            frames.push_back(f);
        const auto cells = read_cells(c, frames, false);
        std::vector<std::uint8_t> flags(cells.size());
        for (std::size_t j = 0; j < cells.size(); ++j)
            flags[j] = cells[j] ? 1 : 0;
        store->resize(name, {n});
        store->write_rows(name, c.mask_rows,
                          NdArray("|u1", {static_cast<std::int64_t>(flags.size())}, flags));
    }
    std::vector<std::uint8_t> flags(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        flags[i] = rows[i] && rows[i]->count(c.name) ? 1 : 0;
    store->resize(name, {n + m});
    store->write_rows(name, n, NdArray("|u1", {m}, flags));
    c.mask_rows = n + m;
}

void ColumnarBackend::Impl::write_frame_index(const std::vector<std::int64_t>& batch_atoms) {
    const auto m = static_cast<std::int64_t>(batch_atoms.size());
    auto append = [&](const std::string& name, const std::string& dtype, const NdArray& values,
                      bool explicit_fill) {
        if (!store->has_array(name))
            store->create(name, dtype, {}, explicit_fill ? fill_bytes(dtype) : std::vector<std::uint8_t>{},
                          n + m);
        store->resize(name, {n + m});
        store->write_rows(name, n, values);
    };
    index.append(batch_atoms, append);
}

// Padded: a frame wider than every earlier one widens the atom axis of every per-atom dataset.
// The new cells lie beyond the old extent, where HDF5 returns the fill value.
void ColumnarBackend::Impl::grow_atom_axis(std::int64_t new_max) {
    for (auto& c : columns) {
        if (!c.per_atom || !c.created || c.padded_atoms >= new_max) continue;
        std::vector<std::int64_t> extent = c.row_shape;
        extent.insert(extent.begin(), {c.rows, new_max});
        store->resize(c.name, extent);
        c.padded_atoms = new_max;
    }
    index.widen_to(new_max);
}

void ColumnarBackend::Impl::write_attrs() {
    std::vector<std::string> names, per_atom;
    for (const auto& c : columns) {
        names.push_back(c.name);
        if (c.per_atom) per_atom.push_back(c.name);
    }
    std::sort(per_atom.begin(), per_atom.end());
    store->set_int_attr("n_frames", n);
    store->set_strings_attr("columns", names);
    store->set_strings_attr("per_atom_columns", per_atom);
    store->set_string_attr("asebytes_version", kFormatVersion);
}

// Everything extend needs to know about a batch, found (and checked) before anything is written,
// so a bad value leaves the store as it was.
ColumnarBackend::Impl::Batch ColumnarBackend::Impl::plan(const std::vector<MaybeRow>& rows,
                                                         std::int64_t first_row) const {
    Batch b;
    b.natoms.resize(rows.size());
    b.atoms.assign(rows.size(), 0);
    std::set<std::string> keys;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i]) continue;
        for (const auto& kv : *rows[i])
            keys.insert(kv.first);
        // Atom count: arrays.positions, else arrays.numbers (upstream extend).
        for (const char* k : {"arrays.positions", "arrays.numbers"}) {
            auto it = rows[i]->find(k);
            if (it == rows[i]->end() || !it->second.is_array() || it->second.as_array().ndim() == 0) continue;
            b.natoms[i] = it->second.as_array().shape()[0];
            b.atoms[i] = *b.natoms[i];
            break;
        }
    }
    for (const auto& k : keys)
        check_key(k);
    for (const auto& k : keys)
        if (!by_name.count(k)) b.added.push_back(new_column(k, rows, b.natoms));
    check_distinct_storage(b.added);
    for (const auto& c : columns)
        check_fits(c, rows, b.atoms, first_row);
    for (const auto& c : b.added)
        check_fits(c, rows, b.atoms, first_row);
    return b;
}

std::size_t ColumnarBackend::Impl::extend(const std::vector<MaybeRow>& rows) {
    if (rows.empty()) return static_cast<std::size_t>(n);
    Batch b = plan(rows, n);
    const std::int64_t widest = *std::max_element(b.atoms.begin(), b.atoms.end());
    if (!index.ragged() && widest > index.width()) grow_atom_axis(widest);
    for (auto& c : b.added) {
        by_name[c.name] = columns.size();
        columns.push_back(std::move(c));
    }
    for (auto& c : columns) {
        const bool fresh = !c.created;
        write_column(c, rows, b.atoms);
        write_mask(c, rows, fresh);
    }
    write_frame_index(b.atoms);
    n += static_cast<std::int64_t>(rows.size());
    write_attrs();
    return static_cast<std::size_t>(n);
}

ColumnarBackend::ColumnarBackend(const std::string& path, const std::string& group, ColumnarSettings settings)
    : impl_(std::make_unique<Impl>()) {
    Lock lock(hdf5::library_mutex());
    impl_->path = path;
    impl_->group = group;
    impl_->settings = settings;
    impl_->index = AtomIndex(settings.layout == ColumnarLayout::Ragged);
    StoreSettings store;
    store.hdf5 = settings.hdf5;
    store.mpi_comm = settings.mpi_comm;
    if (settings.layout == ColumnarLayout::H5md)
        impl_->store = std::make_unique<H5mdStore>(path, group, !settings.readonly, store, settings.author);
    else if (settings.format == ColumnarFormat::Zarr)
        impl_->store = std::make_unique<ZarrStore>(path, group, !settings.readonly, store, settings.zarr);
    else
        impl_->store = std::make_unique<Hdf5Store>(path, group, !settings.readonly, store);
    impl_->load();
    // A Zarr group commits by rewriting its zarr.json after the arrays'; a new one starts out
    // committed with 0 frames, so a writer killed inside its first commit leaves an empty store
    // rather than arrays without the group's attributes (which read as a foreign group).
    if (!settings.readonly && settings.format == ColumnarFormat::Zarr &&
        !impl_->store->get_int_attr("n_frames")) {
        impl_->write_attrs();
        impl_->store->flush();
    }
}

ColumnarBackend::~ColumnarBackend() {
    Lock lock(hdf5::library_mutex());
    impl_.reset();
}

const BackendMetadata& ColumnarBackend::metadata() const {
    return describe(impl_->settings.layout, impl_->settings.format);
}
std::string ColumnarBackend::location() const { return impl_->where(); }

std::size_t ColumnarBackend::size() {
    Lock lock(hdf5::library_mutex()); // a BufferedWriter may be extending on its thread
    return static_cast<std::size_t>(impl_->n);
}

ColumnarBackend::MaybeRow ColumnarBackend::get(std::size_t index, const std::optional<Keys>& keys) {
    Lock lock(hdf5::library_mutex());
    return impl_->get_many({index}, keys).front();
}

std::vector<ColumnarBackend::MaybeRow> ColumnarBackend::get_many(const Indices& indices,
                                                                 const std::optional<Keys>& keys) {
    Lock lock(hdf5::library_mutex());
    return impl_->get_many(indices, keys);
}

Keys ColumnarBackend::keys(std::size_t index) {
    Lock lock(hdf5::library_mutex());
    Keys out;
    if (auto row = impl_->get_many({index}, std::nullopt).front())
        for (const auto& kv : *row)
            out.push_back(kv.first);
    return out;
}

void ColumnarBackend::set(std::size_t index, const MaybeRow& row) {
    Lock lock(hdf5::library_mutex());
    const auto n = static_cast<std::size_t>(impl_->n);
    if (index >= n) {
        std::vector<MaybeRow> rows(index - n);
        rows.push_back(row);
        impl_->extend(rows);
        return;
    }
    impl_->rewrite_from(static_cast<std::int64_t>(index),
                        [&](std::vector<MaybeRow>& tail) { tail.front() = row; });
}

void ColumnarBackend::insert(std::size_t index, const MaybeRow& row) {
    Lock lock(hdf5::library_mutex());
    const auto at = static_cast<std::int64_t>(std::min(index, static_cast<std::size_t>(impl_->n)));
    impl_->rewrite_from(at, [&](std::vector<MaybeRow>& tail) { tail.insert(tail.begin(), row); });
}

std::size_t ColumnarBackend::extend(const std::vector<MaybeRow>& rows) {
    Lock lock(hdf5::library_mutex());
    return impl_->extend(rows);
}

void ColumnarBackend::erase(std::size_t index) {
    Lock lock(hdf5::library_mutex());
    check_index(index);
    impl_->rewrite_from(static_cast<std::int64_t>(index),
                        [](std::vector<MaybeRow>& tail) { tail.erase(tail.begin()); });
}

void ColumnarBackend::erase_range(std::size_t start, std::size_t stop) {
    Lock lock(hdf5::library_mutex());
    if (start >= stop) return;
    check_index(stop - 1);
    impl_->rewrite_from(static_cast<std::int64_t>(start), [&](std::vector<MaybeRow>& tail) {
        tail.erase(tail.begin(), tail.begin() + static_cast<std::ptrdiff_t>(stop - start));
    });
}

void ColumnarBackend::update(std::size_t index, const RowType& fields) {
    Lock lock(hdf5::library_mutex());
    check_index(index);
    update_many(index, {fields});
}

void ColumnarBackend::set_many(std::size_t start, const std::vector<MaybeRow>& rows) {
    Lock lock(hdf5::library_mutex());
    if (rows.empty()) return;
    const auto n = static_cast<std::size_t>(impl_->n);
    if (start >= n) {
        std::vector<MaybeRow> more(start - n);
        more.insert(more.end(), rows.begin(), rows.end());
        impl_->extend(more);
        return;
    }
    impl_->rewrite_from(static_cast<std::int64_t>(start), [&](std::vector<MaybeRow>& tail) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (i < tail.size())
                tail[i] = rows[i];
            else
                tail.push_back(rows[i]);
        }
    });
}

void ColumnarBackend::update_many(std::size_t start, const std::vector<RowType>& rows) {
    Lock lock(hdf5::library_mutex());
    if (rows.empty()) return;
    if (start + rows.size() > static_cast<std::size_t>(impl_->n)) check_index(start + rows.size() - 1);
    if (impl_->update_in_place(static_cast<std::int64_t>(start), rows)) return;
    impl_->rewrite_from(static_cast<std::int64_t>(start), [&](std::vector<MaybeRow>& tail) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].empty()) continue;
            if (!tail[i]) tail[i].emplace();
            for (const auto& [k, v] : rows[i])
                (*tail[i])[k] = v;
        }
    });
}

void ColumnarBackend::set_column(const std::string& key, std::size_t start,
                                 const std::vector<Value>& values) {
    Lock lock(hdf5::library_mutex());
    std::vector<RowType> rows;
    rows.reserve(values.size());
    for (const auto& v : values)
        rows.push_back(RowType{{key, v}});
    update_many(start, rows);
}

void ColumnarBackend::drop_keys(const Keys& keys, const std::optional<Indices>& indices) {
    Lock lock(hdf5::library_mutex());
    auto& im = *impl_;
    im.refuse_when_collective("drop");
    if (indices) {
        if (indices->empty()) return;
        for (auto i : *indices)
            check_index(i);
        const auto first = *std::min_element(indices->begin(), indices->end());
        const std::set<std::size_t> chosen(indices->begin(), indices->end());
        im.rewrite_from(static_cast<std::int64_t>(first), [&](std::vector<MaybeRow>& tail) {
            for (std::size_t j = 0; j < tail.size(); ++j) {
                if (!chosen.count(first + j) || !tail[j]) continue;
                for (const auto& k : keys)
                    tail[j]->erase(k);
            }
        });
        return;
    }
    // Every row: the datasets go (upstream has no drop; this is what a full rewrite would give).
    const std::set<std::string> drop(keys.begin(), keys.end());
    std::vector<Column> kept;
    for (auto& c : im.columns) {
        if (!drop.count(c.name)) {
            kept.push_back(std::move(c));
            continue;
        }
        im.store->remove_array(c.name);
        if (c.mask_rows >= 0) im.store->remove_array(kPresentPrefix + c.name);
    }
    im.columns = std::move(kept);
    im.by_name.clear();
    for (std::size_t i = 0; i < im.columns.size(); ++i)
        im.by_name[im.columns[i].name] = i;
    im.write_attrs();
}

void ColumnarBackend::clear() {
    Lock lock(hdf5::library_mutex());
    impl_->refuse_when_collective("clear");
    impl_->store->clear_group();
    impl_->load();
}

void ColumnarBackend::remove() {
    Lock lock(hdf5::library_mutex());
    impl_->refuse_when_collective("remove");
    impl_->store->remove_group();
    impl_->columns.clear();
    impl_->by_name.clear();
    impl_->index.clear();
    impl_->n = 0;
}

void ColumnarBackend::flush() {
    Lock lock(hdf5::library_mutex());
    impl_->store->flush();
}

void ColumnarBackend::cut_uncommitted() {
    Lock lock(hdf5::library_mutex());
    if (impl_->settings.readonly) throw NotSupportedError(impl_->where() + " is open read-only");
    impl_->trim_uncommitted();
    impl_->store->flush();
}

} // namespace asebytes
