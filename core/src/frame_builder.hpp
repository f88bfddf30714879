#pragma once
// A Frame built from a row's fields handed over one at a time, in key order: Frame::from_row, and
// the Atoms tier's reads straight from a backend (AtomsItems::read, ReadBackend::visit_many).
#include <cstddef>
#include <string_view>

#include "asebytes/frame.hpp"

namespace asebytes {

class FrameBuilder {
public:
    /// One field of the row (copied, or moved when the caller gives it away).
    void add(std::string_view key, const Value& value);
    void add(std::string_view key, Value&& value);
    /// The frame of the fields added since the last finish(); TypeError when a convention key
    /// has the wrong type or shape. The builder is then empty again.
    Frame finish();
    /// The added fields' in-memory size, as row_bytes counts it.
    std::size_t bytes() const { return bytes_; }

private:
    template <class V> void put(std::string_view key, V&& value);

    Frame frame_;
    bool positions_ = false;
    std::size_t bytes_ = 0;
};

} // namespace asebytes
