#pragma once
// Unsigned decimal numbers in text that must hold exactly one (LMDB's counters, backend options,
// extxyz atom counts): one strict reading, so a sign, a space or an overflow is never accepted in
// one place and refused in another.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace asebytes {

/// The number `text` spells in decimal digits alone; nullopt for anything else (empty, a sign,
/// spaces, other characters, more than UINT64_MAX).
inline std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
    std::uint64_t n = 0;
    if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return n;
}

} // namespace asebytes
