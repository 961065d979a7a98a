// Lookup in SentencePiece's precompiled charsmap (Darts-clone double array layout).
#include "ml/tokenizer/precompiled_charsmap.h"

#include "ml/tokenizer/components.h"

namespace spanloop::ml::tok {
namespace {

// Darts-clone unit fields.
bool has_leaf(std::uint32_t u) {
  return ((u >> 8) & 1) == 1;
}
std::uint32_t value(std::uint32_t u) {
  return u & ((1u << 31) - 1);
}
std::uint32_t label(std::uint32_t u) {
  return u & ((1u << 31) | 0xFF);
}
std::uint32_t offset(std::uint32_t u) {
  return (u >> 10) << ((u & (1u << 9)) >> 6);
}

}  // namespace

std::string base64_decode(std::string_view in, const JsonContext& ctx) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '=') break;
    if (c == '\n' || c == '\r') continue;
    const int v = val(c);
    if (v < 0) ctx.fail("invalid base64 character at position " + std::to_string(i));
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

PrecompiledCharsmap PrecompiledCharsmap::from_base64(std::string_view b64, const JsonContext& ctx) {
  return from_bytes(base64_decode(b64, ctx), ctx);
}

PrecompiledCharsmap PrecompiledCharsmap::from_bytes(std::string_view blob, const JsonContext& ctx) {
  if (blob.size() < 4)
    ctx.fail("precompiled charsmap is truncated (" + std::to_string(blob.size()) + " bytes)");
  auto u32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(blob[at])) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(blob[at + 1])) << 8) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(blob[at + 2])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(blob[at + 3])) << 24);
  };
  const std::uint32_t trie_bytes = u32(0);
  if (trie_bytes % 4 != 0 || 4 + static_cast<std::size_t>(trie_bytes) > blob.size() ||
      trie_bytes == 0) {
    ctx.fail("precompiled charsmap declares a trie of " + std::to_string(trie_bytes) +
             " bytes but has " + std::to_string(blob.size() - 4));
  }
  PrecompiledCharsmap m;
  m.units_.resize(trie_bytes / 4);
  for (std::size_t i = 0; i < m.units_.size(); ++i) m.units_[i] = u32(4 + i * 4);
  m.normalized_.assign(blob.substr(4 + trie_bytes));
  return m;
}

std::optional<std::string_view> PrecompiledCharsmap::transform(std::string_view chunk) const {
  std::size_t node = 0;
  const std::size_t n = units_.size();
  node ^= offset(units_[0]);
  for (const char ch : chunk) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) break;
    node ^= c;
    if (node >= n) return std::nullopt;
    const auto unit = units_[node];
    if (label(unit) != c) return std::nullopt;
    node ^= offset(unit);
    if (node >= n) return std::nullopt;
    if (has_leaf(unit)) {
      const auto index = value(units_[node]);
      if (index >= normalized_.size()) return std::nullopt;
      const auto end = normalized_.find('\0', index);
      return std::string_view(normalized_)
          .substr(index, (end == std::string::npos ? normalized_.size() : end) - index);
    }
  }
  return std::nullopt;
}

}  // namespace spanloop::ml::tok
