#include "lmdb_meta.hpp"

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

#include "asebytes/error.hpp"

namespace asebytes::lmdb {
namespace {

// Offsets inside a meta page: 16-byte page header, then MDB_meta: magic, version, address,
// mapsize, two 48-byte MDB_db records (md_pad, which holds the page size in the first, ...,
// md_root at 40), last page, txnid.
constexpr std::size_t kPageHeader = 16;
constexpr std::size_t kMagic = kPageHeader;
constexpr std::size_t kPageSize = kPageHeader + 24;
constexpr std::size_t kFreeRoot = kPageHeader + 24 + 40;
constexpr std::size_t kMainRoot = kPageHeader + 24 + 48 + 40;
constexpr std::size_t kLastPage = kPageHeader + 24 + 96;
constexpr std::size_t kTxnId = kLastPage + 8;
constexpr std::size_t kMetaEnd = kTxnId + 8;
constexpr std::uint32_t kLmdbMagic = 0xBEEFC0DE;
constexpr std::uint64_t kNoPage = ~std::uint64_t{0}; // P_INVALID: the root of an empty tree

struct Meta {
    std::uint32_t magic = 0, page_size = 0;
    std::uint64_t free_root = 0, main_root = 0, last_page = 0, txn = 0;
};

template <class T> T field(const char* page, std::size_t offset) {
    T v; // LMDB writes native order; asebytes supports little-endian hosts only
    std::memcpy(&v, page + offset, sizeof v);
    return v;
}

std::optional<Meta> read_meta(std::ifstream& in, std::uint64_t at) {
    char page[kMetaEnd];
    in.seekg(static_cast<std::streamoff>(at));
    if (!in.read(page, sizeof page)) return std::nullopt;
    return Meta{field<std::uint32_t>(page, kMagic),    field<std::uint32_t>(page, kPageSize),
                field<std::uint64_t>(page, kFreeRoot), field<std::uint64_t>(page, kMainRoot),
                field<std::uint64_t>(page, kLastPage), field<std::uint64_t>(page, kTxnId)};
}

} // namespace

void check_meta_pages(const std::string& data_file, const std::string& where) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(data_file, ec);
    if (ec || size == 0) return;
    std::ifstream in(data_file, std::ios::binary);
    const auto first = read_meta(in, 0);
    if (!first || first->magic != kLmdbMagic) return; // LMDB says "not an LMDB file"
    const std::uint32_t psize = first->page_size;
    if (psize < 512 || psize > 65536 || (psize & (psize - 1)))
        throw CorruptDataError(where + ": data.mdb is corrupt: its first meta page gives a page size of " +
                               std::to_string(psize) + " bytes");
    const auto second = read_meta(in, psize);
    if (!second)
        throw CorruptDataError(where + ": data.mdb is truncated: it ends inside its second meta page");
    // mdb_env_read_header: the meta page with the larger transaction id, the first on a tie.
    const Meta& newest = second->magic == kLmdbMagic && second->txn > first->txn ? *second : *first;
    if (newest.page_size != psize)
        throw CorruptDataError(where + ": data.mdb is corrupt: its meta pages disagree on the page size (" +
                               std::to_string(psize) + " and " + std::to_string(newest.page_size) + ")");
    if (newest.last_page >= size / psize)
        throw CorruptDataError(where + ": data.mdb is truncated: it has " + std::to_string(size) +
                               " bytes but its pages reach byte " +
                               std::to_string((newest.last_page + 1) * std::uintmax_t{psize}));
    for (const auto& [name, root] :
         {std::pair{"main", newest.main_root}, std::pair{"free-page", newest.free_root}})
        if (root != kNoPage && (root < 2 || root > newest.last_page))
            throw CorruptDataError(where + ": data.mdb is corrupt: the root of its " + name +
                                   " tree is page " + std::to_string(root) + ", outside pages 2.." +
                                   std::to_string(newest.last_page));
}

} // namespace asebytes::lmdb
