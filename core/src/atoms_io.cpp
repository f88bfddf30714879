#include "asebytes/io.hpp"

#include <algorithm>

#include "frame_builder.hpp"

namespace asebytes {

bool is_atoms_key(const std::string& key) {
    if (key == "cell" || key == "pbc" || key == "constraints") return true;
    for (const char* p : {"arrays.", "calc.", "info."}) {
        const std::string prefix(p);
        if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0) return true;
    }
    return false;
}

void AtomsIO::update(std::int64_t i, const Row& fields) {
    for (const auto& kv : fields)
        if (!is_atoms_key(kv.first))
            throw KeyError("invalid key '" + kv.first +
                           "': keys must start with arrays., calc. or info., or be cell, pbc or constraints");
    BasicIO::update(i, fields);
}

Row AtomsIO::prefixed(const std::string& prefix, const Row& fields) {
    Row out;
    for (const auto& [k, v] : fields)
        out[prefix + k] = v;
    return out;
}

namespace {
// Frames built as the backend hands over fields; a frame is done when the next row begins.
class FrameSink : public RowSink<Value> {
public:
    explicit FrameSink(std::size_t n) : frames(n) {}
    void begin_row(std::size_t position, bool placeholder) override {
        finish();
        current_ = placeholder ? kNone : position;
    }
    void field(std::string_view key, Value&& value) override { builder_.add(key, std::move(value)); }
    void finish() {
        if (current_ == kNone) return;
        largest = std::max(largest, builder_.bytes());
        frames[current_] = builder_.finish();
        current_ = kNone;
    }
    std::vector<std::optional<Frame>> frames;
    std::size_t largest = 0;

private:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    FrameBuilder builder_;
    std::size_t current_ = kNone;
};
} // namespace

std::vector<std::optional<Frame>> AtomsItems::read(ReadBackend<Value>& backend, const Indices& indices,
                                                   std::size_t* largest_row) {
    FrameSink sink(indices.size());
    backend.visit_many(indices, std::nullopt, sink);
    sink.finish();
    if (largest_row) *largest_row = std::max(*largest_row, sink.largest);
    return std::move(sink.frames);
}

} // namespace asebytes
