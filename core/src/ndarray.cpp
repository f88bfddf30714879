#include "asebytes/ndarray.hpp"

#include <cctype>
#include <numeric>

namespace asebytes {
namespace {

struct TypeInfo {
    DType dtype;
    std::string_view typestr; // (a view: comparisons look at the length first)
    const char* name;
};

constexpr TypeInfo kTypes[] = {
    {DType::Bool, "|b1", "bool"},           {DType::Int8, "|i1", "int8"},
    {DType::Int16, "<i2", "int16"},         {DType::Int32, "<i4", "int32"},
    {DType::Int64, "<i8", "int64"},         {DType::UInt8, "|u1", "uint8"},
    {DType::UInt16, "<u2", "uint16"},       {DType::UInt32, "<u4", "uint32"},
    {DType::UInt64, "<u8", "uint64"},       {DType::Float16, "<f2", "float16"},
    {DType::Float32, "<f4", "float32"},     {DType::Float64, "<f8", "float64"},
    {DType::Complex64, "<c8", "complex64"}, {DType::Complex128, "<c16", "complex128"},
};

template <class T> T load(const std::uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

} // namespace

DType dtype_from_typestr(std::string_view typestr) {
    for (const auto& t : kTypes)
        if (typestr == t.typestr) return t.dtype;
    // numpy writes '|' for one-byte types but '<' and '=' are the same on little-endian hosts.
    if (typestr.size() >= 2 && (typestr[0] == '<' || typestr[0] == '=' || typestr[0] == '|')) {
        for (const auto& t : kTypes)
            if (typestr.substr(1) == t.typestr.substr(1)) return t.dtype;
    }
    return DType::Other;
}

std::string typestr_of(DType dtype) {
    for (const auto& t : kTypes)
        if (t.dtype == dtype) return std::string(t.typestr);
    throw TypeError("dtype has no canonical numpy typestr");
}

std::size_t itemsize_of(std::string_view typestr) {
    // typestr = byte order, kind, size [unit]: "<f8", "|b1", "<U3", "<M8[ns]".
    if (typestr.size() < 3 || std::string_view("<>|=").find(typestr[0]) == std::string_view::npos)
        throw TypeError("invalid numpy dtype string '" + std::string(typestr) + "'");
    std::size_t size = 0, i = 2;
    for (; i < typestr.size() && std::isdigit(static_cast<unsigned char>(typestr[i])); ++i) {
        size = size * 10 + static_cast<std::size_t>(typestr[i] - '0');
        if (size > (std::size_t{1} << 32)) break;
    }
    if (i == 2 || size > (std::size_t{1} << 32) || (i < typestr.size() && typestr[i] != '['))
        throw TypeError("invalid numpy dtype string '" + std::string(typestr) + "'");
    return typestr[1] == 'U' ? 4 * size : size;
}

std::string dtype_name(std::string_view typestr) {
    const DType d = dtype_from_typestr(typestr);
    for (const auto& t : kTypes)
        if (t.dtype == d) return t.name;
    return std::string(typestr);
}

NdArray::NdArray() : NdArray("<f8", {0}, {}) {}

NdArray::NdArray(std::string typestr, std::vector<std::int64_t> shape, std::vector<std::uint8_t> data,
                 bool scalar)
    : typestr_(std::move(typestr)), dtype_(dtype_from_typestr(typestr_)), itemsize_(itemsize_of(typestr_)),
      shape_(std::move(shape)), data_(std::move(data)), scalar_(scalar) {
    if (scalar_ && !shape_.empty()) throw TypeError("a numpy scalar has no shape");
    std::size_t n = 1;
    for (auto d : shape_) {
        if (d < 0) throw TypeError("negative dimension in array shape");
        if (d != 0 && n > (std::size_t{1} << 48) / static_cast<std::size_t>(d))
            throw TypeError("array shape is too large");
        n *= static_cast<std::size_t>(d);
    }
    // Wide dtypes ("<U4294967296") would wrap n * itemsize around to the data's length.
    if (itemsize_ != 0 && n > (std::size_t{1} << 62) / itemsize_) throw TypeError("array shape is too large");
    if (n * itemsize_ != data_.size())
        throw TypeError("array data has " + std::to_string(data_.size()) + " bytes, but shape and dtype " +
                        typestr_ + " need " + std::to_string(n * itemsize_));
}

NdArray NdArray::zeros(DType dtype, std::vector<std::int64_t> shape) {
    const std::string ts = typestr_of(dtype);
    std::size_t n = 1;
    for (auto d : shape)
        n *= static_cast<std::size_t>(d);
    return NdArray(ts, std::move(shape), std::vector<std::uint8_t>(n * itemsize_of(ts)));
}

std::size_t NdArray::size() const {
    return std::accumulate(shape_.begin(), shape_.end(), std::size_t{1},
                           [](std::size_t a, std::int64_t d) { return a * static_cast<std::size_t>(d); });
}

void NdArray::check_dtype(DType wanted) const {
    if (dtype_ != wanted)
        throw TypeError("array has dtype " + dtype_name(typestr_) + ", not " +
                        dtype_name(typestr_of(wanted)));
}

double NdArray::element_as_double(std::size_t i) const {
    const std::uint8_t* p = data_.data() + i * itemsize_;
    switch (dtype_) {
    case DType::Float32:
        return load<float>(p);
    case DType::Float64:
        return load<double>(p);
    case DType::Float16:
        break;
    default:
        return static_cast<double>(element_as_int(i));
    }
    throw TypeError("cannot convert array of dtype " + dtype_name(typestr_) + " to numbers");
}

std::int64_t NdArray::element_as_int(std::size_t i) const {
    const std::uint8_t* p = data_.data() + i * itemsize_;
    switch (dtype_) {
    case DType::Bool:
        return p[0] != 0;
    case DType::Int8:
        return load<std::int8_t>(p);
    case DType::Int16:
        return load<std::int16_t>(p);
    case DType::Int32:
        return load<std::int32_t>(p);
    case DType::Int64:
        return load<std::int64_t>(p);
    case DType::UInt8:
        return load<std::uint8_t>(p);
    case DType::UInt16:
        return load<std::uint16_t>(p);
    case DType::UInt32:
        return load<std::uint32_t>(p);
    case DType::UInt64:
        return static_cast<std::int64_t>(load<std::uint64_t>(p));
    case DType::Float32:
        return static_cast<std::int64_t>(load<float>(p));
    case DType::Float64:
        return static_cast<std::int64_t>(load<double>(p));
    default:
        break;
    }
    throw TypeError("cannot convert array of dtype " + dtype_name(typestr_) + " to numbers");
}

bool operator==(const NdArray& a, const NdArray& b) {
    // Bitwise: NaN payloads and -0.0 must survive a round trip unchanged.
    return a.typestr_ == b.typestr_ && a.shape_ == b.shape_ && a.scalar_ == b.scalar_ && a.data_ == b.data_;
}

} // namespace asebytes
