// UTF-8 validation, decoding and code point <-> byte offset maps used by every module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::text {

// Byte offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and values above U+10FFFF are invalid), or nullopt when the whole input is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view bytes);

// Throws InvalidArgument "invalid UTF-8 in <what> at byte N" when bytes is not valid UTF-8.
void validate_utf8(std::string_view bytes, std::string_view what);

// Decodes the code point starting at bytes[pos] and advances pos past it. The input must be
// valid UTF-8 (validate first at the boundary).
inline char32_t next_code_point(std::string_view bytes, std::size_t& pos) {
  const auto b0 = static_cast<unsigned char>(bytes[pos]);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  auto cont = [&](std::size_t i) { return static_cast<char32_t>(bytes[pos + i] & 0x3F); };
  char32_t cp;
  if (b0 < 0xE0) {
    cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | cont(1);
    pos += 2;
  } else if (b0 < 0xF0) {
    cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2);
    pos += 3;
  } else {
    cp = (static_cast<char32_t>(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
    pos += 4;
  }
  return cp;
}

// Number of bytes of the UTF-8 sequence whose first byte is lead (1 for ASCII and for stray
// continuation bytes, so loops always advance).
inline std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

void append_utf8(std::string& out, char32_t cp);
std::string to_utf8(std::u32string_view code_points);
std::u32string to_u32(std::string_view utf8);  // input must be valid UTF-8
std::size_t count_code_points(std::string_view utf8);  // input must be valid UTF-8

// Maps code point indices to byte offsets and back in O(1), after one pass over the text.
// ASCII-only text needs no tables. Index n (one past the last code point) maps to size().
class CodepointIndex {
 public:
  explicit CodepointIndex(std::string_view utf8);  // input must be valid UTF-8

  std::size_t size_code_points() const { return cp_count_; }
  std::size_t size_bytes() const { return byte_count_; }
  // Byte offset where code point cp starts; cp <= size_code_points().
  std::size_t byte_of(std::size_t cp) const { return ascii_ ? cp : byte_of_cp_[cp]; }
  // Index of the code point that contains byte b; b <= size_bytes().
  std::size_t cp_of(std::size_t b) const { return ascii_ ? b : cp_of_byte_[b]; }

 private:
  bool ascii_ = true;
  std::size_t cp_count_ = 0;
  std::size_t byte_count_ = 0;
  std::vector<std::uint32_t> byte_of_cp_;
  std::vector<std::uint32_t> cp_of_byte_;
};

// The substring of utf8 between code point indices [cp_begin, cp_end), clamped to the text.
std::string_view substr_code_points(std::string_view utf8, const CodepointIndex& index,
                                    std::size_t cp_begin, std::size_t cp_end);

}  // namespace spanloop::text
