#include "h5md_store.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

namespace asebytes::columnar {

namespace fs = std::filesystem;
using namespace asebytes::hdf5;

namespace {

// /h5md/creator: this library and its version (CMake defines it; upstream writes "asebytes" and
// its own version, which readers do not check).
#ifndef ASEBYTES_VERSION
#define ASEBYTES_VERSION "unknown"
#endif
constexpr const char* kCreatorVersion = ASEBYTES_VERSION;
constexpr const char* kOriginAttr = "ASE_ENTRY_ORIGIN"; // znh5md's marker, upstream _mapping.py

// Upstream _mapping.py: ASE property name <-> H5MD element name (znh5md's conventions).
const std::map<std::string, std::string>& ase_to_h5md() {
    static const std::map<std::string, std::string> m = {{"positions", "position"},
                                                         {"forces", "force"},
                                                         {"masses", "mass"},
                                                         {"charges", "charge"},
                                                         {"energy", "potential_energy"},
                                                         {"numbers", "species"},
                                                         {"velocities", "velocity"}};
    return m;
}
const std::map<std::string, std::string>& h5md_to_ase() {
    static const std::map<std::string, std::string> m = [] {
        std::map<std::string, std::string> r;
        for (const auto& [ase, h5md] : ase_to_h5md())
            r[h5md] = ase;
        return r;
    }();
    return m;
}
const std::set<std::string>& particle_elements() {
    static const std::set<std::string> s = {"position", "velocity", "force", "mass",
                                            "species",  "id",       "charge"};
    return s;
}
// The `unit` attribute of value datasets, in ASE units: upstream _store.py _ASE_UNITS (positions,
// forces, stress, velocities, cell, energy), and the other quantities ASE gives a unit (upstream
// writes none for them).
const std::map<std::string, std::string>& units() {
    static const std::map<std::string, std::string> m = {{"charges", "e"},
                                                         {"initial_charges", "e"},
                                                         {"free_energy", "eV"},
                                                         {"energies", "eV"},
                                                         {"masses", "amu"},
                                                         {"dipole", "e*Angstrom"},
                                                         {"positions", "Angstrom"},
                                                         {"forces", "eV/Angstrom"},
                                                         {"stress", "eV/Angstrom^3"},
                                                         {"velocities", "Angstrom/fs"},
                                                         {"cell", "Angstrom"},
                                                         {"energy", "eV"}};
    return m;
}

std::string mapped(const std::map<std::string, std::string>& m, const std::string& name) {
    auto it = m.find(name);
    return it == m.end() ? name : it->second;
}

// The property name of a flat key (upstream _ase_name_for_key).
std::string ase_name(const std::string& key) {
    for (const char* prefix : {"arrays.", "calc.", "info."}) {
        const std::string p = prefix;
        if (key.compare(0, p.size(), p) == 0) return key.substr(p.size());
    }
    return key;
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::pair<std::string, H5O_type_t>> links_of(hid_t file, const std::string& path,
                                                         const std::string& where) {
    Group g(H5Gopen2(file, path.c_str(), H5P_DEFAULT), where, "H5Gopen2 " + path);
    return hdf5::links_of(g.get(), where);
}

void write_string_attr(hid_t object, const std::string& name, const std::string& value,
                       const std::string& where) {
    if (check(H5Aexists(object, name.c_str()), where, "H5Aexists") > 0)
        check(H5Adelete(object, name.c_str()), where, "H5Adelete " + name);
    Dataspace scalar(H5Screate(H5S_SCALAR), where, "H5Screate");
    Datatype t = utf8_string_type(where);
    Attribute a(H5Acreate2(object, name.c_str(), t.get(), scalar.get(), H5P_DEFAULT, H5P_DEFAULT), where,
                "H5Acreate2 " + name);
    const char* raw = value.c_str();
    check(H5Awrite(a.get(), t.get(), &raw), where, "H5Awrite " + name);
}

// A scalar string attribute, or "" when the object has none (or it is not a string).
std::string read_string_attr(hid_t file, const std::string& path, const std::string& name,
                             const std::string& where) {
    if (H5Aexists_by_name(file, path.c_str(), name.c_str(), H5P_DEFAULT) <= 0) {
        take_error_stack();
        return "";
    }
    Attribute a(H5Aopen_by_name(file, path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), where,
                "H5Aopen " + name);
    Datatype stored(H5Aget_type(a.get()), where, "H5Aget_type");
    if (H5Tget_class(stored.get()) != H5T_STRING) return "";
    Dataspace space(H5Aget_space(a.get()), where, "H5Aget_space");
    if (H5Sget_simple_extent_npoints(space.get()) != 1) return "";
    if (H5Tis_variable_str(stored.get()) > 0) {
        Datatype memory = utf8_string_type(where);
        char* raw = nullptr;
        check(H5Aread(a.get(), memory.get(), &raw), where, "H5Aread " + name);
        std::string out = raw ? raw : "";
        H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, &raw);
        return out;
    }
    std::string raw(H5Tget_size(stored.get()), '\0');
    check(H5Aread(a.get(), stored.get(), raw.data()), where, "H5Aread " + name);
    return raw.substr(0, raw.find('\0'));
}

template <class T>
void write_scalar_dataset(hid_t parent, const char* name, hid_t type, T value, const std::string& where) {
    Dataspace scalar(H5Screate(H5S_SCALAR), where, "H5Screate");
    Dataset d(H5Dcreate2(parent, name, type, scalar.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), where,
              std::string("H5Dcreate2 ") + name);
    check(H5Dwrite(d.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value), where,
          std::string("H5Dwrite ") + name);
}

Group create_groups(hid_t file, const std::string& path, const std::string& where) {
    PropertyList lcpl(H5Pcreate(H5P_LINK_CREATE), where, "H5Pcreate");
    check(H5Pset_create_intermediate_group(lcpl.get(), 1), where, "H5Pset_create_intermediate_group");
    return Group(H5Gcreate2(file, path.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), where,
                 "H5Gcreate2 " + path);
}

// The per-frame dataset of an element that an info column drives (H5MD's explicit step / time).
std::string clock_of(const std::string& column) { return column == "info.step" ? "step" : "time"; }
bool is_clock_column(const std::string& column) { return column == "info.step" || column == "info.time"; }

StoreSettings without_string_fill(StoreSettings s) {
    s.empty_string_fill = false;
    return s;
}

} // namespace

H5mdStore::H5mdStore(const std::string& path, const std::string& group, bool writable, StoreSettings settings,
                     const std::string& author)
    : Hdf5Store(path, group, "asebytes/" + group, writable, without_string_fill(settings), Unchecked{}) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const bool empty = links_of(file_id(), "/", location()).empty();
    if (!empty || !writable) check_h5md(writable); // an empty file is H5MD only once we write it
    if (!writable) return;
    if (empty) write_skeleton(author);
    if (!foreign_) create_group_paths();
}

// The particle group exists from the start (empty until per-atom data comes), so that
// list_groups, ours and Python's, lists a group that holds only per-frame values.
void H5mdStore::create_group_paths() {
    for (const auto& p : {"particles/" + group(), root()})
        if (!path_exists(p)) create_groups(file_id(), p, location());
}

H5mdStore::H5mdStore(const std::string& path, Probe)
    : Hdf5Store(path, "atoms", "asebytes/atoms", false, {}, Unchecked{}) {}

// An H5MD file has /h5md; asebytes reads a particle group through /asebytes/<group>.
void H5mdStore::check_h5md(bool writable) {
    if (!path_exists("h5md"))
        throw CorruptDataError(path() +
                               " is not an H5MD file: it has no /h5md group (an HDF5 file of another kind)");
    if (path_exists(root())) return;
    if (path_exists("particles/" + group())) {
        foreign_ = true; // written by znh5md or another H5MD writer
        return;
    }
    if (!writable) {
        std::string known;
        for (const auto& g : list_groups(path()))
            known += (known.empty() ? "" : ", ") + g;
        throw Error(location() + ": no such particle group in the file (groups: " +
                    (known.empty() ? "none" : known) + ")");
    }
}

// The H5MD 1.1 skeleton as upstream _init_h5md writes it.
void H5mdStore::write_skeleton(const std::string& author) {
    const std::string w = path() + ", /h5md";
    Group h5md = create_groups(file_id(), "h5md", w);
    const std::int64_t version[2] = {1, 1};
    const hsize_t two = 2;
    Dataspace space(H5Screate_simple(1, &two, nullptr), w, "H5Screate_simple");
    Attribute a(H5Acreate2(h5md.get(), "version", H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), w,
                "H5Acreate2 version");
    check(H5Awrite(a.get(), H5T_NATIVE_INT64, version), w, "H5Awrite version");
    Group who = create_groups(file_id(), "h5md/author", w);
    if (!author.empty()) write_string_attr(who.get(), "name", author, w);
    Group creator = create_groups(file_id(), "h5md/creator", w);
    write_string_attr(creator.get(), "name", "asebytes-cpp", w);
    write_string_attr(creator.get(), "version", kCreatorVersion, w);
    create_groups(file_id(), "particles", w);
}

std::vector<std::string> H5mdStore::list_groups(const std::string& path) {
    silence_errors();
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    if (!file_exists(path)) return {};
    H5mdStore store(path, Probe{});
    if (!store.path_exists("particles")) return {};
    std::vector<std::string> out;
    for (const auto& [name, type] : links_of(store.file_id(), "particles", path))
        if (type == H5O_TYPE_GROUP) out.push_back(name);
    return out;
}

std::optional<H5mdStore::Element> H5mdStore::element_of(const std::string& key) const {
    const std::string particles = "particles/" + group() + "/", observables = "observables/" + group() + "/";
    if (key == "cell") return Element{particles + "box/edges", "atoms"};
    if (key == "pbc") return Element{particles + "box/pbc", "atoms"};
    const std::string name = ase_name(key);
    if (starts_with(key, "arrays."))
        return Element{particles + mapped(ase_to_h5md(), name),
                       name == "positions" || name == "numbers" ? "atoms" : "arrays"};
    if (starts_with(key, "calc.")) {
        const std::string h5 = mapped(ase_to_h5md(), name);
        return Element{(particle_elements().count(h5) ? particles : observables) + h5, "calc"};
    }
    if (starts_with(key, "info.")) return Element{observables + name, "info"};
    return std::nullopt;
}

std::string H5mdStore::dataset_path(const std::string& name) const {
    if (auto e = element_of(name)) return e->path + "/value";
    return Hdf5Store::dataset_path(name);
}

std::optional<std::string> H5mdStore::column_of(const std::string& path) const {
    const std::string particles = "particles/" + group() + "/", observables = "observables/" + group() + "/";
    if (path == particles + "box/edges") return std::string("cell");
    if (path == particles + "box/pbc") return std::string("pbc");
    const bool in_particles = starts_with(path, particles), in_observables = starts_with(path, observables);
    if (!in_particles && !in_observables) return std::nullopt;
    const std::string rest = path.substr((in_particles ? particles : observables).size());
    if (rest.find('/') != std::string::npos) return std::nullopt;
    const std::string name = mapped(h5md_to_ase(), rest);
    const std::string origin = read_string_attr(file_id(), path, kOriginAttr, location());
    if (in_particles) return (origin == "calc" ? "calc." : "arrays.") + name;
    return (origin == "info" ? "info." : "calc.") + name;
}

void H5mdStore::walk_elements(const std::string& path, std::vector<std::string>& out) const {
    for (const auto& [name, type] : links_of(file_id(), path, location())) {
        if (type != H5O_TYPE_GROUP) continue;
        const std::string child = path + "/" + name;
        if (path_exists(child + "/value")) {
            if (auto col = column_of(child)) out.push_back(*col);
            continue;
        }
        // A group holding datasets (step, time) but no `value` is a broken element, not a
        // container of elements (as box is).
        for (const auto& [inner, kind] : links_of(file_id(), child, location()))
            if (kind == H5O_TYPE_DATASET)
                throw CorruptDataError(Hdf5Store::path() + ": H5MD element '/" + child +
                                       "' has no 'value' dataset (it holds '" + inner + "')");
        walk_elements(child, out);
    }
}

std::vector<std::string> H5mdStore::list_arrays() {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    std::vector<std::string> out;
    if (foreign_) out.push_back("_n_atoms");
    if (path_exists(root()))
        for (const auto& [name, type] : links_of(file_id(), root(), location()))
            if (type == H5O_TYPE_DATASET) out.push_back(name);
    for (const char* top : {"particles/", "observables/"})
        if (path_exists(top + group())) walk_elements(top + group(), out);
    return out;
}

void H5mdStore::create(const std::string& name, const std::string& dtype,
                       const std::vector<std::int64_t>& row_shape, const std::vector<std::uint8_t>& fill,
                       std::int64_t expected_rows, RowAxis axis) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    refuse_foreign("writing");
    const auto element = element_of(name);
    if (!element) {
        Hdf5Store::create(name, dtype, row_shape, fill, expected_rows, axis);
        return;
    }
    const std::string w = path() + ", element '/" + element->path + "'";
    Group g = path_exists(element->path)
                  ? Group(H5Gopen2(file_id(), element->path.c_str(), H5P_DEFAULT), w, "H5Gopen2")
                  : create_groups(file_id(), element->path, w);
    write_string_attr(g.get(), kOriginAttr, element->origin, w);
    Hdf5Store::create(name, dtype, row_shape, fill, expected_rows, axis);
    auto unit = units().find(ase_name(name));
    if (unit != units().end()) set_array_attr(name, "unit", unit->second);
    // A fixed interval, as upstream writes it: step 1, time 1.0 (real steps and times are the
    // info.step / info.time observables).
    if (!path_exists(element->path + "/step"))
        write_scalar_dataset(g.get(), "step", H5T_STD_I32LE, std::int32_t{1}, w);
    if (!path_exists(element->path + "/time")) write_scalar_dataset(g.get(), "time", H5T_IEEE_F64LE, 1.0, w);
    if (name == "cell") write_box_attributes();
    for (const char* column : {"info.step", "info.time"})
        if (drives_clock(column)) rewrite_clock(element->path, column);
}

bool H5mdStore::drives_clock(const std::string& column) {
    if (!is_clock_column(column) || !has_array(column)) return false;
    const ArrayInfo a = info(column);
    if (a.shape.size() != 1 || a.dtype == kString || a.dtype == "|b1") return false;
    return column == "info.time" || a.dtype[1] == 'i' || a.dtype[1] == 'u';
}

// Replaces the element's clock dataset by a per-frame one holding the whole column.
void H5mdStore::rewrite_clock(const std::string& element, const std::string& column) {
    const std::string clock = element + "/" + clock_of(column), w = path() + ", dataset '/" + clock + "'";
    if (path_exists(clock)) unlink(clock, w);
    const bool step = column == "info.step";
    hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = settings().hdf5.chunk_frames;
    Dataspace space(H5Screate_simple(1, &zero, &unlimited), w, "H5Screate_simple");
    PropertyList dcpl(H5Pcreate(H5P_DATASET_CREATE), w, "H5Pcreate");
    check(H5Pset_chunk(dcpl.get(), 1, &chunk), w, "H5Pset_chunk");
    Dataset d(H5Dcreate2(file_id(), clock.c_str(), step ? H5T_STD_I64LE : H5T_IEEE_F64LE, space.get(),
                         H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
              w, "H5Dcreate2");
    // fix asebytes writes info.time in ps (ASE's time unit is not one H5MD readers know).
    if (!step) write_string_attr(d.get(), "unit", "ps", w);
    d.reset();
    const std::int64_t rows = info(column).shape[0];
    if (rows > 0) write_clock(element, column, 0, read_rows(column, 0, rows));
}

// Writes `rows` of the column at `start` of the element's per-frame clock (grown as needed).
void H5mdStore::write_clock(const std::string& element, const std::string& column, std::int64_t start,
                            const NdArray& rows) {
    const std::string clock = element + "/" + clock_of(column), w = path() + ", dataset '/" + clock + "'";
    Dataset d(H5Dopen2(file_id(), clock.c_str(), H5P_DEFAULT), w, "H5Dopen2");
    Dataspace file(H5Dget_space(d.get()), w, "H5Dget_space");
    if (H5Sget_simple_extent_ndims(file.get()) != 1) return rewrite_clock(element, column);
    hsize_t extent = 0;
    H5Sget_simple_extent_dims(file.get(), &extent, nullptr);
    const auto count = static_cast<hsize_t>(rows.ndim() ? rows.shape()[0] : 1);
    const hsize_t need = static_cast<hsize_t>(start) + count;
    if (need > extent) {
        check(H5Dset_extent(d.get(), &need), w, "H5Dset_extent");
        file = Dataspace(H5Dget_space(d.get()), w, "H5Dget_space");
    }
    if (count == 0) return;
    const hsize_t offset = static_cast<hsize_t>(start);
    check(H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, &offset, nullptr, &count, nullptr), w,
          "H5Sselect_hyperslab");
    Dataspace memory(H5Screate_simple(1, &count, nullptr), w, "H5Screate_simple");
    if (!writes_rows()) { // under MPI rank 0 writes, the others take part in the collective call
        H5Sselect_none(file.get());
        H5Sselect_none(memory.get());
    }
    if (column == "info.step") {
        const auto values = rows.to_vector<std::int64_t>();
        check(H5Dwrite(d.get(), H5T_NATIVE_INT64, memory.get(), file.get(), write_plist(), values.data()), w,
              "H5Dwrite");
    } else {
        const auto values = rows.to_vector<double>();
        check(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, memory.get(), file.get(), write_plist(), values.data()), w,
              "H5Dwrite");
    }
}

std::vector<std::string> H5mdStore::element_paths() const {
    std::vector<std::string> out;
    std::vector<std::string> pending;
    for (const char* top : {"particles/", "observables/"})
        if (path_exists(top + group())) pending.push_back(top + group());
    while (!pending.empty()) {
        const std::string p = pending.back();
        pending.pop_back();
        for (const auto& [name, type] : links_of(file_id(), p, location())) {
            if (type != H5O_TYPE_GROUP) continue;
            const std::string child = p + "/" + name;
            (path_exists(child + "/value") ? out : pending).push_back(child);
        }
    }
    return out;
}

void H5mdStore::resize(const std::string& name, const std::vector<std::int64_t>& shape) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    refuse_foreign("writing");
    Hdf5Store::resize(name, shape);
    if (!drives_clock(name)) return;
    for (const auto& e : element_paths()) {
        const std::string clock = e + "/" + clock_of(name), w = path() + ", dataset '/" + clock + "'";
        Dataset d(H5Dopen2(file_id(), clock.c_str(), H5P_DEFAULT), w, "H5Dopen2");
        Dataspace file(H5Dget_space(d.get()), w, "H5Dget_space");
        if (H5Sget_simple_extent_ndims(file.get()) != 1) continue; // still scalar: write_rows converts it
        const auto rows = static_cast<hsize_t>(shape.at(0));
        check(H5Dset_extent(d.get(), &rows), w, "H5Dset_extent");
    }
}

void H5mdStore::write_rows(const std::string& name, std::int64_t start, const NdArray& rows) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    refuse_foreign("writing");
    Hdf5Store::write_rows(name, start, rows);
    if (!drives_clock(name)) return;
    for (const auto& e : element_paths())
        write_clock(e, name, start, rows);
}

// Upstream _ensure_box_attrs: the standard's box description (always periodic upstream; the
// per-frame truth is box/pbc).
void H5mdStore::write_box_attributes() {
    const std::string box = "particles/" + group() + "/box", w = path() + ", /" + box;
    Group g(H5Gopen2(file_id(), box.c_str(), H5P_DEFAULT), w, "H5Gopen2");
    if (H5Aexists(g.get(), "dimension") <= 0) {
        const std::int64_t three = 3;
        Dataspace scalar(H5Screate(H5S_SCALAR), w, "H5Screate");
        Attribute a(H5Acreate2(g.get(), "dimension", H5T_STD_I64LE, scalar.get(), H5P_DEFAULT, H5P_DEFAULT),
                    w, "H5Acreate2 dimension");
        check(H5Awrite(a.get(), H5T_NATIVE_INT64, &three), w, "H5Awrite dimension");
    }
    if (H5Aexists(g.get(), "boundary") <= 0) {
        const hsize_t n = 3;
        Dataspace space(H5Screate_simple(1, &n, nullptr), w, "H5Screate_simple");
        Datatype t = utf8_string_type(w);
        const char* periodic[3] = {"periodic", "periodic", "periodic"};
        Attribute a(H5Acreate2(g.get(), "boundary", t.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), w,
                    "H5Acreate2 boundary");
        check(H5Awrite(a.get(), t.get(), periodic), w, "H5Awrite boundary");
    }
    take_error_stack();
}

void H5mdStore::remove_array(const std::string& name) {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    refuse_foreign("removing a key");
    const auto element = element_of(name);
    if (!element) {
        Hdf5Store::remove_array(name);
        return;
    }
    unlink(element->path, path() + ", /" + element->path);
}

std::vector<std::string> H5mdStore::group_paths() const {
    return {"particles/" + group(), "observables/" + group(), "connectivity/" + group(), root()};
}

void H5mdStore::clear_group() {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    refuse_foreign("clear");
    remove_group();
    create_group_paths();
}

void H5mdStore::remove_group() {
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    refuse_foreign("remove");
    for (const auto& p : group_paths())
        if (path_exists(p)) unlink(p, path() + ", /" + p);
}

// ---------------------------------------------------------------------------------------------
// Files of other H5MD writers (upstream H5MDBackend._discover fallback and _strip_nan_rows).

void H5mdStore::refuse_foreign(const char* operation) const {
    if (foreign_)
        throw NotSupportedError(std::string(operation) + " is not supported on " + location() +
                                ": an H5MD file without asebytes metadata (/" + root() +
                                "; written by znh5md or another H5MD writer) is read-only here");
}

std::string H5mdStore::frames_element() const {
    for (const char* e : {"species", "position"}) {
        const std::string p = "particles/" + group() + "/" + e + "/value";
        if (path_exists(p)) return p;
    }
    throw CorruptDataError(location() + ": an H5MD particle group without species or position values");
}

bool H5mdStore::has_array(const std::string& name) {
    if (foreign_ && name == "_n_atoms") return true;
    return Hdf5Store::has_array(name);
}

ArrayInfo H5mdStore::info(const std::string& name) {
    if (!foreign_ || name != "_n_atoms") return Hdf5Store::info(name);
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    return ArrayInfo{"<i8", {*get_int_attr("n_frames")}};
}

// Atoms of each frame: up to the last atom row that is not all NaN (the padding).
std::vector<std::int64_t> H5mdStore::foreign_atom_counts(std::int64_t start, std::int64_t stop) {
    const bool species = frames_element().find("/species/") != std::string::npos;
    const NdArray block = Hdf5Store::read_rows(species ? "arrays.numbers" : "arrays.positions", start, stop);
    std::vector<std::int64_t> out;
    if (block.ndim() < 2 || block.shape()[1] == 0) {
        out.assign(static_cast<std::size_t>(stop - start), 0);
        return out;
    }
    const auto values = block.to_vector<double>();
    const std::int64_t atoms = block.shape()[1];
    const std::size_t per_atom = values.size() / static_cast<std::size_t>((stop - start) * atoms);
    for (std::int64_t f = 0; f < stop - start; ++f) {
        std::int64_t n = 0;
        for (std::int64_t a = 0; a < atoms; ++a) {
            const std::size_t at = static_cast<std::size_t>(f * atoms + a) * per_atom;
            for (std::size_t k = 0; k < per_atom; ++k)
                if (!std::isnan(values[at + k])) n = a + 1;
        }
        out.push_back(n);
    }
    return out;
}

NdArray H5mdStore::read_rows(const std::string& name, std::int64_t start, std::int64_t stop) {
    if (!foreign_ || name != "_n_atoms") return Hdf5Store::read_rows(name, start, stop);
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    return NdArray::from<std::int64_t>(foreign_atom_counts(start, stop));
}

std::optional<std::int64_t> H5mdStore::get_int_attr(const std::string& name) {
    if (!foreign_) return Hdf5Store::get_int_attr(name);
    if (name != "n_frames") return std::nullopt;
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    const std::string p = frames_element(), w = path() + ", dataset '/" + p + "'";
    Dataset d(H5Dopen2(file_id(), p.c_str(), H5P_DEFAULT), w, "H5Dopen2");
    Dataspace space(H5Dget_space(d.get()), w, "H5Dget_space");
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), w, "H5Sget_simple_extent_ndims");
    if (rank < 1) throw CorruptDataError(w + ": a scalar where frames were expected");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return static_cast<std::int64_t>(dims[0]);
}

std::optional<std::vector<std::string>> H5mdStore::get_strings_attr(const std::string& name) {
    if (!foreign_) return Hdf5Store::get_strings_attr(name);
    std::lock_guard<std::recursive_mutex> lock(library_mutex());
    std::vector<std::string> columns, per_atom;
    for (const auto& c : list_arrays()) {
        if (c.empty() || c[0] == '_') continue;
        columns.push_back(c);
        if (c == "cell" || c == "pbc" || !starts_with(dataset_path(c), "particles/")) continue;
        if (Hdf5Store::info(c).shape.size() >= 2) per_atom.push_back(c);
    }
    std::sort(columns.begin(), columns.end());
    if (name == "columns") return columns;
    if (name == "per_atom_columns") return per_atom;
    return std::nullopt;
}

} // namespace asebytes::columnar
