#pragma once
// *.lmdb: Python asebytes' LMDB layout (docs/formats/lmdb.md), native at the blob tier. A store is
// a directory with one LMDB environment per group: <path>/<group>/data.mdb.
#include <functional>
#include <memory>
#include <string_view>

#include "asebytes/adapters.hpp"
#include "asebytes/registry.hpp"

namespace asebytes {

struct LmdbSettings {
    /// Initial map size; the map doubles whenever a write finds it full.
    std::size_t map_size = std::size_t{64} << 20;
    /// Open with MDB_RDONLY: no write, no new files beyond LMDB's lock file.
    bool readonly = false;
    /// fsync on commit (LMDB's default). Without it a crash of the machine (not of the process)
    /// may lose the last commits.
    bool sync = true;
};

/// Receives rows field by field, straight from LMDB's mapped memory (valid during the call).
class LmdbRowVisitor {
public:
    virtual ~LmdbRowVisitor() = default;
    /// Starts row number `position` of the request; `placeholder` when it has no fields at all.
    virtual void begin_row(std::size_t position, std::size_t index, bool placeholder) = 0;
    virtual void field(std::string_view key, std::string_view bytes) = 0;
};

class LmdbBlobBackend : public BlobReadWriteBackend {
public:
    static const BackendMetadata& describe();
    static BackendEntry entry();
    /// Sorted names of the subdirectories of `path` holding an LMDB environment.
    static std::vector<std::string> list_groups(const std::string& path);

    LmdbBlobBackend(const std::string& path, const std::string& group, LmdbSettings settings = {});
    ~LmdbBlobBackend() override;

    const BackendMetadata& metadata() const override { return describe(); }
    std::string location() const override;
    std::size_t size() override;
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override;
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override;
    std::vector<std::optional<std::string>> get_column(const std::string& key,
                                                       const Indices& indices) override;
    Keys keys(std::size_t index) override;

    void set(std::size_t index, const MaybeRow& row) override;
    void insert(std::size_t index, const MaybeRow& row) override;
    std::size_t extend(const std::vector<MaybeRow>& rows) override;
    void erase(std::size_t index) override;
    void erase_range(std::size_t start, std::size_t stop) override;
    void update(std::size_t index, const RowType& fields) override;
    void set_many(std::size_t start, const std::vector<MaybeRow>& rows) override;
    void update_many(std::size_t start, const std::vector<RowType>& rows) override;
    void set_column(const std::string& key, std::size_t start,
                    const std::vector<std::string>& values) override;
    void drop_keys(const Keys& keys, const std::optional<Indices>& indices = std::nullopt) override;
    void clear() override;
    /// Deletes this group's directory.
    void remove() override;
    void flush() override;

    /// Reads rows in one read transaction, handing the visitor views of the mapped bytes.
    void visit_rows(const Indices& indices, const std::optional<Keys>& keys, LmdbRowVisitor& visitor);
    /// Reads one field of many rows in one read transaction (nullopt: row lacks it).
    void
    visit_column(const std::string& key, const Indices& indices,
                 const std::function<void(std::size_t position, std::optional<std::string_view>)>& visit);
    /// The current map size in bytes (it grows on demand).
    std::size_t map_size() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The object tier over LmdbBlobBackend: writes go through the codec, reads decode straight from
/// LMDB's mapped memory (one copy of the bytes, into the Values).
class LmdbObjectBackend : public TierReadWriteAdapter<std::string, Value> {
public:
    explicit LmdbObjectBackend(std::shared_ptr<LmdbBlobBackend> blob);
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override;
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override;
    /// Decodes each field from the mapped bytes straight into the sink.
    void visit_many(const Indices& indices, const std::optional<Keys>& keys, RowSink<Value>& sink) override;
    std::vector<std::optional<Value>> get_column(const std::string& key, const Indices& indices) override;

private:
    LmdbBlobBackend& blob_;
};

} // namespace asebytes
