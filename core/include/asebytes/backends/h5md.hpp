#pragma once
// *.h5md: H5MD 1.1 trajectories as Python asebytes 0.3.1 writes and reads them (docs/formats/h5md.md,
// upstream asebytes/h5md/), native at the object tier, default group "atoms". Per-atom arrays are
// padded to the largest frame (NaN / 0) with the true counts in /asebytes/<group>/_n_atoms; the
// box is stored per frame (box/edges, box/pbc); calc.energy is potential_energy, positions are
// position, ... (upstream _mapping.py); value datasets carry the H5MD `unit` attribute (ASE
// units). Rows are those of the padded columnar backend (columnar.hpp) with upstream's two
// translations: species are stored as float64 (znh5md) and read back as int64, and constraints
// are stored as the JSON text column info.constraints_json. Real steps and times (integer
// info.step, numeric info.time) also become every element's per-frame `step` / `time`.
#include <memory>
#include <optional>
#include <string>

#include "asebytes/backends/columnar.hpp"

namespace asebytes {

struct H5mdSettings {
    std::string author; ///< /h5md/author name, written when the file is created
    Hdf5Settings hdf5;
    bool readonly = false;
};

class H5mdBackend : public ObjectReadWriteBackend {
public:
    static const BackendMetadata& describe();
    /// Registry entry: options `author`, `compression` (gzip | none), `compression_opts` (0-9),
    /// `chunk_frames`.
    static BackendEntry entry();
    /// The settings the registry would open a store with.
    static H5mdSettings settings_from(const OpenOptions& options);
    /// The columnar table's settings for an H5MD store (the registry's open_collective opens
    /// ColumnarBackend with them for parallel writes; species are then stored as written).
    static ColumnarSettings columnar_settings(const H5mdSettings& settings);
    /// The particle groups of `path` (/particles/*); empty when there is no file.
    static std::vector<std::string> list_groups(const std::string& path);

    H5mdBackend(const std::string& path, const std::string& group = "atoms", H5mdSettings settings = {});

    const BackendMetadata& metadata() const override { return describe(); }
    std::string location() const override { return table_->location(); }
    std::size_t size() override { return table_->size(); }
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override;
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override;
    Keys keys(std::size_t index) override;

    std::size_t extend(const std::vector<MaybeRow>& rows) override;
    /// Collective writes of per-atom arrays from every rank (ColumnarBackend::extend_collective).
    std::size_t extend_collective(const std::vector<LocalFrame>& frames);
    void set(std::size_t index, const MaybeRow& row) override;
    void insert(std::size_t index, const MaybeRow& row) override;
    void erase(std::size_t index) override { table_->erase(index); }
    void erase_range(std::size_t start, std::size_t stop) override { table_->erase_range(start, stop); }
    void update(std::size_t index, const RowType& fields) override;
    void set_many(std::size_t start, const std::vector<MaybeRow>& rows) override;
    void update_many(std::size_t start, const std::vector<RowType>& rows) override;
    void set_column(const std::string& key, std::size_t start, const std::vector<Value>& values) override;
    void drop_keys(const Keys& keys, const std::optional<Indices>& indices = std::nullopt) override;
    void clear() override { table_->clear(); }
    void remove() override { table_->remove(); }
    void flush() override { table_->flush(); }
    /// See ColumnarBackend::cut_uncommitted.
    void cut_uncommitted() { table_->cut_uncommitted(); }

private:
    std::unique_ptr<ColumnarBackend> table_;
};

} // namespace asebytes
