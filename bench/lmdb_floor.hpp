#pragma once
// The LMDB operations our layout makes (docs/formats/lmdb.md: one key "<sort key>-<field>" per
// stored field), done straight on liblmdb with nothing encoded, decoded or converted: the floor
// under ours/lmdb, printed as raw/lmdb next to it. Whatever Python asebytes does on top of the
// same operations, a ratio against it cannot exceed (its time) / (this floor).
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace asebytes::bench {

class LmdbFloor {
public:
    /// Loads every row's fields of the group directory `env_dir` (a store ours/lmdb wrote, sort
    /// keys 0..n-1) into memory and keeps the environment open for the reads; untimed.
    explicit LmdbFloor(const std::filesystem::path& env_dir);
    ~LmdbFloor();

    /// Seconds to put the same keys and bytes into a fresh environment at `dir`, `batch` rows per
    /// committed (fsynced) transaction, as ours/lmdb commits each extend.
    double write(const std::filesystem::path& dir, std::size_t batch) const;
    /// Seconds to find every field of each row in `rows` (one cursor range per row) and copy it
    /// out of the map.
    double read_rows(const std::vector<std::size_t>& rows) const;
    /// Seconds to look up field `field` of every row (one mdb_get per row) and copy it out.
    double column(const std::string& field) const;

    std::size_t rows() const { return rows_.size(); }

private:
    class Env;
    std::filesystem::path env_dir_;
    std::unique_ptr<Env> env_; // open for every read sample, as our store keeps its environment
    std::vector<std::vector<std::pair<std::string, std::string>>> rows_; // (key, value) per row
};

} // namespace asebytes::bench
