#include "raw_hdf5.hpp"

#include <cmath>
#include <cstring>
#include <sstream>

#include "hdf5_handles.hpp"

namespace asebytes::test {
namespace {

using namespace asebytes::hdf5;

std::string type_name(hid_t t) {
    const std::size_t size = H5Tget_size(t);
    switch (H5Tget_class(t)) {
    case H5T_FLOAT:
        return "float" + std::to_string(8 * size);
    case H5T_INTEGER:
        return (H5Tget_sign(t) == H5T_SGN_2 ? "int" : "uint") + std::to_string(8 * size);
    case H5T_ENUM:
        return "bool-enum";
    case H5T_STRING:
        return H5Tis_variable_str(t) > 0 ? (H5Tget_cset(t) == H5T_CSET_UTF8 ? "utf8-vlen" : "ascii-vlen")
                                         : "fixed-string";
    default:
        return "other";
    }
}

std::string fill_of(hid_t dcpl, hid_t type) {
    H5D_fill_value_t status;
    H5Pfill_value_defined(dcpl, &status);
    if (status != H5D_FILL_VALUE_USER_DEFINED) return "default";
    if (H5Tget_class(type) == H5T_STRING) {
        char* s = nullptr;
        Datatype mem = utf8_string_type("fill");
        H5Pget_fill_value(dcpl, mem.get(), &s);
        std::string out = s ? s : "";
        H5free_memory(s);
        return "\"" + out + "\"";
    }
    double d = 0;
    H5Pget_fill_value(dcpl, H5T_NATIVE_DOUBLE, &d);
    if (std::isnan(d)) return "nan";
    std::ostringstream os;
    os << d;
    return os.str();
}

RawDataset inspect_dataset(hid_t group, const std::string& name) {
    RawDataset r;
    Dataset d(H5Dopen2(group, name.c_str(), H5P_DEFAULT), name, "H5Dopen2");
    Datatype t(H5Dget_type(d.get()), name, "H5Dget_type");
    r.type = type_name(t.get());
    Dataspace s(H5Dget_space(d.get()), name, "H5Dget_space");
    const int rank = H5Sget_simple_extent_ndims(s.get());
    std::vector<hsize_t> dims(rank), maxdims(rank);
    H5Sget_simple_extent_dims(s.get(), dims.data(), maxdims.data());
    r.shape.assign(dims.begin(), dims.end());
    r.unlimited = true;
    for (auto m : maxdims)
        r.unlimited &= m == H5S_UNLIMITED;
    PropertyList dcpl(H5Dget_create_plist(d.get()), name, "H5Dget_create_plist");
    if (H5Pget_layout(dcpl.get()) == H5D_CHUNKED) {
        std::vector<hsize_t> chunk(rank);
        H5Pget_chunk(dcpl.get(), rank, chunk.data());
        r.chunk.assign(chunk.begin(), chunk.end());
    }
    for (int i = 0; i < H5Pget_nfilters(dcpl.get()); ++i) {
        unsigned flags = 0, values[8];
        std::size_t nvalues = 8;
        char fname[64];
        const H5Z_filter_t f = H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &nvalues, values,
                                              sizeof fname, fname, nullptr);
        r.filters += (r.filters.empty() ? "" : ",") +
                     (f == H5Z_FILTER_DEFLATE ? "deflate(" + std::to_string(nvalues ? values[0] : 0) + ")"
                                              : std::to_string(f));
    }
    r.fill = fill_of(dcpl.get(), t.get());
    return r;
}

std::string attribute_text(hid_t group, const std::string& name) {
    Attribute a(H5Aopen(group, name.c_str(), H5P_DEFAULT), name, "H5Aopen");
    Datatype t(H5Aget_type(a.get()), name, "H5Aget_type");
    Dataspace s(H5Aget_space(a.get()), name, "H5Aget_space");
    const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(s.get()));
    const bool scalar = H5Sget_simple_extent_type(s.get()) == H5S_SCALAR;
    std::string out = type_name(t.get()) + (scalar ? " scalar: " : " [" + std::to_string(n) + "]: ");
    if (H5Tget_class(t.get()) == H5T_STRING) {
        Datatype mem = utf8_string_type(name);
        std::vector<char*> raw(n, nullptr);
        H5Aread(a.get(), mem.get(), raw.data());
        for (std::size_t i = 0; i < n; ++i)
            out += (i ? ", " : "") + std::string(raw[i] ? raw[i] : "");
        H5Dvlen_reclaim(mem.get(), s.get(), H5P_DEFAULT, raw.data());
    } else if (H5Tget_class(t.get()) == H5T_INTEGER) {
        std::vector<long long> v(n);
        H5Aread(a.get(), H5T_NATIVE_LLONG, v.data());
        for (std::size_t i = 0; i < n; ++i)
            out += (i ? ", " : "") + std::to_string(v[i]);
    }
    return out;
}

herr_t collect(hid_t group, const char* name, const H5L_info_t*, void* data) {
    auto& out = *static_cast<std::vector<std::string>*>(data);
    (void)group;
    out.emplace_back(name);
    return 0;
}

} // namespace

RawGroup inspect_group(const fs::path& file, const std::string& group) {
    silence_errors();
    RawGroup out;
    File f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), file.string(), "H5Fopen");
    Group g(H5Gopen2(f.get(), group.c_str(), H5P_DEFAULT), file.string(), "H5Gopen2");
    std::vector<std::string> names;
    hsize_t idx = 0;
    H5Literate(g.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &names);
    for (const auto& name : names) {
        H5O_info_t info;
        H5Oget_info_by_name2(g.get(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT);
        if (info.type == H5O_TYPE_DATASET)
            out.datasets[name] = inspect_dataset(g.get(), name);
        else if (info.type == H5O_TYPE_GROUP)
            out.subgroups.push_back(name);
    }
    H5O_info_t info;
    H5Oget_info2(g.get(), &info, H5O_INFO_NUM_ATTRS);
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        char name[256];
        Attribute a(H5Aopen_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT),
                    "attr", "H5Aopen_by_idx");
        H5Aget_name(a.get(), sizeof name, name);
        out.attributes[name] = attribute_text(g.get(), name);
    }
    return out;
}

std::map<std::string, std::string> inspect_attributes(const fs::path& file, const std::string& path) {
    silence_errors();
    File f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), file.string(), "H5Fopen");
    Handle<H5Oclose> object(H5Oopen(f.get(), path.c_str(), H5P_DEFAULT), file.string() + ", " + path,
                            "H5Oopen");
    const hid_t id = object.get();
    std::map<std::string, std::string> out;
    H5O_info_t info;
    H5Oget_info2(id, &info, H5O_INFO_NUM_ATTRS);
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        char name[256];
        Attribute a(H5Aopen_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT), "attr",
                    "H5Aopen_by_idx");
        H5Aget_name(a.get(), sizeof name, name);
        out[name] = attribute_text(id, name);
    }
    return out;
}

std::string describe(const RawDataset& d) {
    auto dims = [](const std::vector<unsigned long long>& v) {
        std::string s = "(";
        for (std::size_t i = 0; i < v.size(); ++i)
            s += (i ? "," : "") + std::to_string(v[i]);
        return s + ")";
    };
    return d.type + " " + dims(d.shape) + (d.unlimited ? " unlimited" : " fixed") + " chunk " +
           dims(d.chunk) + " filters [" + d.filters + "] fill " + d.fill;
}

void edit_raw(const fs::path& file, const std::function<void(hid_t)>& edit) {
    silence_errors();
    File f(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), file.string(), "H5Fopen");
    edit(f.get());
}

} // namespace asebytes::test
