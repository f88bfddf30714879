#pragma once
// LMDB's meta pages, read from data.mdb by hand before LMDB maps the file: LMDB 0.9 follows the
// page size and page numbers of the newest meta page into its memory map without comparing them
// with the file's length, so a damaged one means SIGBUS, not an error (already inside
// mdb_env_open for a damaged page size). Layout: MDB_meta in mdb.c (64-bit builds), after the
// 16-byte page header of pages 0 and 1.
#include <string>

namespace asebytes::lmdb {

/// Throws CorruptDataError naming `where` unless the newest meta page of `data_file` (the one
/// LMDB's readers use) has the page size of the first, and its last page and tree roots lie inside
/// the file. Files that are missing, empty or lack LMDB's magic number are left to LMDB.
void check_meta_pages(const std::string& data_file, const std::string& where);

} // namespace asebytes::lmdb
