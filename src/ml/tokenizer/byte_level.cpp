// GPT-2 byte-level helpers: the byte <-> printable character table and the GPT-2 split pattern.
#include <array>

#include "ml/tokenizer/components.h"
#include "ml/tokenizer/unicode_props.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {
namespace {

struct ByteTable {
  std::array<char32_t, 256> to_char{};
  ByteTable() {
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable =
          (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
      to_char[b] = printable ? static_cast<char32_t>(b) : next++;
    }
  }
};

const ByteTable& table() {
  static const ByteTable t;
  return t;
}

}  // namespace

char32_t byte_to_char(std::uint8_t b) {
  return table().to_char[b];
}

std::optional<std::uint8_t> char_to_byte(char32_t c) {
  if (c < 256) {
    const bool printable =
        (c >= 33 && c <= 126) || (c >= 161 && c <= 172) || (c >= 174 && c <= 255);
    if (printable) return static_cast<std::uint8_t>(c);
    return std::nullopt;
  }
  for (int b = 0; b < 256; ++b)
    if (table().to_char[b] == c) return static_cast<std::uint8_t>(b);
  return std::nullopt;
}

// The pattern is tried alternative by alternative at each position, like the backtracking
// regex engine tokenizers uses; every character is covered by some alternative.
std::vector<Match> gpt2_split(std::string_view s) {
  std::vector<Match> out;
  if (s.empty()) return {{0, 0, false}};
  std::vector<char32_t> cps;
  std::vector<std::uint32_t> at;  // byte offset of each code point, plus the end
  cps.reserve(s.size());
  at.reserve(s.size() + 1);
  for (std::size_t pos = 0; pos < s.size();) {
    at.push_back(static_cast<std::uint32_t>(pos));
    cps.push_back(text::next_code_point(s, pos));
  }
  at.push_back(static_cast<std::uint32_t>(s.size()));
  const std::size_t n = cps.size();
  auto is_space = [&](std::size_t i) { return is_rust_whitespace(cps[i]); };
  auto other = [&](std::size_t i) {
    return !is_space(i) && !is_letter(cps[i]) && !is_number(cps[i]);
  };
  std::size_t i = 0;
  while (i < n) {
    std::size_t end = i;
    const char32_t c = cps[i];
    // 's|'t|'re|'ve|'m|'ll|'d
    if (c == U'\'' && i + 1 < n) {
      const char32_t a = cps[i + 1];
      if (a == U's' || a == U't' || a == U'm' || a == U'd') {
        end = i + 2;
      } else if (i + 2 < n &&
                 ((a == U'r' && cps[i + 2] == U'e') || (a == U'v' && cps[i + 2] == U'e') ||
                  (a == U'l' && cps[i + 2] == U'l'))) {
        end = i + 3;
      }
    }
    if (end == i) {
      const std::size_t j = (c == U' ' && i + 1 < n) ? i + 1 : i;  // optional leading space
      auto run = [&](auto pred) {
        std::size_t k = j;
        while (k < n && pred(k)) ++k;
        return k;
      };
      std::size_t k = run([&](std::size_t x) { return is_letter(cps[x]); });
      if (k == j) k = run([&](std::size_t x) { return is_number(cps[x]); });
      if (k == j) k = run(other);
      if (k > j) {
        end = k;
      } else if (is_space(i)) {
        std::size_t r = i;
        while (r < n && is_space(r)) ++r;
        // \s+(?!\S): give back the last space when a non-space follows; else \s+.
        end = (r < n && r - i > 1) ? r - 1 : r;
      } else {
        end = i + 1;  // unreachable in practice: every character matches one alternative
      }
    }
    out.push_back({at[i], at[end], true});
    i = end;
  }
  return out;
}

}  // namespace spanloop::ml::tok
