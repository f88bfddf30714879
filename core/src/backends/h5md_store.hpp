#pragma once
// ColumnarStore over an H5MD 1.1 file as Python asebytes 0.3.1 writes it (docs/formats/h5md.md, upstream
// asebytes/h5md/_store.py): flat column names map to H5MD elements (/particles/<group>/position,
// /observables/<group>/potential_energy, ...), each a group with `value`, `step` and `time`;
// the group's attributes and internal arrays (_n_atoms, our _present flags) live in
// /asebytes/<group>. The padded columnar backend does the rest, as upstream's H5MDBackend
// subclasses its PaddedColumnarBackend. Internal to the H5MD backend.
#include <optional>
#include <string>
#include <vector>

#include "hdf5_store.hpp"

namespace asebytes::columnar {

class H5mdStore : public Hdf5Store {
public:
    /// Opens (or, when writable, creates) `path`. An existing file must be H5MD (a /h5md group)
    /// with asebytes' metadata for `group`; a writable opening adds what is missing. `author`
    /// becomes /h5md/author's `name` when the file is created.
    H5mdStore(const std::string& path, const std::string& group, bool writable, StoreSettings settings,
              const std::string& author);

    /// The particle groups of `path` (/particles/*); empty when there is no such file.
    static std::vector<std::string> list_groups(const std::string& path);

    /// Internal arrays of /asebytes/<group>, then the column of every element of the group.
    std::vector<std::string> list_arrays() override;
    // A file from another H5MD writer (znh5md, no /asebytes/<group>) is read as upstream reads
    // it: frames from species (or position), every element a column, per-atom the /particles
    // elements with an atom axis, and _n_atoms from the rows that are not NaN padding. Such a
    // file is read-only here (writes: NotSupportedError).
    bool has_array(const std::string& name) override;
    ArrayInfo info(const std::string& name) override;
    NdArray read_rows(const std::string& name, std::int64_t start, std::int64_t stop) override;
    std::optional<std::int64_t> get_int_attr(const std::string& name) override;
    std::optional<std::vector<std::string>> get_strings_attr(const std::string& name) override;
    /// A column becomes an element: ASE_ENTRY_ORIGIN, `value` (with its unit), scalar `step` and
    /// `time` as upstream writes them.
    void create(const std::string& name, const std::string& dtype, const std::vector<std::int64_t>& row_shape,
                const std::vector<std::uint8_t>& fill, std::int64_t expected_rows,
                RowAxis axis = RowAxis::Frames) override;
    /// Removes the whole element of a column.
    void remove_array(const std::string& name) override;
    /// info.step / info.time also become every element's per-frame `step` / `time` (below).
    void resize(const std::string& name, const std::vector<std::int64_t>& shape) override;
    void write_rows(const std::string& name, std::int64_t start, const NdArray& rows) override;
    void clear_group() override;
    void remove_group() override;

protected:
    std::string dataset_path(const std::string& name) const override;

private:
    struct Probe {};
    /// The file alone, read-only, nothing checked (for list_groups).
    H5mdStore(const std::string& path, Probe);
    struct Element {
        std::string path;   ///< HDF5 path of the element group
        std::string origin; ///< ASE_ENTRY_ORIGIN ("" for none)
    };
    /// Where column `name` lives (upstream _column_to_h5); nullopt for internal arrays.
    std::optional<Element> element_of(const std::string& name) const;
    /// The column of the element at `path` (upstream _h5_to_column); nullopt when none.
    std::optional<std::string> column_of(const std::string& path) const;
    void check_h5md(bool writable);
    void refuse_foreign(const char* operation) const;
    /// The element whose frames count (species, else position), for foreign files.
    std::string frames_element() const;
    std::vector<std::int64_t> foreign_atom_counts(std::int64_t start, std::int64_t stop);
    bool foreign_ = false;
    void write_skeleton(const std::string& author);
    void create_group_paths();
    void write_box_attributes();
    void walk_elements(const std::string& path, std::vector<std::string>& out) const;
    /// The HDF5 paths of every element of the group.
    std::vector<std::string> element_paths() const;
    /// Real steps and times: while info.step holds integers (info.time numbers), every element's
    /// `step` (`time`) is a per-frame dataset of them, as the H5MD standard's explicit time
    /// (MDAnalysis indexes them by frame); asebytes reads only `value`, so it reads the file as
    /// before. Otherwise the elements keep upstream's scalar step 1 / time 1.0.
    bool drives_clock(const std::string& column);
    void write_clock(const std::string& element, const std::string& column, std::int64_t start,
                     const NdArray& rows);
    void rewrite_clock(const std::string& element, const std::string& column);
    std::vector<std::string> group_paths() const;
};

} // namespace asebytes::columnar
