#pragma once
// The columnar backend's inside (asebytes/backends/columnar.hpp is its outside): the cell types
// of values, one stored column, and the state the implementation files share. Opening, reading
// and appending are in columnar.cpp; collective writes in columnar_collective.cpp; in-place
// updates, truncation and repair in columnar_edits.cpp; cell typing in columnar_cells.cpp; the
// registry entries in columnar_entry.cpp.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "asebytes/backends/columnar.hpp"
#include "columnar_layout.hpp"
#include "columnar_store.hpp"

namespace asebytes {
namespace columnar {

// The Python asebytes version whose layout we write; readers do not check it, but Python's own
// files carry it, so ours look the same (docs/formats/columnar.md, "Groups and their attributes").
inline constexpr const char* kFormatVersion = "0.3.1";
// Our presence flags live in this subgroup; Python lists only the group's own datasets.
inline const std::string kPresentPrefix = "_present/";
// Array attribute telling a numpy scalar or 0-d array column apart from Python scalars.
inline constexpr const char* kKindAttr = "asebytes_cpp_kind";
// Rows closer than this are read in one hyperslab (a few wasted rows beat another read).
inline constexpr std::int64_t kRunGap = 32;

enum class CellKind { Scalar, NpScalar, Array, Json };

// What a value needs from its column: kind, dtype and the value's shape.
struct CellType {
    CellKind kind;
    std::string dtype;
    std::vector<std::int64_t> shape;
};

/// The dtypes the HDF5 store maps (type_of in hdf5_store.cpp); others are refused before
/// anything is written.
const std::set<std::string>& storable_dtypes();
/// The column a value needs; TypeError naming `what` for what no column holds.
CellType cell_type_of(const Value& v, const std::string& what);
/// numpy's text of a shape: "(3,)", "(2, 3)".
std::string shape_text(const std::vector<std::int64_t>& shape);
std::int64_t product(const std::vector<std::int64_t>& shape, std::size_t from = 0);
/// The element bytes of a Python scalar in its column dtype.
void put_scalar(const Value& v, std::uint8_t* out);
/// A Python scalar from one stored element, as numpy's .item() gives it (upstream _postprocess).
Value scalar_value(const std::string& dtype, const std::uint8_t* p);
/// An array's bytes at `out` (nothing for an empty array, which may have no buffer).
void put_array(const NdArray& a, std::uint8_t* out);
inline bool is_float(const std::string& dtype) { return dtype.size() > 1 && dtype[1] == 'f'; }

} // namespace columnar

using columnar::CellKind;
using columnar::ColumnarStore;

// One stored column (a flat key) and what we know of its dataset.
struct Column {
    std::string name;
    bool per_atom = false;
    CellKind kind = CellKind::Json;
    std::string dtype;
    std::vector<std::int64_t> row_shape; ///< shape of a cell after the frame (or atom) axis
    bool created = false;
    std::int64_t rows = 0;         ///< extent of axis 0
    std::int64_t padded_atoms = 0; ///< padded per-atom: extent of axis 1
    std::int64_t mask_rows = -1;   ///< rows of _present/<name>; -1: no such dataset
    std::int64_t cell_bytes() const {
        return columnar::product(row_shape) * static_cast<std::int64_t>(itemsize_of(dtype));
    }
};

struct ColumnarBackend::Impl {
    std::string path, group;
    ColumnarSettings settings;
    std::unique_ptr<ColumnarStore> store;
    std::int64_t n = 0;
    std::vector<Column> columns;
    std::map<std::string, std::size_t> by_name;
    columnar::AtomIndex index{true}; ///< the per-atom layout and the per-frame atom index

    std::string where() const { return store->location(); }

    void load();
    Column load_column(const std::string& name, bool per_atom);
    std::vector<std::int64_t> read_index(const std::string& name);
    void validate_atoms();

    std::vector<std::optional<Value>> read_cells(const Column& c, const std::vector<std::int64_t>& frames,
                                                 bool use_mask);
    void read_run(const Column& c, const std::vector<std::int64_t>& frames, std::size_t first,
                  std::size_t last, bool use_mask, std::vector<std::optional<Value>>& out);
    std::optional<Value> decode(const Column& c, std::int64_t frame, const std::uint8_t* cell,
                                std::int64_t natoms, std::optional<std::uint8_t> flag,
                                const std::string* text);
    std::vector<MaybeRow> get_many(const Indices& indices, const std::optional<Keys>& keys);

    struct Batch {
        std::vector<std::optional<std::int64_t>> natoms; ///< atom count of rows that have atoms
        std::vector<std::int64_t> atoms;                 ///< the same, 0 for rows without
        std::vector<Column> added;                       ///< columns the batch creates
    };
    Batch plan(const std::vector<MaybeRow>& rows, std::int64_t first_row) const;
    std::size_t extend(const std::vector<MaybeRow>& rows);
    struct CollectiveBatch {
        std::vector<MaybeRow> globals;   ///< per-frame values of each frame
        std::vector<MaybeRow> presence;  ///< every key of each frame (for the _present flags)
        std::vector<std::int64_t> atoms; ///< atoms of each whole frame
        std::set<std::string> local_keys;
    };
    CollectiveBatch check_local_frames(const std::vector<LocalFrame>& frames) const;
    Column local_column(const std::string& key, const std::vector<LocalFrame>& frames) const;
    std::vector<Column> collective_columns(const std::vector<LocalFrame>& frames,
                                           const CollectiveBatch& b) const;
    std::size_t extend_collective(const std::vector<LocalFrame>& frames);
    void write_local_column(Column& c, const std::vector<LocalFrame>& frames);
    void refuse_when_collective(const char* operation) const;
    Column new_column(const std::string& key, const std::vector<MaybeRow>& rows,
                      const std::vector<std::optional<std::int64_t>>& natoms) const;
    void check_fits(const Column& c, const std::vector<MaybeRow>& rows,
                    const std::vector<std::int64_t>& batch_atoms, std::int64_t first_row) const;
    void write_column(Column& c, const std::vector<MaybeRow>& rows,
                      const std::vector<std::int64_t>& batch_atoms);
    void write_mask(Column& c, const std::vector<MaybeRow>& rows, bool fresh);
    void write_frame_index(const std::vector<std::int64_t>& batch_atoms);
    void grow_atom_axis(std::int64_t new_max);
    void write_attrs();
    bool update_in_place(std::int64_t start, const std::vector<Row>& rows);
    void truncate(std::int64_t k);
    void cut_datasets(std::int64_t k);
    void trim_uncommitted();
    void rewrite_from(std::int64_t k, const std::function<void(std::vector<MaybeRow>&)>& edit);
    void check_key(const std::string& key) const;
    void check_distinct_storage(const std::vector<Column>& added) const;
};

} // namespace asebytes
