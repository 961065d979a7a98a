// NormalizedString: a piece of normalized text that remembers, for every normalized byte, the
// original byte range it came from (tokenizers' NormalizedString), so offsets survive
// normalization.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/utf8.h"

namespace spanloop::ml::tok {

// Byte offsets [first, second) into the whole original text.
using Span = std::pair<std::uint32_t, std::uint32_t>;

// One normalized character and how it relates to the current ones: 0 replaces the next current
// character, +1 is inserted, -N replaces the next one and removes N more after it.
struct CharChange {
  char32_t c;
  int change;
};

// A match list over a normalized string: byte ranges covering it, flagged when they matched.
struct Match {
  std::uint32_t begin, end;
  bool is_match;
};

enum class SplitBehavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

class NormalizedString {
 public:
  NormalizedString() = default;
  // A fresh string over original[begin, begin + text.size()): normalized == original.
  NormalizedString(std::string_view text, std::uint32_t original_begin);

  const std::string& get() const { return normalized_; }
  bool empty() const { return normalized_.empty(); }
  std::uint32_t original_begin() const { return original_begin_; }
  std::uint32_t original_end() const { return original_end_; }
  const std::vector<Span>& alignments() const { return align_; }

  // Normalized byte range -> original byte range (absolute), as convert_offsets(Normalized(..)).
  std::optional<Span> to_original(std::uint32_t begin, std::uint32_t end) const;
  // The sub-string over normalized bytes [begin, end) (char boundaries).
  NormalizedString slice(std::uint32_t begin, std::uint32_t end) const;

  // Replaces normalized bytes [begin, end) with `changes` (see CharChange); initial_removed
  // characters at the start of the range are dropped first.
  void transform_range(std::uint32_t begin, std::uint32_t end,
                       const std::vector<CharChange>& changes, std::size_t initial_removed);
  void transform(const std::vector<CharChange>& changes, std::size_t initial_removed) {
    transform_range(0, static_cast<std::uint32_t>(normalized_.size()), changes, initial_removed);
  }
  // Replaces each character by one of the same UTF-8 length in place (alignments unchanged).
  void map_same_length(const std::function<char32_t(char32_t)>& fn);
  void filter(const std::function<bool(char32_t)>& keep);
  void prepend(std::string_view s);
  void append(std::string_view s);
  void lowercase();
  void strip(bool left, bool right);
  void nfd() { unicode_normalize(false, false); }
  void nfkd() { unicode_normalize(false, true); }
  void nfc() { unicode_normalize(true, false); }
  void nfkc() { unicode_normalize(true, true); }
  // Replaces every match (is_match ranges) with content.
  void replace(const std::vector<Match>& matches, std::string_view content);
  // Splits on the matches with the given delimiter behaviour; empty pieces are kept (callers
  // drop them, as PreTokenizedString::split does).
  std::vector<NormalizedString> split(const std::vector<Match>& matches,
                                      SplitBehavior behavior) const;

 private:
  void unicode_normalize(bool compose, bool compat);

  std::string normalized_;
  std::vector<Span> align_;  // one per normalized byte
  std::uint32_t original_begin_ = 0, original_end_ = 0;
};

// Match helpers (tokenizers' Pattern::find_matches).
template <typename Pred>
std::vector<Match> find_char_matches(std::string_view s, Pred&& pred) {
  std::vector<Match> out;
  std::uint32_t last_offset = 0, last_seen = 0;
  for (std::size_t pos = 0; pos < s.size();) {
    const auto b = static_cast<std::uint32_t>(pos);
    const auto c = text::next_code_point(s, pos);
    last_seen = static_cast<std::uint32_t>(pos);
    if (pred(c)) {
      if (last_offset < b) out.push_back({last_offset, b, false});
      out.push_back({b, static_cast<std::uint32_t>(pos), true});
      last_offset = static_cast<std::uint32_t>(pos);
    }
  }
  if (last_seen > last_offset) out.push_back({last_offset, last_seen, false});
  return out;
}
std::vector<Match> find_string_matches(std::string_view s, std::string_view needle);
std::vector<Match> invert_matches(std::vector<Match> m);

}  // namespace spanloop::ml::tok
