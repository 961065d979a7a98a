// UTF-8 validation and offset maps.
#include "text/utf8.h"

#include <algorithm>

#include "text/error.h"

namespace spanloop::text {

std::optional<std::size_t> find_invalid_utf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    // Fast path: 8 ASCII bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t word;
      std::copy_n(s + i, 8, reinterpret_cast<unsigned char*>(&word));
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlong forms
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::nullopt;
}

void validate_utf8(std::string_view bytes, std::string_view what) {
  if (auto bad = find_invalid_utf8(bytes)) {
    throw Error(ErrorKind::kInvalidArgument,
                "invalid UTF-8 in " + std::string(what) + " at byte " + std::to_string(*bad));
  }
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string to_utf8(std::u32string_view code_points) {
  std::string out;
  out.reserve(code_points.size());
  for (char32_t cp : code_points) append_utf8(out, cp);
  return out;
}

std::u32string to_u32(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (std::size_t pos = 0; pos < utf8.size();) out.push_back(next_code_point(utf8, pos));
  return out;
}

std::size_t count_code_points(std::string_view utf8) {
  // Every byte that is not a continuation byte starts a code point.
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

CodepointIndex::CodepointIndex(std::string_view utf8) : byte_count_(utf8.size()) {
  ascii_ = std::all_of(utf8.begin(), utf8.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii_) {
    cp_count_ = utf8.size();
    return;
  }
  byte_of_cp_.reserve(utf8.size() + 1);
  cp_of_byte_.resize(utf8.size() + 1);
  for (std::size_t b = 0; b < utf8.size(); ++b) {
    if ((static_cast<unsigned char>(utf8[b]) & 0xC0) != 0x80) {
      byte_of_cp_.push_back(static_cast<std::uint32_t>(b));
    }
    cp_of_byte_[b] = static_cast<std::uint32_t>(byte_of_cp_.size() - 1);
  }
  cp_count_ = byte_of_cp_.size();
  byte_of_cp_.push_back(static_cast<std::uint32_t>(utf8.size()));
  cp_of_byte_[utf8.size()] = static_cast<std::uint32_t>(cp_count_);
}

std::string_view substr_code_points(std::string_view utf8, const CodepointIndex& index,
                                    std::size_t cp_begin, std::size_t cp_end) {
  cp_end = std::min(cp_end, index.size_code_points());
  cp_begin = std::min(cp_begin, cp_end);
  const std::size_t b = index.byte_of(cp_begin);
  return utf8.substr(b, index.byte_of(cp_end) - b);
}

}  // namespace spanloop::text
