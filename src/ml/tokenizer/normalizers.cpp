// Normalizers of tokenizer.json: BertNormalizer, NF*, Lowercase, StripAccents, Replace, Prepend,
// Strip, Precompiled (SentencePiece charsmap) and Sequence.
#include <utf8proc.h>

#include "ml/tokenizer/components.h"
#include "ml/tokenizer/precompiled_charsmap.h"
#include "ml/tokenizer/unicode_props.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {
namespace {

using text::next_code_point;

// Maps every character (possibly to one of another UTF-8 length) keeping alignments.
void map_chars(NormalizedString& s, char32_t (*fn)(char32_t)) {
  const auto& str = s.get();
  // Nothing to do when every character maps to itself (the common case).
  bool identity = true;
  for (std::size_t pos = 0; pos < str.size() && identity;) {
    const auto c = next_code_point(str, pos);
    identity = fn(c) == c;
  }
  if (identity) return;
  bool same = true;
  for (std::size_t pos = 0; pos < str.size();) {
    const auto start = pos;
    const auto c = next_code_point(str, pos);
    std::string a;
    text::append_utf8(a, fn(c));
    if (a.size() != pos - start) {
      same = false;
      break;
    }
  }
  if (same) {
    s.map_same_length(fn);
    return;
  }
  std::vector<CharChange> changes;
  for (std::size_t pos = 0; pos < str.size();)
    changes.push_back({fn(next_code_point(str, pos)), 0});
  s.transform(changes, 0);
}

class BertNormalizer final : public Normalizer {
 public:
  BertNormalizer(bool clean_text, bool chinese, std::optional<bool> strip_accents, bool lowercase)
      : clean_text_(clean_text),
        chinese_(chinese),
        strip_accents_(strip_accents.value_or(lowercase)),
        lowercase_(lowercase) {}

  void normalize(NormalizedString& s) const override {
    if (clean_text_) {
      s.filter([](char32_t c) {
        if (c == 0 || c == 0xFFFD) return false;
        if (c == '\t' || c == '\n' || c == '\r') return true;
        return !is_other(c);
      });
      map_chars(s, [](char32_t c) -> char32_t {
        return (c == '\t' || c == '\n' || c == '\r' || is_rust_whitespace(c)) ? U' ' : c;
      });
    }
    if (chinese_) handle_chinese(s);
    if (strip_accents_) {
      s.nfd();
      s.filter([](char32_t c) { return !is_mark_nonspacing(c); });
    }
    if (lowercase_) s.lowercase();
  }

 private:
  static void handle_chinese(NormalizedString& s) {
    const auto& str = s.get();
    bool any = false;
    for (std::size_t pos = 0; pos < str.size() && !any;)
      any = is_chinese_char(next_code_point(str, pos));
    if (!any) return;
    std::vector<CharChange> changes;
    for (std::size_t pos = 0; pos < str.size();) {
      const auto c = next_code_point(str, pos);
      if (is_chinese_char(c)) {
        changes.push_back({U' ', 0});
        changes.push_back({c, 1});
        changes.push_back({U' ', 1});
      } else {
        changes.push_back({c, 0});
      }
    }
    s.transform(changes, 0);
  }

  bool clean_text_, chinese_, strip_accents_, lowercase_;
};

enum class UnicodeForm { kNFC, kNFD, kNFKC, kNFKD };

class UnicodeNormalizer final : public Normalizer {
 public:
  explicit UnicodeNormalizer(UnicodeForm form) : form_(form) {}
  void normalize(NormalizedString& s) const override {
    switch (form_) {
      case UnicodeForm::kNFC:
        s.nfc();
        break;
      case UnicodeForm::kNFD:
        s.nfd();
        break;
      case UnicodeForm::kNFKC:
        s.nfkc();
        break;
      case UnicodeForm::kNFKD:
        s.nfkd();
        break;
    }
  }

 private:
  UnicodeForm form_;
};

class LowercaseNormalizer final : public Normalizer {
 public:
  void normalize(NormalizedString& s) const override { s.lowercase(); }
};

class StripAccentsNormalizer final : public Normalizer {
 public:
  void normalize(NormalizedString& s) const override {
    s.filter([](char32_t c) { return !is_mark_nonspacing(c); });
  }
};

class ReplaceNormalizer final : public Normalizer {
 public:
  ReplaceNormalizer(Pattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void normalize(NormalizedString& s) const override {
    s.replace(pattern_.find_matches(s.get()), content_);
  }

 private:
  Pattern pattern_;
  std::string content_;
};

class PrependNormalizer final : public Normalizer {
 public:
  explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}
  void normalize(NormalizedString& s) const override {
    if (!s.empty()) s.prepend(prefix_);
  }

 private:
  std::string prefix_;
};

class StripNormalizer final : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void normalize(NormalizedString& s) const override { s.strip(left_, right_); }

 private:
  bool left_, right_;
};

class PrecompiledNormalizer final : public Normalizer {
 public:
  explicit PrecompiledNormalizer(PrecompiledCharsmap map) : map_(std::move(map)) {}

  // Per grapheme cluster (shorter than 6 bytes) try the whole cluster, else each character,
  // as tokenizers' Precompiled normalizer does.
  void normalize(NormalizedString& s) const override {
    const auto& str = s.get();
    std::vector<CharChange> changes;
    changes.reserve(str.size());
    bool modified = false;
    std::size_t pos = 0;
    utf8proc_int32_t state = 0;
    while (pos < str.size()) {
      // Find the end of the grapheme cluster starting at pos.
      std::size_t end = pos;
      char32_t prev = next_code_point(str, end);
      while (end < str.size()) {
        std::size_t peek = end;
        const auto c = next_code_point(str, peek);
        if (utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(prev),
                                             static_cast<utf8proc_int32_t>(c), &state)) {
          break;
        }
        prev = c;
        end = peek;
      }
      const std::string_view grapheme(str.data() + pos, end - pos);
      if (grapheme.size() < 6) {
        if (const auto norm = map_.transform(grapheme)) {
          modified = true;
          replace(changes, grapheme, *norm);
          pos = end;
          continue;
        }
      }
      for (std::size_t p = 0; p < grapheme.size();) {
        const auto start = p;
        const auto c = next_code_point(grapheme, p);
        const auto part = grapheme.substr(start, p - start);
        if (const auto norm = map_.transform(part)) {
          modified = true;
          replace(changes, part, *norm);
        } else {
          changes.push_back({c, 0});
        }
      }
      pos = end;
    }
    if (modified) s.transform(changes, 0);
  }

 private:
  static void replace(std::vector<CharChange>& changes, std::string_view old_part,
                      std::string_view new_part) {
    long old_count = 0, new_count = 0;
    for (std::size_t p = 0; p < old_part.size(); ++old_count) next_code_point(old_part, p);
    for (std::size_t p = 0; p < new_part.size(); ++new_count)
      changes.push_back({next_code_point(new_part, p), 0});
    const long diff = new_count - old_count;
    if (diff > 0) {
      for (long i = 0; i < diff; ++i)
        changes[changes.size() - 1 - static_cast<std::size_t>(i)].change = 1;
    } else if (diff < 0 && !changes.empty()) {
      changes.back().change += static_cast<int>(diff);
    }
  }

  PrecompiledCharsmap map_;
};

class SequenceNormalizer final : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> parts)
      : parts_(std::move(parts)) {}
  void normalize(NormalizedString& s) const override {
    for (const auto& p : parts_) p->normalize(s);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> parts_;
};

std::optional<bool> optional_bool(const Json& j, const char* key, const JsonContext& ctx) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return ctx.get_bool(j, key, false);
}

}  // namespace

std::unique_ptr<Normalizer> make_normalizer(const Json& j, const JsonContext& ctx) {
  const auto type = ctx.get_string(j, "type");
  if (type == "BertNormalizer") {
    return std::make_unique<BertNormalizer>(
        ctx.get_bool(j, "clean_text", true), ctx.get_bool(j, "handle_chinese_chars", true),
        optional_bool(j, "strip_accents", ctx), ctx.get_bool(j, "lowercase", true));
  }
  if (type == "NFC") return std::make_unique<UnicodeNormalizer>(UnicodeForm::kNFC);
  if (type == "NFD") return std::make_unique<UnicodeNormalizer>(UnicodeForm::kNFD);
  if (type == "NFKC") return std::make_unique<UnicodeNormalizer>(UnicodeForm::kNFKC);
  if (type == "NFKD") return std::make_unique<UnicodeNormalizer>(UnicodeForm::kNFKD);
  if (type == "Lowercase") return std::make_unique<LowercaseNormalizer>();
  if (type == "StripAccents") return std::make_unique<StripAccentsNormalizer>();
  if (type == "Replace") {
    return std::make_unique<ReplaceNormalizer>(
        Pattern::from_json(ctx.field(j, "pattern"), ctx.at("pattern")),
        ctx.get_string(j, "content"));
  }
  if (type == "Prepend") return std::make_unique<PrependNormalizer>(ctx.get_string(j, "prepend"));
  if (type == "Strip") {
    return std::make_unique<StripNormalizer>(ctx.get_bool(j, "strip_left", false),
                                             ctx.get_bool(j, "strip_right", false));
  }
  if (type == "Precompiled") {
    const auto& v = ctx.field(j, "precompiled_charsmap");
    if (v.is_null())
      return std::make_unique<SequenceNormalizer>(std::vector<std::unique_ptr<Normalizer>>{});
    return std::make_unique<PrecompiledNormalizer>(PrecompiledCharsmap::from_base64(
        ctx.get_string(j, "precompiled_charsmap"), ctx.at("precompiled_charsmap")));
  }
  if (type == "Sequence") {
    const auto& list = ctx.field(j, "normalizers");
    if (!list.is_array()) ctx.at("normalizers").fail("expected an array");
    std::vector<std::unique_ptr<Normalizer>> parts;
    for (std::size_t i = 0; i < list.size(); ++i)
      parts.push_back(make_normalizer(list[i], ctx.at("normalizers").at(i)));
    return std::make_unique<SequenceNormalizer>(std::move(parts));
  }
  ctx.fail("unsupported normalizer type '" + type +
           "' (supported: BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Replace, "
           "Prepend, "
           "Strip, Precompiled, Sequence)");
}

}  // namespace spanloop::ml::tok
