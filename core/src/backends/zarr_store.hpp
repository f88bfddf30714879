#pragma once
// ColumnarStore over a Zarr v3 directory, laid out as upstream's ZarrStore (zarr-python 3) writes
// it: <path>/<group>/ is a Zarr group, each column an array in it, the group's attributes in its
// zarr.json (docs/formats/zarr.md). Appends stay in memory until a commit (flush, closing, or 64 MiB
// of chunks), which writes the chunks, then the arrays' zarr.json, then the group's: it holds
// n_frames, the commit marker readers go by.
#include <map>
#include <memory>
#include <optional>

#include "columnar_store.hpp"
#include "zarr_array.hpp"

namespace asebytes::columnar {

class ZarrStore : public ColumnarStore {
public:
    /// Opens group `group` of the Zarr store at `path` (a directory); writable, it creates what is
    /// missing. Read-only, a missing group is an error listing the groups there.
    ZarrStore(const std::string& path, const std::string& group, bool writable, StoreSettings settings,
              ZarrSettings zarr);
    ~ZarrStore() override;

    /// Sorted subdirectories of `path` that are Zarr groups (zarr.json, or .zgroup of Zarr 2).
    static std::vector<std::string> list_groups(const std::string& path);

    std::string location() const override;
    std::string array_location(const std::string& name) const override;
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
    /// Collective writes are not supported (fix asebytes gathers Zarr frames to rank 0).
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
    /// Writes what is kept in memory (commit), then fsyncs every file written since the last
    /// flush, and their directories.
    void flush() override;
    /// Writes the chunks kept in memory, the arrays' changed zarr.json, then the group's.
    void commit();

private:
    zarr::Array& array(const std::string& name);
    void set_attr(const std::string& name, Value value);
    void save_group();
    void write_back_if_large();
    std::string where(const std::string& name) const;

    zarr::fs::path path_, root_;
    std::string group_;
    StoreSettings settings_;
    ZarrSettings zarr_;
    /// What every store of this process open on the same group shares (as the HDF5 stores share
    /// their file): attributes, the arrays with their unwritten chunks, the files to fsync.
    struct GroupState;
    static std::map<std::string, std::weak_ptr<GroupState>>& open_groups();
    std::shared_ptr<GroupState> state_;
};

} // namespace asebytes::columnar
