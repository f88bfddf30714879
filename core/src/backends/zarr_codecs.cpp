#include "zarr_codecs.hpp"

#include <algorithm>
#include <memory>

#include <blosc.h>
#include <libdeflate.h>
#include <zstd.h>

#include "asebytes/error.hpp"

namespace asebytes::zarr {
namespace {

const Value* member(const Value& map, const std::string& key) {
    if (map.kind() != Value::Kind::Map) return nullptr;
    for (const auto& [k, v] : map.as_map())
        if (k == key) return &v;
    return nullptr;
}

std::string text_member(const Value& map, const std::string& key, const std::string& fallback) {
    const Value* v = member(map, key);
    return v && v->kind() == Value::Kind::String ? v->as_string() : fallback;
}

std::int64_t int_member(const Value& map, const std::string& key, std::int64_t fallback) {
    const Value* v = member(map, key);
    if (!v) return fallback;
    if (v->kind() == Value::Kind::Int) return v->as_int();
    if (v->kind() == Value::Kind::UInt) return static_cast<std::int64_t>(v->as_uint());
    return fallback;
}

int shuffle_of(const Value& config, const std::string& where) {
    const Value* v = member(config, "shuffle");
    if (!v) return 0;
    if (v->kind() == Value::Kind::Int) return static_cast<int>(v->as_int()); // zarr 2 numcodecs form
    const std::string s = v->as_string();
    if (s == "noshuffle") return 0;
    if (s == "shuffle") return 1;
    if (s == "bitshuffle") return 2;
    throw Error(where + ": blosc shuffle '" + s + "' is not noshuffle, shuffle or bitshuffle");
}

Value codec(const std::string& name, Value config) {
    Map m;
    m.emplace_back(MapKey("name"), Value(name));
    if (config.kind() != Value::Kind::Nil) m.emplace_back(MapKey("configuration"), std::move(config));
    return Value(std::move(m));
}

Map entries(std::initializer_list<std::pair<const char*, Value>> items) {
    Map m;
    for (const auto& [k, v] : items)
        m.emplace_back(MapKey(k), v);
    return m;
}

std::vector<std::uint8_t> blosc_encode(const BytesCodec& c, const std::vector<std::uint8_t>& raw) {
    std::vector<std::uint8_t> out(raw.size() + BLOSC_MAX_OVERHEAD);
    const int n = blosc_compress_ctx(c.clevel, c.shuffle, static_cast<std::size_t>(c.typesize), raw.size(),
                                     raw.data(), out.data(), out.size(), c.cname.c_str(), c.blocksize, 1);
    if (n <= 0) throw BackendError("blosc could not compress a chunk with compressor '" + c.cname + "'");
    out.resize(static_cast<std::size_t>(n));
    return out;
}

[[noreturn]] void too_large(std::size_t declared, std::size_t max_bytes, const std::string& where) {
    throw CorruptDataError(where + ": a chunk that declares " + std::to_string(declared) +
                           " decoded bytes, more than its shape holds (" + std::to_string(max_bytes) + ")");
}

std::vector<std::uint8_t> blosc_decode(const std::vector<std::uint8_t>& in, std::size_t max_bytes,
                                       const std::string& where) {
    std::size_t nbytes = 0, cbytes = 0, blocksize = 0;
    if (in.size() < BLOSC_MIN_HEADER_LENGTH)
        throw CorruptDataError(where + ": a blosc chunk shorter than its header");
    blosc_cbuffer_sizes(in.data(), &nbytes, &cbytes, &blocksize);
    if (nbytes > max_bytes) too_large(nbytes, max_bytes, where);
    if (cbytes != in.size())
        throw CorruptDataError(where + ": a blosc chunk of " + std::to_string(in.size()) +
                               " bytes whose header says " + std::to_string(cbytes) +
                               " (truncated or not blosc)");
    std::vector<std::uint8_t> out(nbytes);
    if (nbytes > 0 && blosc_decompress_ctx(in.data(), out.data(), out.size(), 1) != static_cast<int>(nbytes))
        throw CorruptDataError(where + ": a blosc chunk that does not decompress");
    return out;
}

std::vector<std::uint8_t> zstd_encode(const BytesCodec& c, const std::vector<std::uint8_t>& raw) {
    std::vector<std::uint8_t> out(ZSTD_compressBound(raw.size()));
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> ctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
    ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_compressionLevel, c.level);
    ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_checksumFlag, c.checksum ? 1 : 0);
    const std::size_t n = ZSTD_compress2(ctx.get(), out.data(), out.size(), raw.data(), raw.size());
    if (ZSTD_isError(n))
        throw BackendError(std::string("zstd could not compress a chunk: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

// Streaming, so frames without a content size decode too.
std::vector<std::uint8_t> zstd_decode(const std::vector<std::uint8_t>& in, std::size_t max_bytes,
                                      const std::string& where) {
    std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    const auto known = ZSTD_getFrameContentSize(in.data(), in.size());
    if (known == ZSTD_CONTENTSIZE_ERROR) throw CorruptDataError(where + ": a chunk that is not a zstd frame");
    if (known != ZSTD_CONTENTSIZE_UNKNOWN && known > max_bytes)
        too_large(static_cast<std::size_t>(known), max_bytes, where);
    std::vector<std::uint8_t> out;
    out.reserve(known == ZSTD_CONTENTSIZE_UNKNOWN ? std::min(in.size() * 4, max_bytes)
                                                  : static_cast<std::size_t>(known));
    ZSTD_inBuffer src{in.data(), in.size(), 0};
    std::vector<std::uint8_t> buffer(ZSTD_DStreamOutSize());
    std::size_t last = 1;
    while (src.pos < src.size || last != 0) {
        ZSTD_outBuffer dst{buffer.data(), buffer.size(), 0};
        last = ZSTD_decompressStream(ctx.get(), &dst, &src);
        if (ZSTD_isError(last))
            throw CorruptDataError(where + ": a zstd chunk that does not decompress (" +
                                   ZSTD_getErrorName(last) + ")");
        out.insert(out.end(), buffer.data(), buffer.data() + dst.pos);
        if (out.size() > max_bytes) too_large(out.size(), max_bytes, where);
        if (dst.pos == 0 && src.pos == src.size && last != 0)
            throw CorruptDataError(where + ": a zstd chunk cut short");
    }
    return out;
}

std::vector<std::uint8_t> gzip_encode(const BytesCodec& c, const std::vector<std::uint8_t>& raw) {
    std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)> z(
        libdeflate_alloc_compressor(std::clamp(c.level, 1, 12)), libdeflate_free_compressor);
    std::vector<std::uint8_t> out(libdeflate_gzip_compress_bound(z.get(), raw.size()));
    out.resize(libdeflate_gzip_compress(z.get(), raw.data(), raw.size(), out.data(), out.size()));
    return out;
}

std::vector<std::uint8_t> gzip_decode(const std::vector<std::uint8_t>& in, std::size_t max_bytes,
                                      const std::string& where) {
    std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> z(
        libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
    // The gzip trailer holds the length modulo 2^32: enough for chunks (well under 4 GiB).
    if (in.size() < 18) throw CorruptDataError(where + ": a gzip chunk shorter than its header");
    std::size_t n = in[in.size() - 4] | in[in.size() - 3] << 8 | in[in.size() - 2] << 16 |
                    static_cast<std::size_t>(in[in.size() - 1]) << 24;
    if (n > max_bytes) too_large(n, max_bytes, where);
    std::vector<std::uint8_t> out(n);
    std::size_t got = 0;
    if (libdeflate_gzip_decompress(z.get(), in.data(), in.size(), out.data(), out.size(), &got) !=
        LIBDEFLATE_SUCCESS)
        throw CorruptDataError(where + ": a gzip chunk that does not decompress");
    out.resize(got);
    return out;
}

} // namespace

CodecChain parse_codecs(const Value& codecs, const std::string& where) {
    if (codecs.kind() != Value::Kind::List || codecs.as_list().empty())
        throw CorruptDataError(where + ": \"codecs\" is not a list of codecs");
    CodecChain chain;
    bool array_to_bytes = false;
    for (const Value& c : codecs.as_list()) {
        const std::string name = text_member(c, "name", "");
        const Value* config_ptr = member(c, "configuration");
        const Value config = config_ptr ? *config_ptr : Value(Map{});
        if (name == "bytes" || name == "vlen-utf8") {
            if (array_to_bytes) throw CorruptDataError(where + ": two array-to-bytes codecs");
            array_to_bytes = true;
            chain.strings = name == "vlen-utf8";
            chain.big_endian = text_member(config, "endian", "little") == "big";
        } else if (name == "blosc") {
            BytesCodec b{BytesCodec::Kind::Blosc};
            b.cname = text_member(config, "cname", "lz4");
            b.clevel = static_cast<int>(int_member(config, "clevel", 5));
            b.shuffle = shuffle_of(config, where);
            b.typesize = static_cast<int>(int_member(config, "typesize", 1));
            b.blocksize = static_cast<std::size_t>(int_member(config, "blocksize", 0));
            chain.bytes_codecs.push_back(b);
        } else if (name == "zstd") {
            BytesCodec z{BytesCodec::Kind::Zstd};
            z.level = static_cast<int>(int_member(config, "level", 0));
            const Value* checksum = member(config, "checksum");
            z.checksum = checksum && checksum->kind() == Value::Kind::Bool && checksum->as_bool();
            chain.bytes_codecs.push_back(z);
        } else if (name == "gzip") {
            BytesCodec g{BytesCodec::Kind::Gzip};
            g.level = static_cast<int>(int_member(config, "level", 5));
            chain.bytes_codecs.push_back(g);
        } else {
            throw NotSupportedError(where + ": codec '" + name +
                                    "' is not one we read (bytes, vlen-utf8, blosc, zstd, gzip)");
        }
    }
    if (!array_to_bytes) throw CorruptDataError(where + ": no bytes or vlen-utf8 codec");
    return chain;
}

Value codecs_json(const CodecChain& chain, std::size_t itemsize) {
    List out;
    if (chain.strings)
        out.push_back(codec("vlen-utf8", Value(Map{})));
    else if (itemsize == 1)
        out.push_back(codec("bytes", Value()));
    else
        out.push_back(
            codec("bytes", Value(entries({{"endian", Value(chain.big_endian ? "big" : "little")}}))));
    for (const BytesCodec& b : chain.bytes_codecs) {
        switch (b.kind) {
        case BytesCodec::Kind::Blosc: {
            static const char* const shuffles[] = {"noshuffle", "shuffle", "bitshuffle"};
            out.push_back(codec(
                "blosc", Value(entries({{"typesize", Value(std::int64_t{b.typesize})},
                                        {"cname", Value(b.cname)},
                                        {"clevel", Value(std::int64_t{b.clevel})},
                                        {"shuffle", Value(shuffles[b.shuffle])},
                                        {"blocksize", Value(static_cast<std::int64_t>(b.blocksize))}}))));
            break;
        }
        case BytesCodec::Kind::Zstd:
            out.push_back(codec("zstd", Value(entries({{"level", Value(std::int64_t{b.level})},
                                                       {"checksum", Value(b.checksum)}}))));
            break;
        case BytesCodec::Kind::Gzip:
            out.push_back(codec("gzip", Value(entries({{"level", Value(std::int64_t{b.level})}}))));
            break;
        }
    }
    return Value(std::move(out));
}

std::vector<std::uint8_t> compress(const CodecChain& chain, std::vector<std::uint8_t> raw) {
    for (const BytesCodec& b : chain.bytes_codecs) {
        switch (b.kind) {
        case BytesCodec::Kind::Blosc:
            raw = blosc_encode(b, raw);
            break;
        case BytesCodec::Kind::Zstd:
            raw = zstd_encode(b, raw);
            break;
        case BytesCodec::Kind::Gzip:
            raw = gzip_encode(b, raw);
            break;
        }
    }
    return raw;
}

std::vector<std::uint8_t> decompress_any(const CodecChain& chain, std::vector<std::uint8_t> stored,
                                         std::size_t max_bytes, const std::string& where) {
    for (auto b = chain.bytes_codecs.rbegin(); b != chain.bytes_codecs.rend(); ++b) {
        switch (b->kind) {
        case BytesCodec::Kind::Blosc:
            stored = blosc_decode(stored, max_bytes, where);
            break;
        case BytesCodec::Kind::Zstd:
            stored = zstd_decode(stored, max_bytes, where);
            break;
        case BytesCodec::Kind::Gzip:
            stored = gzip_decode(stored, max_bytes, where);
            break;
        }
    }
    return stored;
}

std::vector<std::uint8_t> decompress(const CodecChain& chain, std::vector<std::uint8_t> stored,
                                     std::size_t expected, const std::string& where) {
    // An inner stage may hold a little more than the chunk (a blosc frame of incompressible data).
    auto out = decompress_any(chain, std::move(stored), expected + expected / 8 + 4096, where);
    if (out.size() != expected)
        throw CorruptDataError(where + ": a chunk of " + std::to_string(out.size()) +
                               " bytes where its shape needs " + std::to_string(expected));
    return out;
}

std::vector<std::uint8_t> encode_strings(const std::vector<std::string>& items) {
    std::size_t n = 4;
    for (const auto& s : items)
        n += 4 + s.size();
    std::vector<std::uint8_t> out;
    out.reserve(n);
    auto u32 = [&](std::size_t v) {
        for (int k = 0; k < 4; ++k)
            out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
    };
    u32(items.size());
    for (const auto& s : items) {
        u32(s.size());
        out.insert(out.end(), s.begin(), s.end());
    }
    return out;
}

std::vector<std::string> decode_strings(const std::vector<std::uint8_t>& bytes, std::size_t expected,
                                        const std::string& where) {
    std::size_t pos = 0;
    auto u32 = [&]() -> std::size_t {
        if (bytes.size() - pos < 4) throw CorruptDataError(where + ": a vlen-utf8 chunk cut short");
        std::size_t v = 0;
        for (int k = 0; k < 4; ++k)
            v |= static_cast<std::size_t>(bytes[pos + static_cast<std::size_t>(k)]) << (8 * k);
        pos += 4;
        return v;
    };
    const std::size_t count = u32();
    if (count != expected)
        throw CorruptDataError(where + ": a vlen-utf8 chunk of " + std::to_string(count) +
                               " strings where its shape needs " + std::to_string(expected));
    std::vector<std::string> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t n = u32();
        if (bytes.size() - pos < n) throw CorruptDataError(where + ": a vlen-utf8 chunk cut short");
        out.emplace_back(reinterpret_cast<const char*>(bytes.data() + pos), n);
        pos += n;
    }
    return out;
}

void swap_bytes(std::vector<std::uint8_t>& data, std::size_t itemsize) {
    if (itemsize < 2) return;
    for (std::size_t i = 0; i + itemsize <= data.size(); i += itemsize)
        std::reverse(data.begin() + static_cast<std::ptrdiff_t>(i),
                     data.begin() + static_cast<std::ptrdiff_t>(i + itemsize));
}

} // namespace asebytes::zarr
