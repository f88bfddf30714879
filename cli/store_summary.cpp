#include "store_summary.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "asebytes/row_chunks.hpp"
#include "index_range.hpp"
#include "progress.hpp"

namespace asebytes::cli {

namespace {

void merge_shape(KeySummary& key, const std::vector<std::int64_t>& shape) {
    if (!key.has_shape) {
        key.shape.assign(shape.begin(), shape.end());
        key.has_shape = true;
        return;
    }
    if (key.shape.size() != shape.size()) {
        key.rank_varies = true;
        return;
    }
    for (std::size_t d = 0; d < shape.size(); ++d)
        if (key.shape[d] != shape[d]) key.shape[d] = std::nullopt;
}

} // namespace

void KeySummary::add(const Value& value) {
    ++rows;
    types.insert(value.type_name());
    if (!value.is_array()) return;
    const NdArray& array = value.as_array();
    dtypes.insert(dtype_name(array.typestr()));
    merge_shape(*this, array.shape());
}

void GroupSummary::add(const std::optional<Row>& row) {
    ++rows;
    if (!row) {
        ++placeholders;
        return;
    }
    for (const auto& [key, value] : *row)
        keys[key].add(value);
    frames.add(*row);
}

GroupSummary summarize_group(ObjectReadBackend& backend, const std::string& name) {
    GroupSummary summary;
    summary.name = name;
    const std::size_t n = backend.size();
    Progress progress("scanning group '" + name + "'", n);
    for_each_chunk(backend, index_range(0, n), std::nullopt, ChunkLimits{},
                   [&](const Indices&, const auto& rows) {
                       for (const auto& row : rows)
                           summary.add(row);
                       progress.update(summary.rows);
                   });
    return summary;
}

std::string shape_text(const KeySummary& key) {
    if (!key.has_shape) return "";
    if (key.rank_varies) return "varies";
    std::string out = "(";
    for (std::size_t d = 0; d < key.shape.size(); ++d) {
        if (d > 0) out += ", ";
        out += key.shape[d] ? std::to_string(*key.shape[d]) : "N";
    }
    return out + (key.shape.size() == 1 ? ",)" : ")");
}

} // namespace asebytes::cli
