#pragma once
// The chunk codecs of Zarr v3 arrays (docs/formats/zarr.md): one array-to-bytes codec (bytes with
// an endianness, vlen-utf8 for strings) followed by bytes-to-bytes codecs (blosc, zstd, gzip),
// read from and written to the "codecs" list of an array's zarr.json. Compression comes from
// Debian's libblosc (c-blosc 1.x, as numcodecs), libzstd and libdeflate (gzip).
#include <cstdint>
#include <string>
#include <vector>

#include "asebytes/value.hpp"

namespace asebytes::zarr {

/// One bytes-to-bytes codec with its configuration.
struct BytesCodec {
    enum class Kind { Blosc, Zstd, Gzip } kind;
    // blosc
    std::string cname = "lz4";
    int clevel = 5;
    int shuffle = 1; ///< 0 noshuffle, 1 shuffle, 2 bitshuffle
    int typesize = 1;
    std::size_t blocksize = 0;
    // zstd: level (0: zstd's default); gzip: level
    int level = 0;
    bool checksum = false;
};

/// The codec chain of an array.
struct CodecChain {
    bool strings = false;    ///< vlen-utf8 (else bytes)
    bool big_endian = false; ///< bytes codec with endian "big"
    std::vector<BytesCodec> bytes_codecs;
};

/// The chain in a zarr.json "codecs" list; Error naming `where` and the codec for what we do not
/// read (sharding, transpose, unknown names).
CodecChain parse_codecs(const Value& codecs, const std::string& where);
/// The "codecs" list of a chain, as zarr-python writes it (`itemsize` 1: bytes without endian).
Value codecs_json(const CodecChain& chain, std::size_t itemsize);

/// Encoded bytes of a chunk's elements (little-endian, C order) through the bytes-to-bytes codecs.
std::vector<std::uint8_t> compress(const CodecChain& chain, std::vector<std::uint8_t> raw);
/// The inverse: `expected` bytes (the chunk's elements); CorruptDataError naming `where` when the
/// stored bytes do not decode to exactly that many.
std::vector<std::uint8_t> decompress(const CodecChain& chain, std::vector<std::uint8_t> stored,
                                     std::size_t expected, const std::string& where);
/// Without the length check (vlen-utf8 chunks, whose encoded length is not known up front); no
/// stage may decode to more than `max_bytes` (a damaged header declaring a huge size is an error,
/// not an allocation of that size).
std::vector<std::uint8_t> decompress_any(const CodecChain& chain, std::vector<std::uint8_t> stored,
                                         std::size_t max_bytes, const std::string& where);

/// vlen-utf8: a u32 count, then each string as a u32 length and its bytes.
std::vector<std::uint8_t> encode_strings(const std::vector<std::string>& items);
std::vector<std::string> decode_strings(const std::vector<std::uint8_t>& bytes, std::size_t expected,
                                        const std::string& where);

/// Reverses the byte order of every `itemsize`-byte element in place (big-endian chunks).
void swap_bytes(std::vector<std::uint8_t>& data, std::size_t itemsize);

} // namespace asebytes::zarr
