#include "columnar_layout.hpp"

#include <algorithm>

namespace asebytes::columnar {

std::vector<std::int64_t> AtomIndex::atoms(std::int64_t first, std::int64_t count) const {
    const auto begin = counts_.begin() + first;
    return std::vector<std::int64_t>(begin, begin + count);
}

std::int64_t AtomIndex::rows_before(std::int64_t k) const {
    if (!ragged_) return k;
    if (k < static_cast<std::int64_t>(offsets_.size())) return offsets_[static_cast<std::size_t>(k)];
    return offsets_.empty() ? 0 : offsets_.back() + counts_.back();
}

std::vector<std::int64_t> AtomIndex::block_axes(const std::vector<std::int64_t>& batch) const {
    if (!ragged_) return {static_cast<std::int64_t>(batch.size()), width_};
    std::int64_t rows = 0;
    for (auto a : batch)
        rows += a;
    return {rows};
}

std::int64_t AtomIndex::rows_addressed() const {
    std::int64_t need = 0;
    if (ragged_)
        for (std::size_t i = 0; i < counts_.size(); ++i)
            need = std::max(need, offsets_[i] + counts_[i]);
    return need;
}

std::int64_t AtomIndex::widest_frame() const {
    return counts_.empty() ? 0 : *std::max_element(counts_.begin(), counts_.end());
}

const std::vector<std::string>& AtomIndex::index_arrays() {
    static const std::vector<std::string> names = {"_offsets", "_lengths", "_n_atoms"};
    return names;
}

void AtomIndex::clear() {
    counts_.clear();
    offsets_.clear();
    width_ = 0;
}

void AtomIndex::load(const std::function<std::vector<std::int64_t>(const std::string&)>& read) {
    counts_ = read(counts_array());
    if (ragged_) offsets_ = read("_offsets");
}

void AtomIndex::load_empty(std::int64_t n) {
    counts_.assign(static_cast<std::size_t>(n), 0);
    if (ragged_) offsets_.assign(static_cast<std::size_t>(n), 0);
}

void AtomIndex::append(const std::vector<std::int64_t>& batch, const Append& append) {
    std::vector<std::int32_t> counts(batch.begin(), batch.end());
    if (ragged_) {
        std::vector<std::int64_t> starts;
        std::int64_t next = rows_before(static_cast<std::int64_t>(counts_.size()));
        for (auto a : batch) {
            starts.push_back(next);
            offsets_.push_back(next);
            next += a;
        }
        append("_offsets", "<i8", NdArray::from<std::int64_t>(starts), false);
        append("_lengths", "<i4", NdArray::from<std::int32_t>(counts), false);
    } else {
        append("_n_atoms", "<i4", NdArray::from<std::int32_t>(counts), true);
    }
    counts_.insert(counts_.end(), batch.begin(), batch.end());
}

void AtomIndex::truncate(std::int64_t k) {
    counts_.resize(static_cast<std::size_t>(k));
    if (ragged_) offsets_.resize(static_cast<std::size_t>(k));
}

} // namespace asebytes::columnar
