#pragma once
// The journal of file operations that write_journal.cpp (an LD_PRELOAD library) records, and its
// replay. Each record: one op code, two little-endian uint64 (a, b), then b bytes for a write.
#include <cstdint>
#include <string>
#include <vector>

namespace asebytes::test {

enum class JournalOp : char {
    Write = 'W',    ///< b bytes at offset a
    Truncate = 'T', ///< size set to a
    Extend = 'E',   ///< size at least a (posix_fallocate)
    Sync = 'S',     ///< fsync or fdatasync returned
    Rename = 'R',   ///< the file got the store's name (it was written under another before)
    Mark = 'M',     ///< b bytes written to the flush log (the file is unchanged)
};

struct JournalEntry {
    JournalOp op = JournalOp::Sync;
    std::uint64_t a = 0, b = 0;
    std::string data;

    /// What the file's bytes become after this operation.
    void apply(std::string& file) const;
};

/// Every record of a journal file (throws std::runtime_error when it cannot be read).
std::vector<JournalEntry> read_journal(const std::string& path);

} // namespace asebytes::test
