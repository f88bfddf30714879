#include "npy_writer.hpp"

#include <cstring>

#include "asebytes/error.hpp"

namespace asebytes {

NpyWriter::NpyWriter(const std::string& path, std::vector<std::size_t> shape)
    : path_(path), out_(path, std::ios::binary | std::ios::trunc) {
    if (!out_) throw BackendError("cannot create " + path);
    std::string dims;
    for (auto d : shape) {
        dims += std::to_string(d) + (shape.size() == 1 ? "," : ", ");
        expected_ *= d;
    }
    if (shape.size() > 1) dims.resize(dims.size() - 2);
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
    // NPY 1.0: magic, version, uint16 header length; the header ends in '\n' and pads the
    // preamble to a multiple of 64 bytes (what numpy writes).
    const std::size_t preamble = 10;
    header.append(64 - (preamble + header.size() + 1) % 64, ' ');
    header.push_back('\n');
    const auto length = static_cast<std::uint16_t>(header.size());
    out_.write("\x93NUMPY\x01\x00", 8);
    const char le[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
    out_.write(le, 2);
    out_ << header;
}

void NpyWriter::append(const double* values, std::size_t count) {
    // The host is little-endian (x86-64, AArch64), as the header declares.
    static_assert(sizeof(double) == 8, "float64");
    out_.write(reinterpret_cast<const char*>(values), static_cast<std::streamsize>(count * sizeof(double)));
    written_ += count;
}

void NpyWriter::close() {
    out_.close();
    if (!out_) throw BackendError("writing " + path_ + " failed");
    if (written_ != expected_)
        throw Error(path_ + ": " + std::to_string(written_) + " values written for a shape of " +
                    std::to_string(expected_));
}

} // namespace asebytes
