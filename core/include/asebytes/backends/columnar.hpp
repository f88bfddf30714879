#pragma once
// *.h5 (ragged) and *.h5p (padded): Python asebytes' columnar HDF5 stores
// (docs/formats/columnar.md, upstream asebytes/columnar/), native at the object tier. One HDF5 group per
// asebytes group; one dataset per flat key; per-atom columns either concatenated with
// _offsets/_lengths (ragged) or padded to the largest frame with _n_atoms (padded).
// *.zarr and *.zarrp are the same layouts in Zarr v3 directories (docs/formats/zarr.md).
//
// Where we keep more than Python (files stay readable by Python asebytes 0.3.1):
// - ints and bools are stored as int64 / HDF5 bool columns (Python writes float64 for them and
//   reads them back as float); numpy scalars keep their dtype;
// - constraints are stored (as a JSON column; Python drops them);
// - `_present/<key>` (uint8, one per row) says which rows hold the key, so 0, False, NaN and
//   None values read back as themselves and a row without fields (a placeholder) reads back as
//   nullopt; Python ignores that subgroup and reads missing cells through their fill values.
#include <memory>
#include <optional>

#include "asebytes/registry.hpp"

namespace asebytes {

/// H5md: padded per-atom arrays in an H5MD file (asebytes/backends/h5md.hpp builds on it).
enum class ColumnarLayout { Ragged, Padded, H5md };

/// How every HDF5 store (*.h5, *.h5p, *.h5md) writes new datasets: the registry options
/// `compression`, `compression_opts` and `chunk_frames`.
struct Hdf5Settings {
    /// Deflate level for numeric datasets (upstream default gzip, level 4); nullopt: no filter.
    std::optional<int> gzip_level = 4;
    /// Chunk length along the frame (or atom) axis; upstream's chunk_frames.
    std::size_t chunk_frames = 64;
};

/// Where the columns are: one HDF5 file, or a Zarr v3 directory (one Zarr group per asebytes group).
enum class ColumnarFormat { Hdf5, Zarr };

/// How the Zarr stores compress new arrays: the registry options `compressor` (a blosc cname, or
/// none), `clevel` and `shuffle`; bool and string arrays get zstd, as upstream's.
struct ZarrSettings {
    std::string compressor = "lz4";
    int clevel = 5;
    bool shuffle = true;
};

struct ColumnarSettings {
    ColumnarLayout layout = ColumnarLayout::Ragged;
    ColumnarFormat format = ColumnarFormat::Hdf5;
    Hdf5Settings hdf5; ///< chunk_frames serves the Zarr stores too
    ZarrSettings zarr;
    bool readonly = false;
    /// A copy of an MPI_Comm handle (a std::shared_ptr<MPI_Comm>, opaque so that this header
    /// needs no MPI): every rank of the communicator opens the file with parallel HDF5 and calls
    /// every write collectively. BackendEntry::open_collective sets it.
    std::shared_ptr<const void> mpi_comm;
    /// H5md: /h5md/author's name when the file is created ("" leaves it out, as upstream).
    std::string author;
};

/// One frame as one MPI rank holds it, for ColumnarBackend::extend_collective.
struct LocalFrame {
    Row global; ///< per-frame values (energy, cell, info...), the same on every rank
    Row local;  ///< per-atom arrays of this rank's atoms (first axis: local atoms)
    std::vector<std::uint64_t> atom_rows; ///< the row of each local atom in the frame (atom-id order)
    std::uint64_t total_atoms = 0;        ///< atoms of the whole frame, over all ranks
};

class ColumnarBackend : public ObjectReadWriteBackend {
public:
    static const BackendMetadata& describe(ColumnarLayout layout,
                                           ColumnarFormat format = ColumnarFormat::Hdf5);
    /// Registry entries: options `compression` (gzip | none), `compression_opts` (0-9),
    /// `chunk_frames`.
    static BackendEntry ragged_entry();
    static BackendEntry padded_entry();
    /// *.zarr and *.zarrp: options `compressor` (lz4, the default, any other blosc cname, or none),
    /// `clevel` (0-9, default 5), `shuffle` (yes/no), `chunk_frames`.
    static BackendEntry zarr_ragged_entry();
    static BackendEntry zarr_padded_entry();
    /// The HDF5 groups directly under the root of `path` (empty when there is no file).
    static std::vector<std::string> list_groups(const std::string& path);

    ColumnarBackend(const std::string& path, const std::string& group, ColumnarSettings settings = {});
    ~ColumnarBackend() override;

    const BackendMetadata& metadata() const override;
    std::string location() const override;
    std::size_t size() override;
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override;
    /// Reads each dataset once per run of nearby rows (one hyperslab), not once per row.
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override;
    Keys keys(std::size_t index) override;

    void set(std::size_t index, const MaybeRow& row) override;
    /// Rewrites the rows from `index` on (upstream refuses insert; we keep it correct).
    void insert(std::size_t index, const MaybeRow& row) override;
    std::size_t extend(const std::vector<MaybeRow>& rows) override;
    /// Collective (opened with mpi_comm): every rank passes the same frames with its own atoms;
    /// each dataset gets one collective write in which every rank writes its atoms at their rows
    /// (rank 0 writes the per-frame values). Every frame must carry the same per-atom keys, on
    /// every rank (arrays of 0 rows where a rank has no atom); strings cannot be written this way
    /// (parallel HDF5 1.10 writes no variable-length data): NotSupportedError.
    std::size_t extend_collective(const std::vector<LocalFrame>& frames);
    void erase(std::size_t index) override;
    void erase_range(std::size_t start, std::size_t stop) override;
    void update(std::size_t index, const RowType& fields) override;
    void set_many(std::size_t start, const std::vector<MaybeRow>& rows) override;
    void update_many(std::size_t start, const std::vector<RowType>& rows) override;
    void set_column(const std::string& key, std::size_t start, const std::vector<Value>& values) override;
    void drop_keys(const Keys& keys, const std::optional<Indices>& indices = std::nullopt) override;
    void clear() override;
    /// Deletes this group from the file.
    void remove() override;
    void flush() override;
    /// Cuts the datasets a writer killed between flushes left longer than the committed frames
    /// (n_frames) back to them, then flushes: Python asebytes reads whole index datasets and can
    /// fail on their tails. Only on request (`asebytes verify --repair`): it rewrites HDF5's chunk
    /// index, which no commit marker protects against a kill in the middle of it.
    void cut_uncommitted();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace asebytes
