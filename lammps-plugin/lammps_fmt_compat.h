// Forced include for every file that includes LAMMPS headers (see CMakeLists.txt).
//
// Why: Debian's liblammps-dev headers include <fmt/format.h> and call fmt::make_args_checked, but
// the package ships no fmt of its own (LAMMPS bundles fmt 7 as fmt::v7_lmp inside the library).
// Debian's libfmt-dev 9 no longer has make_args_checked; this adds it back so the headers
// compile. Only the std::string overloads of Error::all/one/warning and utils::logmesg may be
// called: the fmt-template overloads would need fmt::v7_lmp symbols that the library does not
// export. A string literal picks the template, so always pass std::string.
#pragma once
#include <fmt/format.h>

FMT_BEGIN_NAMESPACE
template <typename... Args, typename S, typename Char = char>
inline auto make_args_checked(const S&, const remove_reference_t<Args>&... args)
    -> format_arg_store<buffer_context<Char>, remove_reference_t<Args>...> {
    return {args...};
}
FMT_END_NAMESPACE
