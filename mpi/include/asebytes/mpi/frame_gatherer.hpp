#pragma once
// FrameGatherer: in an MPI run every rank holds some of the atoms; this assembles the per-atom
// columns of one frame, ordered by atom id, on the writer rank (docs/design.md, "Writing from MPI").
#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "asebytes/value.hpp"

namespace asebytes::mpi {

/// One per-atom column: its flat key, element type and width (0 for shape (N,), else (N, width)).
struct Column {
    std::string key;
    DType dtype;
    std::size_t width = 0;
};

/// Where this rank's atoms go in the global, id-ordered frame (for collective writers).
struct Slab {
    std::size_t total_atoms = 0;
    /// Local atom indices sorted by id.
    std::vector<std::size_t> order;
    /// The global row of each atom of `order`.
    std::vector<std::uint64_t> rows;
};

class FrameGatherer {
public:
    /// Collective over `comm`; `root` receives the frames.
    FrameGatherer(MPI_Comm comm, std::vector<Column> columns, int root = 0);

    /// Collective: every rank passes its `n_local` atoms (ids and, for each column in the order
    /// given to the constructor, a pointer to n_local * max(width, 1) elements). On the root,
    /// `out` receives the columns as arrays ordered by atom id; other ranks leave it alone.
    /// Atom ids may have gaps and any rank may hold no atom; a repeated id is an Error.
    void gather(std::size_t n_local, const std::int64_t* ids, const std::vector<const void*>& data, Row& out);

    /// Collective: the global row of each local atom, for backends that write from every rank.
    Slab slab(std::size_t n_local, const std::int64_t* ids);

    bool is_root() const { return rank_ == root_; }
    int rank() const { return rank_; }
    int size() const { return size_; }
    const std::vector<Column>& columns() const { return columns_; }

private:
    std::size_t bytes_per_atom() const;
    void pack(std::size_t n_local, const std::int64_t* ids, const std::vector<const void*>& data);
    void order_by_id();
    void order_by_table(std::size_t range, std::int64_t lowest);
    void order_by_sort();
    [[noreturn]] void duplicate_id(std::int64_t id) const;
    void unpack(Row& out);
    static constexpr std::size_t kIds = static_cast<std::size_t>(-1);
    const char* block(int rank, std::size_t column) const;

    MPI_Comm comm_;
    std::vector<Column> columns_;
    std::vector<std::size_t> column_bytes_; // bytes per atom of each column
    int root_, rank_ = 0, size_ = 1;
    // Reused from frame to frame: no allocation per step once sizes settle.
    std::vector<char> send_, recv_;
    std::vector<int> counts_, byte_counts_, displs_;
    std::vector<std::int64_t> ids_;                             // all ids, rank order
    std::vector<std::uint32_t> slot_;                           // id - lowest -> rank-order index
    std::vector<std::pair<std::int64_t, std::uint32_t>> by_id_; // for sparse ids
    std::vector<std::uint32_t> dest_;                           // concatenated atom -> global row
    // During gather() on the root: the root's own atoms, read in place.
    const std::int64_t* root_ids_ = nullptr;
    const std::vector<const void*>* root_data_ = nullptr;
};

} // namespace asebytes::mpi
