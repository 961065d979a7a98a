// NormalizedString: alignment bookkeeping that mirrors tokenizers' NormalizedString.
#include "ml/tokenizer/normalized_string.h"

#include <utf8proc.h>

#include <algorithm>

#include "ml/tokenizer/unicode_props.h"
#include "text/unicode.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {

using text::append_utf8;
using text::next_code_point;
using text::utf8_sequence_length;

NormalizedString::NormalizedString(std::string_view text, std::uint32_t original_begin)
    : normalized_(text),
      original_begin_(original_begin),
      original_end_(original_begin + static_cast<std::uint32_t>(text.size())) {
  align_.resize(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto len = utf8_sequence_length(static_cast<unsigned char>(text[pos]));
    const Span span{original_begin + static_cast<std::uint32_t>(pos),
                    original_begin + static_cast<std::uint32_t>(pos + len)};
    for (std::size_t i = 0; i < len && pos + i < text.size(); ++i) align_[pos + i] = span;
    pos += len;
  }
}

std::optional<Span> NormalizedString::to_original(std::uint32_t begin, std::uint32_t end) const {
  // tokenizers returns an empty target unchanged, i.e. read as an offset into this piece.
  if (begin == end) return Span{original_begin_ + begin, original_begin_ + end};
  if (begin > end || end > align_.size()) return std::nullopt;
  return Span{align_[begin].first, align_[end - 1].second};
}

NormalizedString NormalizedString::slice(std::uint32_t begin, std::uint32_t end) const {
  NormalizedString out;
  out.normalized_.assign(normalized_, begin, end - begin);
  out.align_.assign(align_.begin() + begin, align_.begin() + end);
  if (const auto span = to_original(begin, end)) {
    out.original_begin_ = span->first;
    out.original_end_ = span->second;
  }
  return out;
}

void NormalizedString::transform_range(std::uint32_t begin, std::uint32_t end,
                                       const std::vector<CharChange>& changes,
                                       std::size_t initial_removed) {
  // Byte lengths of the characters being replaced, consumed as the changes say.
  std::vector<std::uint8_t> old_lens;
  for (std::size_t p = begin; p < end;) {
    const auto len = utf8_sequence_length(static_cast<unsigned char>(normalized_[p]));
    old_lens.push_back(static_cast<std::uint8_t>(len));
    p += len;
  }
  std::size_t next_old = 0;
  std::size_t offset = begin;
  for (; next_old < initial_removed && next_old < old_lens.size(); ++next_old)
    offset += old_lens[next_old];

  std::string out;
  std::vector<Span> out_align;
  out.reserve(end - begin + changes.size());
  out_align.reserve(end - begin + changes.size());
  const Span fallback{original_end_, original_end_};
  for (const auto& [c, change] : changes) {
    Span align;
    if (change > 0) {
      align = offset < 1 ? Span{original_begin_, original_begin_}
                         : (offset - 1 < align_.size() ? align_[offset - 1] : fallback);
    } else {
      align = offset < align_.size() ? align_[offset] : fallback;
      if (next_old < old_lens.size()) offset += old_lens[next_old++];
      for (int r = 0; r < -change && next_old < old_lens.size(); ++r)
        offset += old_lens[next_old++];
    }
    const auto before = out.size();
    append_utf8(out, c);
    out_align.insert(out_align.end(), out.size() - before, align);
  }
  normalized_.replace(begin, end - begin, out);
  align_.erase(align_.begin() + begin, align_.begin() + end);
  align_.insert(align_.begin() + begin, out_align.begin(), out_align.end());
}

void NormalizedString::map_same_length(const std::function<char32_t(char32_t)>& fn) {
  std::string out;
  out.reserve(normalized_.size());
  for (std::size_t pos = 0; pos < normalized_.size();) {
    const auto c = next_code_point(normalized_, pos);
    append_utf8(out, fn(c));
  }
  normalized_ = std::move(out);
}

void NormalizedString::filter(const std::function<bool(char32_t)>& keep) {
  bool any = false;
  for (std::size_t pos = 0; pos < normalized_.size() && !any;)
    any = !keep(next_code_point(normalized_, pos));
  if (!any) return;
  std::vector<CharChange> changes;
  changes.reserve(normalized_.size());
  int removed = 0;
  std::size_t removed_start = 0;
  bool any_removed = false;
  std::optional<char32_t> last;
  for (std::size_t pos = 0; pos < normalized_.size();) {
    const auto c = next_code_point(normalized_, pos);
    if (keep(c)) {
      if (last) {
        changes.push_back({*last, -removed});
      } else {
        removed_start = static_cast<std::size_t>(removed);
      }
      last = c;
      removed = 0;
    } else {
      ++removed;
      any_removed = true;
    }
  }
  if (!any_removed) return;
  if (last) changes.push_back({*last, -removed});
  if (!last) removed_start = static_cast<std::size_t>(removed);
  transform(changes, removed_start);
}

void NormalizedString::prepend(std::string_view s) {
  if (normalized_.empty()) return;
  std::size_t pos = 0;
  const auto next = next_code_point(normalized_, pos);
  std::vector<CharChange> changes;
  bool first = true;
  for (std::size_t p = 0; p < s.size();) {
    changes.push_back({next_code_point(s, p), first ? 0 : 1});
    first = false;
  }
  changes.push_back({next, 1});
  transform_range(0, static_cast<std::uint32_t>(pos), changes, 0);
}

void NormalizedString::append(std::string_view s) {
  if (normalized_.empty()) return;
  std::size_t last_begin = normalized_.size() - 1;
  while (last_begin > 0 && (static_cast<unsigned char>(normalized_[last_begin]) & 0xC0) == 0x80)
    --last_begin;
  std::size_t pos = last_begin;
  const auto prev = next_code_point(normalized_, pos);
  std::vector<CharChange> changes{{prev, 0}};
  for (std::size_t p = 0; p < s.size();) changes.push_back({next_code_point(s, p), 1});
  transform_range(static_cast<std::uint32_t>(last_begin),
                  static_cast<std::uint32_t>(normalized_.size()), changes, 0);
}

void NormalizedString::lowercase() {
  bool same_length = true;
  for (std::size_t pos = 0; pos < normalized_.size();) {
    const auto start = pos;
    const auto c = next_code_point(normalized_, pos);
    if (c < 0x80) continue;
    if (c == 0x130) {
      same_length = false;
      break;
    }
    std::string tmp;
    append_utf8(tmp, text::to_lower(c));
    if (tmp.size() != pos - start) {
      same_length = false;
      break;
    }
  }
  if (same_length) {
    // ASCII fast path in place; other characters keep their byte length.
    bool ascii = std::all_of(normalized_.begin(), normalized_.end(),
                             [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
    if (ascii) {
      for (auto& ch : normalized_)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      return;
    }
    map_same_length([](char32_t c) { return text::to_lower(c); });
    return;
  }
  std::vector<CharChange> changes;
  for (std::size_t pos = 0; pos < normalized_.size();) {
    const auto c = next_code_point(normalized_, pos);
    if (c == 0x130) {  // the one unconditional multi-character lowercase mapping
      changes.push_back({U'i', 0});
      changes.push_back({0x307, 1});
    } else {
      changes.push_back({text::to_lower(c), 0});
    }
  }
  transform(changes, 0);
}

void NormalizedString::strip(bool left, bool right) {
  std::vector<char32_t> chars;
  for (std::size_t pos = 0; pos < normalized_.size();)
    chars.push_back(next_code_point(normalized_, pos));
  std::size_t leading = 0, trailing = 0;
  if (left)
    while (leading < chars.size() && is_rust_whitespace(chars[leading])) ++leading;
  if (right)
    while (trailing < chars.size() && is_rust_whitespace(chars[chars.size() - 1 - trailing]))
      ++trailing;
  if (leading == 0 && trailing == 0) return;
  std::vector<CharChange> changes;
  const std::size_t n = chars.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i < leading || i + trailing >= n) continue;
    changes.push_back({chars[i], i + trailing + 1 == n ? -static_cast<int>(trailing) : 0});
  }
  transform(changes, leading);
}

namespace {

bool is_segment_boundary(std::string_view segment, char32_t c, int options) {
  if (c < 0x80 || segment.empty()) return true;
  if (utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->combining_class != 0) return false;
  auto norm = [&](std::string_view s) {
    utf8proc_uint8_t* out = nullptr;
    const auto len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                  static_cast<utf8proc_ssize_t>(s.size()), &out,
                                  static_cast<utf8proc_option_t>(options));
    std::string r = len < 0 ? std::string(s) : std::string(reinterpret_cast<char*>(out), len);
    std::free(out);
    return r;
  };
  std::string cs;
  append_utf8(cs, c);
  std::string joined(segment);
  joined += cs;
  return norm(joined) == norm(segment) + norm(cs);
}

}  // namespace

void NormalizedString::unicode_normalize(bool compose, bool compat) {
  if (std::all_of(normalized_.begin(), normalized_.end(),
                  [](char ch) { return static_cast<unsigned char>(ch) < 0x80; })) {
    return;  // ASCII is invariant under every normalization form
  }
  int options = UTF8PROC_STABLE | (compose ? UTF8PROC_COMPOSE : UTF8PROC_DECOMPOSE);
  if (compat) options |= UTF8PROC_COMPAT;
  // Cut the text into segments that normalize independently, then align each segment's output
  // to its input: the first outputs replace inputs, extra outputs are insertions, and a shorter
  // output removes the rest with its last character.
  std::vector<CharChange> changes;
  std::size_t initial_removed = 0;
  bool changed = false;
  auto flush = [&](std::string_view seg) {
    if (seg.empty()) return;
    std::size_t n = 0;
    for (std::size_t p = 0; p < seg.size();
         p += utf8_sequence_length(static_cast<unsigned char>(seg[p])))
      ++n;
    std::string out;
    if (seg.size() == 1) {
      out = std::string(seg);
    } else {
      utf8proc_uint8_t* buf = nullptr;
      const auto len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(seg.data()),
                                    static_cast<utf8proc_ssize_t>(seg.size()), &buf,
                                    static_cast<utf8proc_option_t>(options));
      out = len < 0 ? std::string(seg) : std::string(reinterpret_cast<char*>(buf), len);
      std::free(buf);
    }
    if (out != seg) changed = true;
    std::vector<char32_t> outs;
    for (std::size_t p = 0; p < out.size();) outs.push_back(next_code_point(out, p));
    const std::size_t k = outs.size();
    if (k == 0) {
      if (changes.empty()) {
        initial_removed += n;
      } else {
        changes.back().change -= static_cast<int>(n);
      }
      return;
    }
    for (std::size_t j = 0; j < k; ++j) {
      int ch = 0;
      if (j >= n) ch = 1;
      if (k < n && j + 1 == k) ch = -static_cast<int>(n - k);
      changes.push_back({outs[j], ch});
    }
  };
  std::size_t seg_begin = 0;
  for (std::size_t pos = 0; pos < normalized_.size();) {
    const auto start = pos;
    const auto c = next_code_point(normalized_, pos);
    const std::string_view seg(normalized_.data() + seg_begin, start - seg_begin);
    if (is_segment_boundary(seg, c, options)) {
      flush(seg);
      seg_begin = start;
    }
  }
  flush(std::string_view(normalized_).substr(seg_begin));
  if (changed) transform(changes, initial_removed);
}

void NormalizedString::replace(const std::vector<Match>& matches, std::string_view content) {
  // One pass with the result of tokenizers' match-by-match transform_range: the content of a
  // match takes the alignment of the last character it replaces (of the character before it
  // for an empty match).
  if (std::none_of(matches.begin(), matches.end(), [](const Match& m) { return m.is_match; }))
    return;
  std::string out;
  std::vector<Span> out_align;
  out.reserve(normalized_.size() + content.size());
  out_align.reserve(normalized_.size() + content.size());
  std::uint32_t copied = 0;
  for (const auto& m : matches) {
    if (!m.is_match) continue;
    out.append(normalized_, copied, m.begin - copied);
    out_align.insert(out_align.end(), align_.begin() + copied, align_.begin() + m.begin);
    Span span;
    if (m.end > m.begin) {
      span = align_[m.end - 1];
    } else {
      span = out_align.empty() ? Span{original_begin_, original_begin_} : out_align.back();
    }
    out.append(content);
    out_align.insert(out_align.end(), content.size(), span);
    copied = m.end;
  }
  out.append(normalized_, copied, std::string::npos);
  out_align.insert(out_align.end(), align_.begin() + copied, align_.end());
  normalized_ = std::move(out);
  align_ = std::move(out_align);
}

std::vector<NormalizedString> NormalizedString::split(const std::vector<Match>& matches,
                                                      SplitBehavior behavior) const {
  struct Piece {
    std::uint32_t b, e;
    bool remove;
  };
  std::vector<Piece> pieces;
  switch (behavior) {
    case SplitBehavior::kIsolated:
      for (const auto& m : matches) pieces.push_back({m.begin, m.end, false});
      break;
    case SplitBehavior::kRemoved:
      for (const auto& m : matches) pieces.push_back({m.begin, m.end, m.is_match});
      break;
    case SplitBehavior::kContiguous: {
      bool prev = false;
      for (const auto& m : matches) {
        if (m.is_match == prev && !pieces.empty()) {
          pieces.back().e = m.end;
        } else {
          pieces.push_back({m.begin, m.end, false});
        }
        prev = m.is_match;
      }
      break;
    }
    case SplitBehavior::kMergedWithPrevious: {
      bool prev = false;
      for (const auto& m : matches) {
        if (m.is_match && !prev && !pieces.empty()) {
          pieces.back().e = m.end;
        } else {
          pieces.push_back({m.begin, m.end, false});
        }
        prev = m.is_match;
      }
      break;
    }
    case SplitBehavior::kMergedWithNext: {
      bool prev = false;
      for (auto it = matches.rbegin(); it != matches.rend(); ++it) {
        if (it->is_match && !prev && !pieces.empty()) {
          pieces.back().b = it->begin;
        } else {
          pieces.push_back({it->begin, it->end, false});
        }
        prev = it->is_match;
      }
      std::reverse(pieces.begin(), pieces.end());
      break;
    }
  }
  std::vector<NormalizedString> out;
  out.reserve(pieces.size());
  for (const auto& p : pieces)
    if (!p.remove) out.push_back(slice(p.b, p.e));
  return out;
}

std::vector<Match> find_string_matches(std::string_view s, std::string_view needle) {
  const auto n = static_cast<std::uint32_t>(s.size());
  if (needle.empty()) return {{0, n, false}};
  if (s.empty()) return {{0, 0, false}};
  std::vector<Match> out;
  std::uint32_t prev = 0;
  for (std::size_t pos = s.find(needle); pos != std::string_view::npos; pos = s.find(needle, pos)) {
    const auto b = static_cast<std::uint32_t>(pos);
    if (prev != b) out.push_back({prev, b, false});
    pos += needle.size();
    out.push_back({b, static_cast<std::uint32_t>(pos), true});
    prev = static_cast<std::uint32_t>(pos);
  }
  if (prev != n) out.push_back({prev, n, false});
  return out;
}

std::vector<Match> invert_matches(std::vector<Match> m) {
  for (auto& x : m) x.is_match = !x.is_match;
  return m;
}

}  // namespace spanloop::ml::tok
