#pragma once
// ColumnarStore over one HDF5 file, laid out as upstream's HDF5Store (h5py) writes it:
// one group per asebytes group directly under the root, datasets chunked along axis 0 with
// unlimited extent, deflate on numeric datasets, attributes on the group (docs/formats/columnar.md).
#include <memory>
#include <optional>

#include "columnar_store.hpp"
#include "hdf5_handles.hpp"

namespace asebytes::columnar {

/// One open HDF5 file shared by every store of this process that uses it: HDF5 refuses to open
/// a file read-write while it is open read-only, so a read-write opening upgrades the shared
/// handle in place (it closes the datasets it keeps open first; no other HDF5 object stays open
/// between calls, so this is safe).
class SharedFile;

class Hdf5Store : public ColumnarStore {
public:
    /// Opens (or, when writable, creates) `path` and group `group` in it. A missing group is
    /// created when writable; read-only, it is an error listing the groups there.
    Hdf5Store(const std::string& path, const std::string& group, bool writable, StoreSettings settings);
    ~Hdf5Store() override;

    /// The groups directly under the root of `path`; empty when there is no such file.
    static std::vector<std::string> list_groups(const std::string& path);
    /// The file is on disk, or this process created it and has not flushed it yet (until its
    /// first flush a new file has a temporary name).
    static bool file_exists(const std::string& path);

    std::string location() const override;
    std::string array_location(const std::string& name) const override { return where(name); }
    std::vector<std::string> list_arrays() override;
    bool has_array(const std::string& name) override;
    ArrayInfo info(const std::string& name) override;
    NdArray read_rows(const std::string& name, std::int64_t start, std::int64_t stop) override;
    std::vector<std::string> read_strings(const std::string& name, std::int64_t start,
                                          std::int64_t stop) override;
    void create(const std::string& name, const std::string& dtype, const std::vector<std::int64_t>& row_shape,
                const std::vector<std::uint8_t>& fill, std::int64_t expected_rows,
                RowAxis axis = RowAxis::Frames) override;
    void resize(const std::string& name, const std::vector<std::int64_t>& shape) override;
    void write_rows(const std::string& name, std::int64_t start, const NdArray& rows) override;
    void write_strings(const std::string& name, std::int64_t start,
                       const std::vector<std::string>& rows) override;
    void write_scattered(const std::string& name, const std::vector<std::vector<std::int64_t>>& leading,
                         const NdArray& rows) override;
    void remove_array(const std::string& name) override;
    std::optional<std::int64_t> get_int_attr(const std::string& name) override;
    std::optional<std::vector<std::string>> get_strings_attr(const std::string& name) override;
    void set_int_attr(const std::string& name, std::int64_t value) override;
    void set_string_attr(const std::string& name, const std::string& value) override;
    void set_strings_attr(const std::string& name, const std::vector<std::string>& values) override;
    std::optional<std::string> get_array_attr(const std::string& array, const std::string& name) override;
    void set_array_attr(const std::string& array, const std::string& name, const std::string& value) override;
    std::vector<std::string> attr_names() override;
    void clear_group() override;
    void remove_group() override;
    void flush() override;

protected:
    /// For layouts that spread a group over the file (H5MD): `root` is the HDF5 path holding the
    /// group's attributes and internal arrays. The file is opened; the root is neither checked
    /// nor created (the subclass knows what a valid file looks like).
    struct Unchecked {};
    Hdf5Store(const std::string& path, const std::string& group, const std::string& root, bool writable,
              StoreSettings settings, Unchecked);
    /// The HDF5 path (from the file root, no leading '/') of array `name`.
    virtual std::string dataset_path(const std::string& name) const { return root_ + "/" + name; }
    bool path_exists(const std::string& path) const;
    hid_t file_id() const;
    hdf5::Group open_group() const;
    hdf5::Dataset open_dataset(const std::string& name) const;
    /// Deletes the link `path` (a dataset or a group), closing the datasets kept open first.
    void unlink(const std::string& path, const std::string& where);
    std::string where(const std::string& name) const;
    const std::string& path() const { return path_; }
    const std::string& group() const { return group_; }
    const std::string& root() const { return root_; }
    const StoreSettings& settings() const { return settings_; }
    /// The transfer property list of writes: collective under MPI (required for compressed
    /// datasets), the default otherwise.
    hid_t write_plist() const { return collective_write_ ? collective_write_.get() : H5P_DEFAULT; }
    /// Under MPI only rank 0 writes whole rows; the other ranks take part with an empty selection.
    bool writes_rows() const { return rank_ == 0; }

private:
    void open_collective(bool writable);
    void open_shared(bool writable);

    std::shared_ptr<SharedFile> file_;
    std::string path_, group_, root_;
    StoreSettings settings_;
    int rank_ = 0;
    hdf5::File own_file_; ///< the file, when opened collectively (never shared)
    hdf5::PropertyList collective_write_;
    /// n_frames as the last flush left it in the file; set by the first change after a flush.
    std::optional<std::int64_t> flushed_frames_;
    static constexpr const char* kFramesAttr = "n_frames";
    std::size_t unflushed_bytes_ = 0; ///< data handed to HDF5 since the last flush
    void reserve_flush_space();
};

} // namespace asebytes::columnar
