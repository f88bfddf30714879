#pragma once
// redis://[user:password@]host[:port][/db]: Python asebytes' Redis layout (docs/formats/redis.md),
// native at the blob tier. One group is one key prefix in one database of one server; many
// processes may append to the same group at once.
#include <memory>

#include "asebytes/registry.hpp"

namespace asebytes {

class RedisConnection;

class RedisBlobBackend : public BlobReadWriteBackend {
public:
    static const BackendMetadata& describe();
    static BackendEntry entry();
    /// Groups of the database `uri` names (every "<group>:sort_keys" list), sorted.
    static std::vector<std::string> list_groups(const std::string& uri);

    /// Connects to the server `uri` names. Options: socket_timeout and socket_connect_timeout
    /// (seconds, as redis-py names them), retries (reconnections after a lost connection) and
    /// retry_delay (seconds), also accepted as the URI's query arguments.
    RedisBlobBackend(const std::string& uri, const std::string& group, const OpenOptions& options = {});
    ~RedisBlobBackend() override;

    const BackendMetadata& metadata() const override { return describe(); }
    std::string location() const override;
    std::size_t size() override;
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override;
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override;
    std::vector<std::optional<std::string>> get_column(const std::string& key,
                                                       const Indices& indices) override;
    Keys keys(std::size_t index) override;

    /// Appends in one MULTI/EXEC per batch after reserving the batch's sort keys, so concurrent
    /// writers never share or lose a row; a lost connection is retried without writing twice.
    std::size_t extend(const std::vector<MaybeRow>& rows) override;
    void set(std::size_t index, const MaybeRow& row) override;
    void insert(std::size_t index, const MaybeRow& row) override;
    void erase(std::size_t index) override;
    void erase_range(std::size_t start, std::size_t stop) override;
    void update(std::size_t index, const RowType& fields) override;
    void set_many(std::size_t start, const std::vector<MaybeRow>& rows) override;
    void update_many(std::size_t start, const std::vector<RowType>& rows) override;
    void set_column(const std::string& key, std::size_t start,
                    const std::vector<std::string>& values) override;
    void drop_keys(const Keys& keys, const std::optional<Indices>& indices = std::nullopt) override;
    void clear() override;
    /// Deletes this group's keys (and no other group's: see docs/formats/redis.md).
    void remove() override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace asebytes
