#include "asebytes/mpi/frame_gatherer.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <numeric>

#include "asebytes/error.hpp"

namespace asebytes::mpi {
namespace {

void check_mpi(int rc, const char* what) {
    if (rc != MPI_SUCCESS) {
        char text[MPI_MAX_ERROR_STRING];
        int len = 0;
        MPI_Error_string(rc, text, &len);
        throw BackendError(std::string("FrameGatherer: ") + what +
                           " failed: " + std::string(text, static_cast<std::size_t>(len)));
    }
}

int as_count(std::size_t n, const char* what) {
    if (n > static_cast<std::size_t>(INT_MAX))
        throw Error(std::string("FrameGatherer: ") + what + " exceeds MPI's 2 GiB message limit");
    return static_cast<int>(n);
}

} // namespace

FrameGatherer::FrameGatherer(MPI_Comm comm, std::vector<Column> columns, int root)
    : comm_(comm), columns_(std::move(columns)), root_(root) {
    check_mpi(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check_mpi(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
    if (root_ < 0 || root_ >= size_) throw Error("FrameGatherer: root rank out of range");
    for (const auto& c : columns_)
        column_bytes_.push_back(itemsize_of(typestr_of(c.dtype)) * std::max<std::size_t>(c.width, 1));
    counts_.resize(static_cast<std::size_t>(size_));
    byte_counts_.resize(static_cast<std::size_t>(size_));
    displs_.resize(static_cast<std::size_t>(size_));
}

std::size_t FrameGatherer::bytes_per_atom() const {
    return sizeof(std::int64_t) + std::accumulate(column_bytes_.begin(), column_bytes_.end(), std::size_t{0});
}

// Send layout: ids, then each column's block, all for this rank's atoms.
void FrameGatherer::pack(std::size_t n, const std::int64_t* ids, const std::vector<const void*>& data) {
    send_.resize(n * bytes_per_atom());
    char* p = send_.data();
    if (n) std::memcpy(p, ids, n * sizeof(std::int64_t));
    p += n * sizeof(std::int64_t);
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        const std::size_t len = n * column_bytes_[c];
        if (len) std::memcpy(p, data[c], len);
        p += len;
    }
}

void FrameGatherer::gather(std::size_t n_local, const std::int64_t* ids, const std::vector<const void*>& data,
                           Row& out) {
    if (data.size() != columns_.size())
        throw Error("FrameGatherer: " + std::to_string(data.size()) + " data pointers for " +
                    std::to_string(columns_.size()) + " columns");
    int n = as_count(n_local, "atom count");
    check_mpi(MPI_Gather(&n, 1, MPI_INT, counts_.data(), 1, MPI_INT, root_, comm_), "MPI_Gather");
    if (!is_root()) {
        pack(n_local, ids, data);
        check_mpi(MPI_Gatherv(send_.data(), as_count(send_.size(), "a rank's atoms"), MPI_BYTE, nullptr,
                              nullptr, nullptr, MPI_BYTE, root_, comm_),
                  "MPI_Gatherv");
        return;
    }
    // The root's own atoms are read where the caller keeps them: only the other ranks' travel.
    std::size_t total_bytes = 0;
    for (int r = 0; r < size_; ++r) {
        const std::size_t bytes = r == root_ ? 0 : static_cast<std::size_t>(counts_[r]) * bytes_per_atom();
        byte_counts_[r] = as_count(bytes, "a rank's atoms");
        displs_[r] = as_count(total_bytes, "the frame");
        total_bytes += bytes;
    }
    recv_.resize(total_bytes);
    check_mpi(MPI_Gatherv(MPI_IN_PLACE, 0, MPI_BYTE, recv_.data(), byte_counts_.data(), displs_.data(),
                          MPI_BYTE, root_, comm_),
              "MPI_Gatherv");
    root_ids_ = ids;
    root_data_ = &data;
    order_by_id();
    unpack(out);
    root_data_ = nullptr;
}

// Rank r's ids (column == npos) or its block of `column`, in rank-local order.
const char* FrameGatherer::block(int r, std::size_t column) const {
    if (r == root_)
        return column == kIds ? reinterpret_cast<const char*>(root_ids_)
                              : static_cast<const char*>((*root_data_)[column]);
    const auto n = static_cast<std::size_t>(counts_[r]);
    std::size_t offset = 0;
    if (column != kIds) {
        offset = n * sizeof(std::int64_t);
        for (std::size_t k = 0; k < column; ++k)
            offset += n * column_bytes_[k];
    }
    return recv_.data() + displs_[r] + offset;
}

// dest_[g] = global row of the g-th atom in rank order, i.e. the rank of its id among all ids.
void FrameGatherer::order_by_id() {
    std::size_t total = 0;
    for (int r = 0; r < size_; ++r)
        total += static_cast<std::size_t>(counts_[r]);
    ids_.resize(total);
    std::size_t g = 0;
    for (int r = 0; r < size_; ++r) {
        const auto n = static_cast<std::size_t>(counts_[r]);
        if (n) std::memcpy(ids_.data() + g, block(r, kIds), n * sizeof(std::int64_t));
        g += n;
    }
    dest_.resize(total);
    if (total == 0) return;
    const auto [lo, hi] = std::minmax_element(ids_.begin(), ids_.end());
    const auto range = static_cast<std::uint64_t>(*hi - *lo) + 1;
    // MD codes number atoms 1..N with few gaps: a table indexed by id orders them in O(N).
    // Sparse ids fall back to sorting.
    if (range <= 4 * static_cast<std::uint64_t>(total) + 1024) {
        order_by_table(static_cast<std::size_t>(range), *lo);
    } else {
        order_by_sort();
    }
}

void FrameGatherer::order_by_table(std::size_t range, std::int64_t lowest) {
    constexpr std::uint32_t kEmpty = UINT32_MAX;
    slot_.assign(range, kEmpty);
    for (std::size_t g = 0; g < ids_.size(); ++g) {
        std::uint32_t& s = slot_[static_cast<std::size_t>(ids_[g] - lowest)];
        if (s != kEmpty) duplicate_id(ids_[g]);
        s = static_cast<std::uint32_t>(g);
    }
    std::uint32_t row = 0;
    for (const auto s : slot_)
        if (s != kEmpty) dest_[s] = row++;
}

void FrameGatherer::order_by_sort() {
    by_id_.clear();
    for (std::size_t g = 0; g < ids_.size(); ++g)
        by_id_.emplace_back(ids_[g], static_cast<std::uint32_t>(g));
    std::sort(by_id_.begin(), by_id_.end());
    for (std::size_t row = 0; row < by_id_.size(); ++row) {
        if (row && by_id_[row].first == by_id_[row - 1].first) duplicate_id(by_id_[row].first);
        dest_[by_id_[row].second] = static_cast<std::uint32_t>(row);
    }
}

void FrameGatherer::duplicate_id(std::int64_t id) const {
    throw Error("FrameGatherer: atom id " + std::to_string(id) + " is held by two ranks or twice");
}

void FrameGatherer::unpack(Row& out) {
    const std::size_t total = dest_.size();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        const std::size_t eb = column_bytes_[c];
        std::vector<std::int64_t> shape{static_cast<std::int64_t>(total)};
        if (columns_[c].width > 0) shape.push_back(static_cast<std::int64_t>(columns_[c].width));
        std::vector<std::uint8_t> bytes(total * eb);
        std::size_t g = 0;
        for (int r = 0; r < size_; ++r) {
            const auto n = static_cast<std::size_t>(counts_[r]);
            const char* src = block(r, c);
            for (std::size_t i = 0; i < n; ++i, ++g)
                std::memcpy(bytes.data() + dest_[g] * eb, src + i * eb, eb);
        }
        out[columns_[c].key] = NdArray(typestr_of(columns_[c].dtype), std::move(shape), std::move(bytes));
    }
}

Slab FrameGatherer::slab(std::size_t n_local, const std::int64_t* ids) {
    int n = as_count(n_local, "atom count");
    check_mpi(MPI_Allgather(&n, 1, MPI_INT, counts_.data(), 1, MPI_INT, comm_), "MPI_Allgather");
    std::vector<int> displs(static_cast<std::size_t>(size_));
    int total = 0;
    for (int r = 0; r < size_; ++r) {
        displs[r] = total;
        total += counts_[r];
    }
    std::vector<std::int64_t> all(static_cast<std::size_t>(total));
    check_mpi(
        MPI_Allgatherv(ids, n, MPI_INT64_T, all.data(), counts_.data(), displs.data(), MPI_INT64_T, comm_),
        "MPI_Allgatherv");
    std::vector<std::int64_t> sorted = all;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
        throw Error("FrameGatherer: an atom id is held by two ranks or twice");
    Slab s;
    s.total_atoms = static_cast<std::size_t>(total);
    s.order.resize(n_local);
    std::iota(s.order.begin(), s.order.end(), std::size_t{0});
    std::sort(s.order.begin(), s.order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
    for (auto i : s.order)
        s.rows.push_back(static_cast<std::uint64_t>(std::lower_bound(sorted.begin(), sorted.end(), ids[i]) -
                                                    sorted.begin()));
    return s;
}

} // namespace asebytes::mpi
