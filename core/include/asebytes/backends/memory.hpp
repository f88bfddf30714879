#pragma once
// memory://NAME: rows kept in this process, groups side by side; nothing persists.
#include "asebytes/registry.hpp"

namespace asebytes {

class MemoryBackend : public ObjectReadWriteBackend {
public:
    static const BackendMetadata& describe();
    static BackendEntry entry();
    /// Groups of memory://NAME that exist in this process.
    static std::vector<std::string> list_groups(const std::string& uri);

    /// The group `group` of the in-memory store `uri` ("memory://NAME"); stores with the same
    /// name and group share their rows, as in Python asebytes.
    MemoryBackend(const std::string& uri, const std::string& group);

    const BackendMetadata& metadata() const override { return describe(); }
    std::string location() const override;
    std::size_t size() override;
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys) override;
    std::vector<MaybeRow> get_many(const Indices& indices, const std::optional<Keys>& keys) override;

    void set(std::size_t index, const MaybeRow& row) override;
    void insert(std::size_t index, const MaybeRow& row) override;
    std::size_t extend(const std::vector<MaybeRow>& rows) override;
    void erase(std::size_t index) override;
    void erase_range(std::size_t start, std::size_t stop) override;
    void update(std::size_t index, const RowType& fields) override;
    void clear() override;
    void remove() override;

private:
    template <class F> auto with_rows(F&& f) const;

    std::string name_, group_;
};

} // namespace asebytes
