#pragma once
// The per-atom layout of a columnar group (docs/formats/columnar.md): the per-frame atom index
// and where each frame's per-atom cells are. Ragged (*.h5): every frame's atoms one after another
// on axis 0 of a per-atom dataset, at _offsets, _lengths of them. Padded (*.h5p, *.h5md): axes
// (frame, atom), as wide as the widest frame, with the counts in _n_atoms.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "asebytes/ndarray.hpp"

namespace asebytes::columnar {

class AtomIndex {
public:
    explicit AtomIndex(bool ragged) : ragged_(ragged) {}

    bool ragged() const { return ragged_; }
    /// Atoms of frame `f`.
    std::int64_t atoms(std::int64_t f) const { return counts_[static_cast<std::size_t>(f)]; }
    /// Atoms of frames [first, first + count).
    std::vector<std::int64_t> atoms(std::int64_t first, std::int64_t count) const;
    /// Padded: the extent of the atom axis (the widest per-atom dataset or frame so far).
    std::int64_t width() const { return width_; }
    void widen_to(std::int64_t w) { width_ = std::max(width_, w); }

    /// The axis-0 row of a per-atom dataset where frame `f`'s cells start (ragged: its first atom
    /// row; padded: the frame's row).
    std::int64_t first_row(std::int64_t f) const {
        return ragged_ ? offsets_[static_cast<std::size_t>(f)] : f;
    }
    /// The axis-0 rows of a per-atom dataset that frames [0, k) take.
    std::int64_t rows_before(std::int64_t k) const;
    /// The leading axes of a per-atom block of frames with `batch` atoms each (ragged: their
    /// atoms; padded: frames, width).
    std::vector<std::int64_t> block_axes(const std::vector<std::int64_t>& batch) const;
    /// Where frame `i` of such a block starts, in cells, `atoms_before` being the atoms of the
    /// block's frames before it.
    std::int64_t block_cell(std::size_t i, std::int64_t atoms_before) const {
        return ragged_ ? atoms_before : static_cast<std::int64_t>(i) * width_;
    }
    /// The atom rows the index addresses (ragged) and its widest frame, for the check at open.
    std::int64_t rows_addressed() const;
    std::int64_t widest_frame() const;

    /// The dataset holding the atom counts.
    const char* counts_array() const { return ragged_ ? "_lengths" : "_n_atoms"; }
    /// Every index dataset either layout keeps.
    static const std::vector<std::string>& index_arrays();

    /// Forgets the index (and the width).
    void clear();
    /// The index as `read` reads it (the integers of an index dataset, one per frame).
    void load(const std::function<std::vector<std::int64_t>(const std::string&)>& read);
    /// The index of `n` frames without atoms (a group without per-atom data).
    void load_empty(std::int64_t n);
    /// Appends frames with `batch` atoms each; `append(name, dtype, values, explicit_fill)`
    /// writes the new rows of one index dataset.
    using Append = std::function<void(const std::string&, const std::string&, const NdArray&, bool)>;
    void append(const std::vector<std::int64_t>& batch, const Append& append);
    /// Keeps frames [0, k).
    void truncate(std::int64_t k);

private:
    bool ragged_;
    std::vector<std::int64_t> counts_;  ///< atom count of every frame (_lengths / _n_atoms)
    std::vector<std::int64_t> offsets_; ///< ragged: first atom row of every frame (_offsets)
    std::int64_t width_ = 0;
};

} // namespace asebytes::columnar
