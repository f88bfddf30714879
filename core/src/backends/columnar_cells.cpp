#include <cstring>

#include "columnar_impl.hpp"

namespace asebytes::columnar {

// The dtypes the HDF5 store maps (type_of in hdf5_store.cpp); others are refused before anything
// is written.
const std::set<std::string>& storable_dtypes() {
    static const std::set<std::string> s = {"<f8", "<f4", "<i8", "<i4", "<i2", "|i1",
                                            "<u8", "<u4", "<u2", "|u1", "|b1"};
    return s;
}

CellType cell_type_of(const Value& v, const std::string& what) {
    switch (v.kind()) {
    case Value::Kind::Bool:
        return {CellKind::Scalar, "|b1", {}};
    case Value::Kind::Int:
        return {CellKind::Scalar, "<i8", {}};
    case Value::Kind::UInt:
        return {CellKind::Scalar, "<u8", {}};
    case Value::Kind::Float:
        return {CellKind::Scalar, "<f8", {}};
    case Value::Kind::Array: {
        const NdArray& a = v.as_array();
        if (!storable_dtypes().count(a.typestr()))
            throw TypeError(what + ": arrays of dtype " + a.typestr() +
                            " cannot be stored in a columnar store");
        return {a.is_scalar() ? CellKind::NpScalar : CellKind::Array, a.typestr(), a.shape()};
    }
    case Value::Kind::Binary:
        throw TypeError(what + ": bytes cannot be stored in a columnar store");
    default:
        return {CellKind::Json, kString, {}};
    }
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

std::int64_t product(const std::vector<std::int64_t>& shape, std::size_t from) {
    std::int64_t n = 1;
    for (std::size_t i = from; i < shape.size(); ++i)
        n *= shape[i];
    return n;
}

// The element bytes of a Python scalar in its column dtype.
void put_scalar(const Value& v, std::uint8_t* out) {
    switch (v.kind()) {
    case Value::Kind::Bool:
        *out = v.as_bool() ? 1 : 0;
        break;
    case Value::Kind::Int: {
        const std::int64_t i = v.as_int();
        std::memcpy(out, &i, 8);
        break;
    }
    case Value::Kind::UInt: {
        const std::uint64_t u = v.as_uint();
        std::memcpy(out, &u, 8);
        break;
    }
    default: {
        const double d = v.as_double();
        std::memcpy(out, &d, 8);
    }
    }
}

// A Python scalar from one stored element, as numpy's .item() gives it (upstream _postprocess).
Value scalar_value(const std::string& dtype, const std::uint8_t* p) {
    NdArray one(dtype, {}, std::vector<std::uint8_t>(p, p + itemsize_of(dtype)));
    switch (one.dtype()) {
    case DType::Bool:
        return Value(*p != 0);
    case DType::Float16:
    case DType::Float32:
    case DType::Float64:
        return Value(one.to_vector<double>()[0]);
    case DType::UInt64:
        return Value(one.to_vector<std::uint64_t>()[0]);
    default:
        return Value(one.to_vector<std::int64_t>()[0]);
    }
}

// An array's bytes at `out`. An empty array may have no buffer, and memcpy from nullptr is
// undefined even for 0 bytes (UBSan).
void put_array(const NdArray& a, std::uint8_t* out) {
    if (a.nbytes() > 0) std::memcpy(out, a.bytes(), a.nbytes());
}

} // namespace asebytes::columnar
