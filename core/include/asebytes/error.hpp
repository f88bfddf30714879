#pragma once
// One exception root for everything the library throws (docs/design.md, "Errors").
#include <stdexcept>
#include <string>

namespace asebytes {

/// Root of every exception thrown by asebytes.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A row index outside [-len, len).
class IndexError : public Error {
public:
    using Error::Error;
};

/// A requested key is not present in a row or column.
class KeyError : public Error {
public:
    using Error::Error;
};

/// A write was attempted on a store or view opened read-only.
class ReadOnlyError : public Error {
public:
    using Error::Error;
};

/// The backend does not implement this operation.
class NotSupportedError : public Error {
public:
    using Error::Error;
};

/// A value or argument has the wrong type, dtype or shape.
class TypeError : public Error {
public:
    using Error::Error;
};

/// Stored data cannot be decoded: truncated, corrupt or foreign. The message names the path
/// and, where known, the row and key.
class CorruptDataError : public Error {
public:
    using Error::Error;
};

/// The storage layer failed (I/O, LMDB, HDF5); the message names the path and the cause.
class BackendError : public Error {
public:
    using Error::Error;
};

} // namespace asebytes
