#include "asebytes/row_chunks.hpp"

namespace asebytes {

std::size_t value_bytes(const Value& value) {
    switch (value.kind()) {
    case Value::Kind::String:
        return value.as_string().size();
    case Value::Kind::Binary:
        return value.as_binary().size();
    case Value::Kind::Array:
        return value.as_array().nbytes();
    case Value::Kind::List: {
        std::size_t bytes = 0;
        for (const auto& item : value.as_list())
            bytes += value_bytes(item);
        return bytes;
    }
    case Value::Kind::Map: {
        std::size_t bytes = 0;
        for (const auto& [key, item] : value.as_map())
            bytes += key.size() + value_bytes(item);
        return bytes;
    }
    default:
        return sizeof(double);
    }
}

RowChunks::RowChunks(const Indices& rows, ChunkLimits limits) : rows_(rows), limits_(limits) {
    limits_.max_rows = std::max<std::size_t>(limits_.max_rows, 1);
}

std::size_t ChunkLimits::rows_for(std::size_t largest_row) const {
    const std::size_t count = largest_row > 0 ? max_bytes / largest_row : first_rows;
    return std::clamp<std::size_t>(count, 1, std::max<std::size_t>(max_rows, 1));
}

Indices RowChunks::next() {
    const std::size_t count = std::min(limits_.rows_for(largest_row_), rows_.size() - at_);
    const auto begin = rows_.begin() + static_cast<std::ptrdiff_t>(at_);
    at_ += count;
    return Indices(begin, begin + static_cast<std::ptrdiff_t>(count));
}

} // namespace asebytes
