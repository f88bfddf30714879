#pragma once
// Thin move-only owners for HDF5's hid_t handles (files, groups, datasets, dataspaces, datatypes,
// property lists, attributes), in the spirit of lmdb_handles.hpp: every id is closed on every
// path, exceptions included. HDF5's own error printing is silenced; a failed call becomes an
// asebytes error naming the file, the object and the innermost message of HDF5's error stack.
// Internal to the HDF5-based backends (columnar now, H5MD later).
#include <hdf5.h>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "asebytes/error.hpp"

namespace asebytes::hdf5 {

/// Turns off HDF5's automatic printing of error stacks to stderr (once per process).
void silence_errors();

/// HDF5 is built without thread safety on Debian: every HDF5 call of the library holds this.
std::recursive_mutex& library_mutex();

/// The messages of HDF5's current error stack, outermost first ("H5Dopen2: unable to open
/// dataset: object 'x' doesn't exist"), then clears the stack. Empty when there is none.
std::string take_error_stack();

/// Throws BackendError "<where>: <operation> failed: <HDF5 error stack>".
[[noreturn]] void fail(const std::string& where, const std::string& operation);

/// Checks an herr_t / htri_t / hid_t result: negative means failure.
template <class T> T check(T result, const std::string& where, const std::string& operation) {
    if (result < 0) fail(where, operation);
    return result;
}

/// Owner of one hid_t, closed with Close. Default-constructed: no id.
template <herr_t (*Close)(hid_t)> class Handle {
public:
    Handle() = default;
    /// Takes `id`; throws (naming where and operation) when it is negative, as HDF5's creators
    /// and openers return on failure.
    Handle(hid_t id, const std::string& where, const std::string& operation)
        : id_(check(id, where, operation)) {}
    Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)) {}
    Handle& operator=(Handle&& o) noexcept {
        std::swap(id_, o.id_);
        return *this;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }

    hid_t get() const { return id_; }
    explicit operator bool() const { return id_ >= 0; }
    void reset() {
        if (id_ >= 0) Close(std::exchange(id_, H5I_INVALID_HID));
    }

private:
    hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using PropertyList = Handle<H5Pclose>;
using Attribute = Handle<H5Aclose>;

/// A variable-length UTF-8 string type, as h5py writes str (golden files: H5T_VARIABLE, UTF8).
Datatype utf8_string_type(const std::string& where);
/// numpy's bool as h5py writes it: an enum over int8 with FALSE=0, TRUE=1.
Datatype bool_enum_type(const std::string& where);

/// The links directly in `group`, by name, with the type of object each names.
std::vector<std::pair<std::string, H5O_type_t>> links_of(hid_t group, const std::string& where);

} // namespace asebytes::hdf5
