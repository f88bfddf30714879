#include <fstream>
#include <stdexcept>

#include "write_journal.hpp"

namespace asebytes::test {

void JournalEntry::apply(std::string& file) const {
    switch (op) {
    case JournalOp::Write:
        if (file.size() < a + b) file.resize(a + b, '\0');
        file.replace(a, b, data);
        break;
    case JournalOp::Truncate:
        file.resize(a, '\0');
        break;
    case JournalOp::Extend:
        if (file.size() < a) file.resize(a, '\0');
        break;
    case JournalOp::Sync:
    case JournalOp::Rename:
    case JournalOp::Mark:
        break;
    }
}

std::vector<JournalEntry> read_journal(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read the write journal " + path);
    std::vector<JournalEntry> entries;
    for (char code; in.get(code);) {
        JournalEntry e;
        e.op = static_cast<JournalOp>(code);
        in.read(reinterpret_cast<char*>(&e.a), sizeof e.a).read(reinterpret_cast<char*>(&e.b), sizeof e.b);
        if (e.op == JournalOp::Write || e.op == JournalOp::Mark) {
            e.data.resize(e.b);
            in.read(e.data.data(), static_cast<std::streamsize>(e.b));
        }
        if (!in) throw std::runtime_error("truncated write journal " + path);
        entries.push_back(std::move(e));
    }
    return entries;
}

} // namespace asebytes::test
