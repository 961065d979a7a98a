// Pre-tokenizers of tokenizer.json: BertPreTokenizer, Whitespace, WhitespaceSplit, ByteLevel,
// Metaspace, Punctuation, Split, Digits and Sequence.
#include "ml/tokenizer/components.h"
#include "ml/tokenizer/unicode_props.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {
namespace {

using text::next_code_point;

// Applies fn to every split that has no tokens yet, replacing it by the non-empty pieces.
template <typename Fn>
void split_each(std::vector<Split>& splits, Fn&& fn) {
  std::vector<Split> out;
  out.reserve(splits.size() * 2);
  for (auto& s : splits) {
    if (s.tokens) {
      out.push_back(std::move(s));
      continue;
    }
    for (auto& piece : fn(s.normalized)) {
      if (!piece.empty()) out.push_back(Split{std::move(piece), std::nullopt});
    }
  }
  splits = std::move(out);
}

SplitBehavior parse_behavior(const Json& j, const char* key, const JsonContext& ctx,
                             SplitBehavior fallback) {
  const auto name = ctx.get_optional_string(j, key);
  if (!name) return fallback;
  if (*name == "Removed") return SplitBehavior::kRemoved;
  if (*name == "Isolated") return SplitBehavior::kIsolated;
  if (*name == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (*name == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (*name == "Contiguous") return SplitBehavior::kContiguous;
  ctx.at(key).fail(
      "unsupported split behavior '" + *name +
      "' (supported: Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous)");
}

class BertPreTokenizer final : public PreTokenizer {
 public:
  void pre_tokenize(std::vector<Split>& splits) const override {
    split_each(splits, [](const NormalizedString& n) {
      return n.split(find_char_matches(n.get(), is_rust_whitespace), SplitBehavior::kRemoved);
    });
    split_each(splits, [](const NormalizedString& n) {
      return n.split(find_char_matches(n.get(), is_bert_punctuation), SplitBehavior::kIsolated);
    });
  }
};

// Matches of \w+|[^\w\s]+ (runs of word characters, runs of other non-space characters).
std::vector<Match> word_or_symbol_runs(std::string_view s) {
  std::vector<Match> out;
  int prev_kind = -1;  // 0 word, 1 symbol, 2 space
  std::uint32_t run_begin = 0;
  for (std::size_t pos = 0; pos < s.size();) {
    const auto b = static_cast<std::uint32_t>(pos);
    const auto c = next_code_point(s, pos);
    const int kind = is_word_char(c) ? 0 : (is_rust_whitespace(c) ? 2 : 1);
    if (kind != prev_kind) {
      if (prev_kind >= 0) out.push_back({run_begin, b, prev_kind != 2});
      run_begin = b;
      prev_kind = kind;
    }
  }
  if (prev_kind >= 0)
    out.push_back({run_begin, static_cast<std::uint32_t>(s.size()), prev_kind != 2});
  if (out.empty()) out.push_back({0, 0, false});
  return out;
}

class WhitespacePreTokenizer final : public PreTokenizer {
 public:
  void pre_tokenize(std::vector<Split>& splits) const override {
    split_each(splits, [](const NormalizedString& n) {
      return n.split(invert_matches(word_or_symbol_runs(n.get())), SplitBehavior::kRemoved);
    });
  }
};

class WhitespaceSplitPreTokenizer final : public PreTokenizer {
 public:
  void pre_tokenize(std::vector<Split>& splits) const override {
    split_each(splits, [](const NormalizedString& n) {
      return n.split(find_char_matches(n.get(), is_rust_whitespace), SplitBehavior::kRemoved);
    });
  }
};

class ByteLevelPreTokenizer final : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space), use_regex_(use_regex) {}

  void pre_tokenize(std::vector<Split>& splits) const override {
    split_each(splits, [this](NormalizedString& n) {
      if (add_prefix_space_ && n.get().front() != ' ') n.prepend(" ");
      if (!use_regex_) return std::vector<NormalizedString>{n};
      return n.split(gpt2_split(n.get()), SplitBehavior::kIsolated);
    });
    for (auto& s : splits) {
      if (s.tokens) continue;
      const auto& str = s.normalized.get();
      std::vector<CharChange> changes;
      changes.reserve(str.size());
      for (std::size_t pos = 0; pos < str.size();) {
        const auto len = text::utf8_sequence_length(static_cast<unsigned char>(str[pos]));
        for (std::size_t i = 0; i < len; ++i) {
          changes.push_back({byte_to_char(static_cast<std::uint8_t>(str[pos + i])), i > 0 ? 1 : 0});
        }
        pos += len;
      }
      s.normalized.transform(changes, 0);
    }
  }

 private:
  bool add_prefix_space_, use_regex_;
};

enum class PrependScheme { kAlways, kFirst, kNever };

class MetaspacePreTokenizer final : public PreTokenizer {
 public:
  MetaspacePreTokenizer(char32_t replacement, PrependScheme scheme, bool split)
      : replacement_(replacement), scheme_(scheme), split_(split) {
    text::append_utf8(rep_, replacement);
  }

  void pre_tokenize(std::vector<Split>& splits) const override {
    split_each(splits, [this](NormalizedString& n) {
      n.replace(find_char_matches(n.get(), [](char32_t c) { return c == U' '; }), rep_);
      const bool starts = n.get().compare(0, rep_.size(), rep_) == 0;
      if (scheme_ == PrependScheme::kAlways && !starts) n.prepend(rep_);
      if (scheme_ == PrependScheme::kFirst && !starts && n.original_begin() == 0) n.prepend(rep_);
      if (!split_) return std::vector<NormalizedString>{n};
      const char32_t r = replacement_;
      return n.split(find_char_matches(n.get(), [r](char32_t c) { return c == r; }),
                     SplitBehavior::kMergedWithNext);
    });
  }

 private:
  char32_t replacement_;
  std::string rep_;
  PrependScheme scheme_;
  bool split_;
};

class PredicatePreTokenizer final : public PreTokenizer {
 public:
  PredicatePreTokenizer(bool (*pred)(char32_t), SplitBehavior behavior)
      : pred_(pred), behavior_(behavior) {}
  void pre_tokenize(std::vector<Split>& splits) const override {
    split_each(splits, [this](const NormalizedString& n) {
      return n.split(find_char_matches(n.get(), pred_), behavior_);
    });
  }

 private:
  bool (*pred_)(char32_t);
  SplitBehavior behavior_;
};

class SplitPreTokenizer final : public PreTokenizer {
 public:
  SplitPreTokenizer(Pattern pattern, SplitBehavior behavior, bool invert)
      : pattern_(std::move(pattern)), behavior_(behavior), invert_(invert) {}
  void pre_tokenize(std::vector<Split>& splits) const override {
    split_each(splits, [this](const NormalizedString& n) {
      auto m = pattern_.find_matches(n.get());
      if (invert_) m = invert_matches(std::move(m));
      return n.split(m, behavior_);
    });
  }

 private:
  Pattern pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

class SequencePreTokenizer final : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> parts)
      : parts_(std::move(parts)) {}
  void pre_tokenize(std::vector<Split>& splits) const override {
    for (const auto& p : parts_) p->pre_tokenize(splits);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> parts_;
};

bool is_numeric(char32_t c) {
  return is_number(c);
}

}  // namespace

std::unique_ptr<PreTokenizer> make_pre_tokenizer(const Json& j, const JsonContext& ctx) {
  const auto type = ctx.get_string(j, "type");
  if (type == "BertPreTokenizer") return std::make_unique<BertPreTokenizer>();
  if (type == "Whitespace") return std::make_unique<WhitespacePreTokenizer>();
  if (type == "WhitespaceSplit") return std::make_unique<WhitespaceSplitPreTokenizer>();
  if (type == "ByteLevel") {
    return std::make_unique<ByteLevelPreTokenizer>(ctx.get_bool(j, "add_prefix_space", true),
                                                   ctx.get_bool(j, "use_regex", true));
  }
  if (type == "Metaspace") {
    const auto rep = ctx.get_optional_string(j, "replacement").value_or("\xE2\x96\x81");
    const auto cps = text::to_u32(rep);
    if (cps.size() != 1)
      ctx.at("replacement").fail("expected a single character, found '" + rep + "'");
    PrependScheme scheme = PrependScheme::kAlways;
    if (const auto s = ctx.get_optional_string(j, "prepend_scheme")) {
      if (*s == "always")
        scheme = PrependScheme::kAlways;
      else if (*s == "first")
        scheme = PrependScheme::kFirst;
      else if (*s == "never")
        scheme = PrependScheme::kNever;
      else
        ctx.at("prepend_scheme")
            .fail("unsupported prepend_scheme '" + *s + "' (supported: always, first, never)");
    } else if (j.contains("add_prefix_space")) {
      scheme = ctx.get_bool(j, "add_prefix_space", true) ? PrependScheme::kAlways
                                                         : PrependScheme::kNever;
    }
    return std::make_unique<MetaspacePreTokenizer>(cps[0], scheme, ctx.get_bool(j, "split", true));
  }
  if (type == "Punctuation") {
    return std::make_unique<PredicatePreTokenizer>(
        is_bert_punctuation, parse_behavior(j, "behavior", ctx, SplitBehavior::kIsolated));
  }
  if (type == "Digits") {
    return std::make_unique<PredicatePreTokenizer>(
        is_numeric, ctx.get_bool(j, "individual_digits", false) ? SplitBehavior::kIsolated
                                                                : SplitBehavior::kContiguous);
  }
  if (type == "Split") {
    return std::make_unique<SplitPreTokenizer>(
        Pattern::from_json(ctx.field(j, "pattern"), ctx.at("pattern")),
        parse_behavior(j, "behavior", ctx, SplitBehavior::kRemoved),
        ctx.get_bool(j, "invert", false));
  }
  if (type == "Sequence") {
    const auto& list = ctx.field(j, "pretokenizers");
    if (!list.is_array()) ctx.at("pretokenizers").fail("expected an array");
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    for (std::size_t i = 0; i < list.size(); ++i) {
      parts.push_back(make_pre_tokenizer(list[i], ctx.at("pretokenizers").at(i)));
    }
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
  }
  ctx.fail("unsupported pre_tokenizer type '" + type +
           "' (supported: BertPreTokenizer, Whitespace, WhitespaceSplit, ByteLevel, Metaspace, "
           "Punctuation, "
           "Split, Digits, Sequence)");
}

}  // namespace spanloop::ml::tok
