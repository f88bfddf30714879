#pragma once
// A numpy-compatible n-dimensional array: dtype (numpy typestr), shape, C-contiguous bytes.
// It is what msgpack-numpy stores (docs/formats/values.md).
#include <complex>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "asebytes/error.hpp"

namespace asebytes {

/// Element types with typed access. Other numpy dtypes (unicode, datetime, big-endian...) are
/// kept as raw bytes with their typestr, so they survive a round trip but have no typed view.
enum class DType {
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float16,
    Float32,
    Float64,
    Complex64,
    Complex128,
    Other
};

/// DType of a numpy typestr such as "<f8" or "|b1"; DType::Other when it has no typed view.
DType dtype_from_typestr(std::string_view typestr);
/// The typestr numpy writes for a DType ("<f8", "|b1", ...). Throws TypeError for Other.
std::string typestr_of(DType dtype);
/// Bytes per element of a typestr ("<U3" -> 12); throws TypeError when it cannot be parsed.
std::size_t itemsize_of(std::string_view typestr);
/// A short name ("float64", "int32", "bool") for messages and listings.
std::string dtype_name(std::string_view typestr);

template <class T> struct DTypeOf;
template <> struct DTypeOf<bool> { static constexpr DType value = DType::Bool; };
template <> struct DTypeOf<std::int8_t> { static constexpr DType value = DType::Int8; };
template <> struct DTypeOf<std::int16_t> { static constexpr DType value = DType::Int16; };
template <> struct DTypeOf<std::int32_t> { static constexpr DType value = DType::Int32; };
template <> struct DTypeOf<std::int64_t> { static constexpr DType value = DType::Int64; };
template <> struct DTypeOf<std::uint8_t> { static constexpr DType value = DType::UInt8; };
template <> struct DTypeOf<std::uint16_t> { static constexpr DType value = DType::UInt16; };
template <> struct DTypeOf<std::uint32_t> { static constexpr DType value = DType::UInt32; };
template <> struct DTypeOf<std::uint64_t> { static constexpr DType value = DType::UInt64; };
template <> struct DTypeOf<float> { static constexpr DType value = DType::Float32; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::Float64; };
template <> struct DTypeOf<std::complex<float>> { static constexpr DType value = DType::Complex64; };
template <> struct DTypeOf<std::complex<double>> { static constexpr DType value = DType::Complex128; };

class NdArray {
public:
    /// An empty float64 array of shape (0,).
    NdArray();
    /// Takes ownership of raw C-contiguous little-endian bytes; checks their length against the
    /// shape. `scalar` marks a numpy scalar (np.float32(1.5)), which msgpack-numpy encodes apart
    /// from a 0-d array.
    NdArray(std::string typestr, std::vector<std::int64_t> shape, std::vector<std::uint8_t> data,
            bool scalar = false);

    /// An array of the given shape holding a copy of `values` (row-major).
    template <class T> static NdArray from(std::vector<std::int64_t> shape, const std::vector<T>& values);
    /// A 1-d array holding a copy of `values`.
    template <class T> static NdArray from(const std::vector<T>& values) {
        return from<T>({static_cast<std::int64_t>(values.size())}, values);
    }
    /// A numpy scalar (np.float32(1.5), np.int64(-3)).
    template <class T> static NdArray scalar(T value) {
        NdArray a = from<T>({}, std::vector<T>{value});
        a.scalar_ = true;
        return a;
    }
    /// A zero-filled array.
    static NdArray zeros(DType dtype, std::vector<std::int64_t> shape);

    const std::string& typestr() const { return typestr_; }
    DType dtype() const { return dtype_; }
    const std::vector<std::int64_t>& shape() const { return shape_; }
    std::size_t ndim() const { return shape_.size(); }
    /// Number of elements.
    std::size_t size() const;
    std::size_t itemsize() const { return itemsize_; }
    std::size_t nbytes() const { return data_.size(); }
    bool is_scalar() const { return scalar_; }
    const std::uint8_t* bytes() const { return data_.data(); }
    std::uint8_t* bytes() { return data_.data(); }

    /// Typed pointer to the elements; TypeError unless the dtype is exactly T.
    template <class T> const T* data() const {
        check_dtype(DTypeOf<T>::value);
        return reinterpret_cast<const T*>(data_.data());
    }
    template <class T> T* data() {
        check_dtype(DTypeOf<T>::value);
        return reinterpret_cast<T*>(data_.data());
    }
    /// A copy of the elements converted to T (any integer, float or bool dtype).
    template <class T> std::vector<T> to_vector() const;
    /// Copies the elements, converted to T, into `out`, which has room for size() of them.
    template <class T> void copy_to(T* out) const;

    friend bool operator==(const NdArray& a, const NdArray& b);
    friend bool operator!=(const NdArray& a, const NdArray& b) { return !(a == b); }

private:
    void check_dtype(DType wanted) const;
    double element_as_double(std::size_t i) const;
    std::int64_t element_as_int(std::size_t i) const;

    std::string typestr_;
    DType dtype_;
    std::size_t itemsize_;
    std::vector<std::int64_t> shape_;
    std::vector<std::uint8_t> data_;
    bool scalar_ = false;
};

template <class T> NdArray NdArray::from(std::vector<std::int64_t> shape, const std::vector<T>& values) {
    static_assert(sizeof(bool) == 1, "numpy bool is one byte");
    std::vector<std::uint8_t> bytes(values.size() * sizeof(T));
    if constexpr (std::is_same_v<T, bool>) {
        for (std::size_t i = 0; i < values.size(); ++i)
            bytes[i] = values[i] ? 1 : 0;
    } else if (!values.empty()) {
        std::memcpy(bytes.data(), values.data(), bytes.size());
    }
    return NdArray(typestr_of(DTypeOf<T>::value), std::move(shape), std::move(bytes));
}

template <class T> void NdArray::copy_to(T* out) const {
    const std::size_t n = size();
    if constexpr (!std::is_same_v<T, bool>) {
        if (dtype_ == DTypeOf<T>::value) {
            if (n != 0) std::memcpy(out, data_.data(), data_.size());
            return;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        if constexpr (std::is_floating_point_v<T>) {
            out[i] = static_cast<T>(element_as_double(i));
        } else if constexpr (std::is_same_v<T, bool>) {
            out[i] = element_as_int(i) != 0;
        } else {
            static_assert(std::is_integral_v<T>, "copy_to converts to numeric types");
            out[i] = static_cast<T>(element_as_int(i));
        }
    }
}

template <class T> std::vector<T> NdArray::to_vector() const {
    if constexpr (std::is_same_v<T, bool>) { // std::vector<bool> has no data()
        std::vector<T> out(size());
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = element_as_int(i) != 0;
        return out;
    } else {
        if (dtype_ == DTypeOf<T>::value) { // one pass over the data: no zeroing first
            const T* p = data<T>();
            return std::vector<T>(p, p + size());
        }
        std::vector<T> out(size());
        copy_to(out.data());
        return out;
    }
}

} // namespace asebytes
