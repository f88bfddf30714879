// Collective writes of the columnar stores: every MPI rank makes the same calls (HDF5 metadata is
// collective) and writes its own atoms.
#include <algorithm>
#include <cstring>
#include <set>

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

// ---------------------------------------------------------------------------------------------
// Collective writes: every rank the same calls (HDF5 metadata is collective), its own atoms.

void ColumnarBackend::Impl::refuse_when_collective(const char* operation) const {
    if (settings.mpi_comm)
        throw NotSupportedError(std::string(operation) +
                                " is not supported on a store opened collectively (" + where() +
                                "): only extend and extend_collective are");
}

// The rows of a collective batch as the serial code paths take them, checked.
ColumnarBackend::Impl::CollectiveBatch
ColumnarBackend::Impl::check_local_frames(const std::vector<LocalFrame>& frames) const {
    CollectiveBatch b;
    const std::string what = where() + ", extend_collective";
    for (const auto& kv : frames.front().local)
        b.local_keys.insert(kv.first);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const LocalFrame& f = frames[i];
        b.globals.emplace_back(f.global);
        b.presence.emplace_back(f.global);
        b.atoms.push_back(static_cast<std::int64_t>(f.total_atoms));
        std::set<std::string> keys;
        for (const auto& [k, v] : f.local) {
            keys.insert(k);
            (*b.presence.back())[k] = Value();
            if (f.global.count(k)) throw KeyError(what + ": key '" + k + "' is both per-frame and per-atom");
            if (!v.is_array() || v.as_array().ndim() == 0 ||
                v.as_array().shape()[0] != static_cast<std::int64_t>(f.atom_rows.size()))
                throw TypeError(what + ", frame " + std::to_string(i) + ", key '" + k +
                                "': " + std::to_string(f.atom_rows.size()) +
                                " local atoms need an array with that many rows");
        }
        if (keys != b.local_keys) throw KeyError(what + ": every frame needs the same per-atom keys");
        for (auto r : f.atom_rows)
            if (r >= f.total_atoms)
                throw IndexError(what + ": atom row " + std::to_string(r) + " of a frame of " +
                                 std::to_string(f.total_atoms) + " atoms");
    }
    return b;
}

// The per-atom column of local key `key`, as stored or about to be created.
Column ColumnarBackend::Impl::local_column(const std::string& key,
                                           const std::vector<LocalFrame>& frames) const {
    const std::string what = where() + ", extend_collective, key '" + key + "'";
    check_key(key);
    const NdArray& a = frames.front().local.at(key).as_array();
    if (!storable_dtypes().count(a.typestr())) throw TypeError(what + ": dtype " + a.typestr());
    Column c;
    c.name = key;
    c.per_atom = true;
    c.kind = CellKind::Array;
    c.dtype = a.typestr();
    c.row_shape.assign(a.shape().begin() + 1, a.shape().end());
    auto it = by_name.find(key);
    const Column& known = it == by_name.end() ? c : columns[it->second];
    if (!known.per_atom || known.dtype != c.dtype || known.row_shape != c.row_shape)
        throw TypeError(what + ": does not match its stored per-atom column");
    for (const auto& f : frames) {
        const NdArray& b = f.local.at(key).as_array();
        if (b.typestr() != c.dtype ||
            std::vector<std::int64_t>(b.shape().begin() + 1, b.shape().end()) != c.row_shape)
            throw TypeError(what + ": changes dtype or shape between frames");
    }
    return c;
}

// Columns a collective batch creates; every value checked, and no text (parallel HDF5 1.10
// writes no variable-length data), before any collective call.
std::vector<Column> ColumnarBackend::Impl::collective_columns(const std::vector<LocalFrame>& frames,
                                                              const CollectiveBatch& b) const {
    const std::string what = where() + ", extend_collective";
    std::vector<Column> added;
    std::set<std::string> global_keys;
    for (const auto& f : frames)
        for (const auto& kv : f.global)
            global_keys.insert(kv.first);
    const std::vector<std::optional<std::int64_t>> no_atoms(frames.size());
    for (const auto& k : global_keys) {
        check_key(k);
        if (!by_name.count(k)) added.push_back(new_column(k, b.globals, no_atoms));
    }
    for (const auto& k : b.local_keys) {
        Column c = local_column(k, frames);
        if (!by_name.count(k)) added.push_back(std::move(c));
    }
    for (const std::vector<Column>* set : {&columns, static_cast<const std::vector<Column>*>(&added)})
        for (const auto& c : *set) {
            if (c.per_atom && !b.local_keys.count(c.name))
                throw KeyError(what + ": per-atom column '" + c.name + "' is missing from the frames");
            if (!c.per_atom && c.kind == CellKind::Json)
                throw NotSupportedError(what + ": key '" + c.name +
                                        "' holds text, which parallel HDF5 cannot write");
            if (!c.per_atom) check_fits(c, b.globals, b.atoms, n);
        }
    return added;
}

std::size_t ColumnarBackend::Impl::extend_collective(const std::vector<LocalFrame>& frames) {
    if (!settings.mpi_comm)
        throw NotSupportedError(where() +
                                ": extend_collective needs a store opened with an MPI communicator");
    if (frames.empty()) return static_cast<std::size_t>(n);
    const CollectiveBatch b = check_local_frames(frames);
    std::vector<Column> added = collective_columns(frames, b);
    const std::int64_t widest = *std::max_element(b.atoms.begin(), b.atoms.end());
    if (!index.ragged() && widest > index.width()) grow_atom_axis(widest);
    for (auto& c : added) {
        by_name[c.name] = columns.size();
        columns.push_back(std::move(c));
    }
    for (auto& c : columns) {
        const bool fresh = !c.created;
        if (c.per_atom)
            write_local_column(c, frames);
        else
            write_column(c, b.globals, b.atoms);
        write_mask(c, b.presence, fresh);
    }
    write_frame_index(b.atoms);
    n += static_cast<std::int64_t>(frames.size());
    write_attrs();
    return static_cast<std::size_t>(n);
}

// Each rank's atoms go to their rows: ragged (offset of the frame + row), padded (frame, row).
void ColumnarBackend::Impl::write_local_column(Column& c, const std::vector<LocalFrame>& frames) {
    std::vector<std::vector<std::int64_t>> leading;
    std::size_t local_rows = 0;
    for (const auto& f : frames)
        local_rows += f.atom_rows.size();
    std::vector<std::int64_t> block_shape = c.row_shape;
    block_shape.insert(block_shape.begin(), static_cast<std::int64_t>(local_rows));
    NdArray block = filled(c.dtype, block_shape);
    std::int64_t frame_start = index.rows_before(n), copied = 0, batch_total = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const LocalFrame& f = frames[i];
        for (auto r : f.atom_rows) {
            if (index.ragged())
                leading.push_back({frame_start + static_cast<std::int64_t>(r)});
            else
                leading.push_back({n + static_cast<std::int64_t>(i), static_cast<std::int64_t>(r)});
        }
        const NdArray& a = f.local.at(c.name).as_array();
        put_array(a, block.bytes() + copied);
        copied += static_cast<std::int64_t>(a.nbytes());
        frame_start += static_cast<std::int64_t>(f.total_atoms);
        batch_total += static_cast<std::int64_t>(f.total_atoms);
    }
    std::vector<std::int64_t> extent = c.row_shape;
    if (index.ragged()) {
        extent.insert(extent.begin(), index.rows_before(n) + batch_total);
    } else {
        extent.insert(extent.begin(), index.width());
        extent.insert(extent.begin(), n + static_cast<std::int64_t>(frames.size()));
    }
    if (!c.created) {
        std::vector<std::int64_t> row_shape(extent.begin() + 1, extent.end());
        store->create(c.name, c.dtype, row_shape, fill_bytes(c.dtype), extent[0],
                      index.ragged() ? RowAxis::Atoms : RowAxis::Frames);
        c.created = true;
        c.padded_atoms = index.ragged() ? 0 : index.width();
    }
    store->resize(c.name, extent);
    store->write_scattered(c.name, leading, block);
    c.rows = extent[0];
}

std::size_t ColumnarBackend::extend_collective(const std::vector<LocalFrame>& frames) {
    Lock lock(hdf5::library_mutex());
    if (impl_->settings.layout != ColumnarLayout::H5md) return impl_->extend_collective(frames);
    // H5MD stores species as float64 (znh5md's convention, upstream H5MDBackend.extend), whoever
    // writes them; H5mdBackend reads them back as integers.
    std::vector<LocalFrame> copy = frames;
    for (auto& f : copy) {
        auto it = f.local.find("arrays.numbers");
        if (it == f.local.end() || !it->second.is_array() || it->second.as_array().dtype() == DType::Float64)
            continue;
        const NdArray& a = it->second.as_array();
        it->second = Value(NdArray::from<double>(a.shape(), a.to_vector<double>()));
    }
    return impl_->extend_collective(copy);
}

} // namespace asebytes
