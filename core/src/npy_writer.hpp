#pragma once
// Writes a float64 .npy file (NPY format 1.0) whose shape is known up front, streaming the
// values in: memory stays bounded however many frames go in.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace asebytes {

class NpyWriter {
public:
    /// Creates `path` with a header for a C-ordered '<f8' array of `shape`.
    NpyWriter(const std::string& path, std::vector<std::size_t> shape);
    /// Appends values in C order.
    void append(const double* values, std::size_t count);
    void append(const std::vector<double>& values) { append(values.data(), values.size()); }
    /// Checks that exactly the promised number of values went in, and closes the file.
    void close();

private:
    std::string path_;
    std::ofstream out_;
    std::size_t expected_ = 1, written_ = 0;
};

} // namespace asebytes
