#include "hdf5_handles.hpp"

#include <cstdint>

namespace asebytes::hdf5 {
namespace {

herr_t collect_message(unsigned, const H5E_error2_t* entry, void* out) {
    auto& text = *static_cast<std::string*>(out);
    if (entry->desc && *entry->desc) {
        if (!text.empty()) text += ": ";
        text += entry->desc;
    }
    return 0;
}

} // namespace

void silence_errors() {
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

std::recursive_mutex& library_mutex() {
    static std::recursive_mutex m;
    return m;
}

std::string take_error_stack() {
    std::string text;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_message, &text);
    H5Eclear2(H5E_DEFAULT);
    return text;
}

void fail(const std::string& where, const std::string& operation) {
    const std::string stack = take_error_stack();
    throw BackendError(where + ": " + operation + " failed" + (stack.empty() ? "" : ": " + stack));
}

Datatype utf8_string_type(const std::string& where) {
    Datatype t(H5Tcopy(H5T_C_S1), where, "H5Tcopy");
    check(H5Tset_size(t.get(), H5T_VARIABLE), where, "H5Tset_size");
    check(H5Tset_cset(t.get(), H5T_CSET_UTF8), where, "H5Tset_cset");
    return t;
}

Datatype bool_enum_type(const std::string& where) {
    Datatype t(H5Tenum_create(H5T_NATIVE_INT8), where, "H5Tenum_create");
    const std::int8_t no = 0, yes = 1;
    check(H5Tenum_insert(t.get(), "FALSE", &no), where, "H5Tenum_insert");
    check(H5Tenum_insert(t.get(), "TRUE", &yes), where, "H5Tenum_insert");
    return t;
}

namespace {

herr_t collect_link(hid_t group, const char* name, const H5L_info_t*, void* data) {
    auto& out = *static_cast<std::vector<std::pair<std::string, H5O_type_t>>*>(data);
    H5O_info_t info;
    if (H5Oget_info_by_name2(group, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
    out.emplace_back(name, info.type);
    return 0;
}

} // namespace

std::vector<std::pair<std::string, H5O_type_t>> links_of(hid_t group, const std::string& where) {
    std::vector<std::pair<std::string, H5O_type_t>> out;
    hsize_t idx = 0;
    check(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_link, &out), where, "H5Literate");
    return out;
}

} // namespace asebytes::hdf5
