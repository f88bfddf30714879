#pragma once
// *.xyz, *.extxyz: extended XYZ as ASE reads and writes it. Rows come out as ASE's extxyz reader
// followed by asebytes' atoms_to_dict gives them (info keys in info.*, per-config results such as
// energy and stress also in calc.*, per-atom results such as forces in arrays.* and calc.*).
// A streaming scan at open records where each frame starts, so random access reads one frame.
// Writes append frames; edits in place are not supported (a text file would be rewritten).
#include <memory>

#include "asebytes/registry.hpp"

namespace asebytes {

/// Names used on export (and recognised on import) for calculator results, e.g.
/// energy_key=REF_energy as MACE expects. Defaults are ASE's names.
struct ExtxyzSettings {
    std::string energy_key = "energy";
    std::string forces_key = "forces";
    std::string stress_key = "stress";
    /// Open without write access; the file must exist.
    bool readonly = false;
};

class ExtxyzBackend : public ObjectReadWriteBackend {
public:
    static const BackendMetadata& describe();
    static BackendEntry entry();
    /// {"default"} when the file exists (a file holds one collection), else empty.
    static std::vector<std::string> list_groups(const std::string& path);

    /// Opens `path`, scanning it once for frame offsets; creates an empty file unless readonly.
    /// CorruptDataError (naming path and line) when the file is not extended XYZ.
    ExtxyzBackend(const std::string& path, ExtxyzSettings settings = {});
    ~ExtxyzBackend() override;

    const BackendMetadata& metadata() const override { return describe(); }
    std::string location() const override;
    std::size_t size() override;
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override;
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override;

    /// Appends frames at the end of the file; placeholder rows are not supported.
    std::size_t extend(const std::vector<MaybeRow>& rows) override;
    /// Truncates the file to nothing.
    void clear() override;
    /// Deletes the file.
    void remove() override;
    void flush() override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace asebytes
