#pragma once
// The storage seam of the columnar backend, as upstream's ColumnarStore protocol
// (asebytes/columnar/_store.py): named n-d arrays of one group, growing along axis 0, plus the
// group's attributes. HDF5 implements it now (hdf5_store.cpp); Zarr v3 will implement it later.
// Internal to the columnar backend.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "asebytes/backends/columnar.hpp"
#include "asebytes/ndarray.hpp"
#include "hdf5_chunks.hpp"

namespace asebytes::columnar {

/// Element type of a stored array: a numpy typestr ("<f8", "<i8", "|b1", ...) or kString for
/// variable-length UTF-8 strings.
inline const std::string kString = "str";

struct ArrayInfo {
    std::string dtype;               ///< typestr or kString
    std::vector<std::int64_t> shape; ///< current extent, axis 0 = rows (frames or atoms)
};

/// How new arrays are laid out on disk (upstream HDF5Store's constructor arguments).
struct StoreSettings {
    Hdf5Settings hdf5; ///< chunk length along axis 0 (upstream chunk_frames), deflate level
    /// A copy of an MPI_Comm handle (ColumnarSettings::mpi_comm): the file is opened by every rank
    /// of it, metadata calls are collective, and writes are collective (rank 0 writes whole rows;
    /// write_scattered writes every rank's own).
    std::shared_ptr<const void> mpi_comm;
    /// String arrays get "" as their fill value (upstream HDF5Store); upstream H5MDStore leaves
    /// HDF5's default (a null string, read as "").
    bool empty_string_fill = true;
};

class ColumnarStore {
public:
    virtual ~ColumnarStore() = default;

    /// "<file>, group '<group>'" for messages.
    virtual std::string location() const = 0;
    /// Where array `name` is stored, for messages ("<file>, dataset '/<path>'").
    virtual std::string array_location(const std::string& name) const {
        return location() + ", dataset '" + name + "'";
    }

    /// Arrays directly in the group (not in subgroups), in the store's order.
    virtual std::vector<std::string> list_arrays() = 0;
    virtual bool has_array(const std::string& name) = 0;
    virtual ArrayInfo info(const std::string& name) = 0;

    /// Rows [start, stop) of a numeric array, in one read.
    virtual NdArray read_rows(const std::string& name, std::int64_t start, std::int64_t stop) = 0;
    /// Rows [start, stop) of a 1-d string array, in one read.
    virtual std::vector<std::string> read_strings(const std::string& name, std::int64_t start,
                                                  std::int64_t stop) = 0;

    /// Creates an empty array (0 rows) with the given row shape; `fill` is the fill value's bytes
    /// (one element; empty: the store's default) for numeric arrays, "" for strings.
    /// `expected_rows` (of the first write) and what a row is choose the chunks (hdf5_chunks.hpp).
    virtual void create(const std::string& name, const std::string& dtype,
                        const std::vector<std::int64_t>& row_shape, const std::vector<std::uint8_t>& fill,
                        std::int64_t expected_rows, RowAxis axis = RowAxis::Frames) = 0;
    /// Sets the extent (grow or shrink, any axis).
    virtual void resize(const std::string& name, const std::vector<std::int64_t>& shape) = 0;
    /// Writes `rows` at rows [start, start + rows.shape[0]); the array must be large enough and
    /// rows' trailing shape must equal the array's.
    virtual void write_rows(const std::string& name, std::int64_t start, const NdArray& rows) = 0;
    virtual void write_strings(const std::string& name, std::int64_t start,
                               const std::vector<std::string>& rows) = 0;
    /// Writes row k of `rows` at the cell whose first coordinates are leading[k] (the remaining
    /// axes whole): each MPI rank its own cells, in one collective call (possibly with none).
    virtual void write_scattered(const std::string& name,
                                 const std::vector<std::vector<std::int64_t>>& leading,
                                 const NdArray& rows) = 0;
    virtual void remove_array(const std::string& name) = 0;

    virtual std::optional<std::int64_t> get_int_attr(const std::string& name) = 0;
    virtual std::optional<std::vector<std::string>> get_strings_attr(const std::string& name) = 0;
    virtual void set_int_attr(const std::string& name, std::int64_t value) = 0;
    virtual void set_string_attr(const std::string& name, const std::string& value) = 0;
    virtual void set_strings_attr(const std::string& name, const std::vector<std::string>& values) = 0;
    /// A string attribute of one array (our own notes on how to read it back; Python ignores
    /// array attributes).
    virtual std::optional<std::string> get_array_attr(const std::string& array, const std::string& name) = 0;
    virtual void set_array_attr(const std::string& array, const std::string& name,
                                const std::string& value) = 0;
    /// Every attribute name of the group.
    virtual std::vector<std::string> attr_names() = 0;

    /// Empties the group: every array and attribute is gone.
    virtual void clear_group() = 0;
    /// Deletes the group itself.
    virtual void remove_group() = 0;
    virtual void flush() = 0;
};

} // namespace asebytes::columnar
