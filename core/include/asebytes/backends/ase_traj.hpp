#pragma once
// *.traj: ASE trajectory files (ASE's ULM format, docs/formats/traj.md), read
// only. Row i is what Python asebytes gives for it: atoms_to_dict(ase.io.read(file, index=i)),
// i.e. cell, pbc, arrays.* (numbers, positions, tags, momenta, masses, initial magmoms and
// charges), info.*, calc.* (SinglePointCalculator results) and constraints. Opening reads the
// header, the offsets table and item 0 (the trajectory's header); a read parses one item.
#include <memory>

#include "asebytes/registry.hpp"

namespace asebytes {

class AseTrajBackend : public ObjectReadBackend {
public:
    static const BackendMetadata& describe();
    static BackendEntry entry();
    /// {"default"} when the file exists (a file holds one collection), else empty.
    static std::vector<std::string> list_groups(const std::string& path);

    /// Opens `path`. CorruptDataError (naming the path) when it is not an ASE trajectory or its
    /// header or offsets table is damaged; Error when it does not exist.
    explicit AseTrajBackend(const std::string& path);
    ~AseTrajBackend() override;

    const BackendMetadata& metadata() const override { return describe(); }
    std::string location() const override;
    std::size_t size() override;
    /// Row `index`; CorruptDataError naming the path and item when the item is damaged.
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override;
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace asebytes
