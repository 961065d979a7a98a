// Post-processors of tokenizer.json: TemplateProcessing, BertProcessing, RobertaProcessing,
// ByteLevel (offset trimming) and Sequence.
#include <iterator>

#include "ml/tokenizer/components.h"
#include "ml/tokenizer/encoding_ops.h"
#include "ml/tokenizer/unicode_props.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {
namespace {

// A special token of a template: one or more ids with their token strings.
struct SpecialPiece {
  std::vector<std::int64_t> ids;
  std::vector<std::string> tokens;
  std::int32_t type_id = 0;
};

void append_specials(Encoding& out, const std::vector<SpecialPiece>& pieces) {
  for (const auto& p : pieces) {
    const auto n = p.ids.size();
    out.ids.insert(out.ids.end(), p.ids.begin(), p.ids.end());
    out.tokens.insert(out.tokens.end(), p.tokens.begin(), p.tokens.end());
    out.offsets.insert(out.offsets.end(), n, TokenOffset{0, 0});
    out.word_ids.insert(out.word_ids.end(), n, -1);
    out.type_ids.insert(out.type_ids.end(), n, p.type_id);
    out.special_tokens_mask.insert(out.special_tokens_mask.end(), n, 1);
    out.attention_mask.insert(out.attention_mask.end(), n, 1);
  }
}

// Wraps one window: prefix pieces, the sequence (with type_id), suffix pieces. The sequence is
// moved from, not copied: this runs once per encoded text.
Encoding wrap(Encoding&& seq, const std::vector<SpecialPiece>& before, std::int32_t seq_type,
              const std::vector<SpecialPiece>& after) {
  Encoding out;
  append_specials(out, before);
  const auto n = seq.ids.size();
  auto move_all = [](auto& dst, auto& src) {
    dst.insert(dst.end(), std::make_move_iterator(src.begin()), std::make_move_iterator(src.end()));
  };
  move_all(out.ids, seq.ids);
  move_all(out.tokens, seq.tokens);
  move_all(out.offsets, seq.offsets);
  move_all(out.word_ids, seq.word_ids);
  out.type_ids.insert(out.type_ids.end(), n, seq_type);
  move_all(out.special_tokens_mask, seq.special_tokens_mask);
  move_all(out.attention_mask, seq.attention_mask);
  append_specials(out, after);
  return out;
}

void wrap_all(Encoding& enc, const std::vector<SpecialPiece>& before, std::int32_t seq_type,
              const std::vector<SpecialPiece>& after) {
  auto overflowing = std::move(enc.overflowing);
  Encoding main = wrap(std::move(enc), before, seq_type, after);
  for (auto& o : overflowing)
    main.overflowing.push_back(wrap(std::move(o), before, seq_type, after));
  enc = std::move(main);
}

std::size_t piece_count(const std::vector<SpecialPiece>& v) {
  std::size_t n = 0;
  for (const auto& p : v) n += p.ids.size();
  return n;
}

class TemplateProcessing final : public PostProcessor {
 public:
  TemplateProcessing(std::vector<SpecialPiece> before, std::int32_t seq_type,
                     std::vector<SpecialPiece> after)
      : before_(std::move(before)), seq_type_(seq_type), after_(std::move(after)) {}
  void process(Encoding& enc, bool add_special_tokens) const override {
    static const std::vector<SpecialPiece> kNone;
    if (add_special_tokens) {
      wrap_all(enc, before_, seq_type_, after_);
    } else {
      wrap_all(enc, kNone, seq_type_, kNone);
    }
  }
  std::size_t added_tokens() const override { return piece_count(before_) + piece_count(after_); }
  std::vector<std::string> special_token_strings() const override {
    std::vector<std::string> out;
    for (const auto& p : before_) out.insert(out.end(), p.tokens.begin(), p.tokens.end());
    for (const auto& p : after_) out.insert(out.end(), p.tokens.begin(), p.tokens.end());
    return out;
  }

 private:
  std::vector<SpecialPiece> before_;
  std::int32_t seq_type_;
  std::vector<SpecialPiece> after_;
};

// RoBERTa/ByteLevel offset trimming: leading/trailing spaces (Ġ or whitespace) leave the span.
void trim_offsets(Encoding& enc, bool add_prefix_space) {
  const char32_t g = byte_to_char(' ');
  for (std::size_t i = 0; i < enc.tokens.size(); ++i) {
    const auto cps = text::to_u32(enc.tokens[i]);
    std::size_t leading = 0, trailing = 0;
    while (leading < cps.size() && (cps[leading] == g || is_rust_whitespace(cps[leading])))
      ++leading;
    while (trailing < cps.size() && (cps[cps.size() - 1 - trailing] == g ||
                                     is_rust_whitespace(cps[cps.size() - 1 - trailing]))) {
      ++trailing;
    }
    auto& off = enc.offsets[i];
    if (leading == 0 && trailing == 0) continue;
    if (leading > 0) {
      const bool is_first = i == 0 || off.begin == 0;
      if (is_first && add_prefix_space && leading == 1) leading = 0;
      off.begin = std::min(off.begin + leading, off.end);
    }
    if (trailing > 0 && off.end >= trailing) off.end = std::max(off.end - trailing, off.begin);
  }
  for (auto& o : enc.overflowing) trim_offsets(o, add_prefix_space);
}

class RobertaProcessing final : public PostProcessor {
 public:
  RobertaProcessing(SpecialPiece cls, SpecialPiece sep, bool trim, bool add_prefix_space)
      : cls_(std::move(cls)),
        sep_(std::move(sep)),
        trim_(trim),
        add_prefix_space_(add_prefix_space) {}
  void process(Encoding& enc, bool add_special_tokens) const override {
    if (trim_) trim_offsets(enc, add_prefix_space_);
    static const std::vector<SpecialPiece> kNone;
    if (add_special_tokens) {
      wrap_all(enc, {cls_}, 0, {sep_});
    } else {
      wrap_all(enc, kNone, 0, kNone);
    }
  }
  std::size_t added_tokens() const override { return 2; }
  std::vector<std::string> special_token_strings() const override {
    return {cls_.tokens[0], sep_.tokens[0]};
  }

 private:
  SpecialPiece cls_, sep_;
  bool trim_, add_prefix_space_;
};

class ByteLevelProcessing final : public PostProcessor {
 public:
  ByteLevelProcessing(bool trim, bool add_prefix_space)
      : trim_(trim), add_prefix_space_(add_prefix_space) {}
  void process(Encoding& enc, bool) const override {
    if (trim_) trim_offsets(enc, add_prefix_space_);
  }
  std::size_t added_tokens() const override { return 0; }
  std::vector<std::string> special_token_strings() const override { return {}; }

 private:
  bool trim_, add_prefix_space_;
};

class SequenceProcessing final : public PostProcessor {
 public:
  explicit SequenceProcessing(std::vector<std::unique_ptr<PostProcessor>> parts)
      : parts_(std::move(parts)) {}
  void process(Encoding& enc, bool add_special_tokens) const override {
    for (const auto& p : parts_) p->process(enc, add_special_tokens);
  }
  std::size_t added_tokens() const override {
    std::size_t n = 0;
    for (const auto& p : parts_) n += p->added_tokens();
    return n;
  }
  std::vector<std::string> special_token_strings() const override {
    std::vector<std::string> out;
    for (const auto& p : parts_) {
      auto s = p->special_token_strings();
      out.insert(out.end(), s.begin(), s.end());
    }
    return out;
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> parts_;
};

// ["[CLS]", 101] as used by BertProcessing/RobertaProcessing.
SpecialPiece token_pair(const Json& j, const JsonContext& ctx) {
  if (!j.is_array() || j.size() != 2 || !j[0].is_string() || !j[1].is_number_integer()) {
    ctx.fail("expected [token, id]");
  }
  return SpecialPiece{{j[1].get<std::int64_t>()}, {j[0].get<std::string>()}, 0};
}

std::unique_ptr<PostProcessor> make_template(const Json& j, const JsonContext& ctx) {
  const auto& specials = ctx.field(j, "special_tokens");
  auto lookup = [&](const std::string& id, std::int32_t type_id, const JsonContext& at) {
    const auto it = specials.find(id);
    if (it == specials.end()) at.fail("special token '" + id + "' is not in special_tokens");
    SpecialPiece p;
    const auto sctx = ctx.at("special_tokens").at(id);
    const auto& ids = sctx.field(*it, "ids");
    const auto& toks = sctx.field(*it, "tokens");
    if (!ids.is_array() || !toks.is_array() || ids.size() != toks.size())
      sctx.fail("ids and tokens must be arrays of one length");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      p.ids.push_back(ids[i].get<std::int64_t>());
      p.tokens.push_back(toks[i].get<std::string>());
    }
    p.type_id = type_id;
    return p;
  };
  const auto sctx = ctx.at("single");
  const auto& single = ctx.field(j, "single");
  if (!single.is_array()) sctx.fail("expected an array of template pieces");
  std::vector<SpecialPiece> before, after;
  std::optional<std::int32_t> seq_type;
  for (std::size_t i = 0; i < single.size(); ++i) {
    const auto& piece = single[i];
    const auto pctx = sctx.at(i);
    if (piece.contains("SpecialToken")) {
      const auto& s = piece["SpecialToken"];
      auto p = lookup(pctx.get_string(s, "id"),
                      static_cast<std::int32_t>(pctx.get_int(s, "type_id", 0)), pctx);
      (seq_type ? after : before).push_back(std::move(p));
    } else if (piece.contains("Sequence")) {
      const auto& s = piece["Sequence"];
      if (pctx.get_string(s, "id") != "A" || seq_type)
        pctx.fail("a single-sequence template must contain $A once");
      seq_type = static_cast<std::int32_t>(pctx.get_int(s, "type_id", 0));
    } else {
      pctx.fail("expected {\"SpecialToken\": ...} or {\"Sequence\": ...}");
    }
  }
  if (!seq_type) sctx.fail("the single-sequence template has no $A");
  return std::make_unique<TemplateProcessing>(std::move(before), *seq_type, std::move(after));
}

}  // namespace

std::unique_ptr<PostProcessor> make_post_processor(const Json& j, const JsonContext& ctx) {
  const auto type = ctx.get_string(j, "type");
  if (type == "TemplateProcessing") return make_template(j, ctx);
  if (type == "BertProcessing") {
    auto cls = token_pair(ctx.field(j, "cls"), ctx.at("cls"));
    auto sep = token_pair(ctx.field(j, "sep"), ctx.at("sep"));
    return std::make_unique<TemplateProcessing>(std::vector<SpecialPiece>{cls}, 0,
                                                std::vector<SpecialPiece>{sep});
  }
  if (type == "RobertaProcessing") {
    return std::make_unique<RobertaProcessing>(token_pair(ctx.field(j, "cls"), ctx.at("cls")),
                                               token_pair(ctx.field(j, "sep"), ctx.at("sep")),
                                               ctx.get_bool(j, "trim_offsets", true),
                                               ctx.get_bool(j, "add_prefix_space", true));
  }
  if (type == "ByteLevel") {
    return std::make_unique<ByteLevelProcessing>(ctx.get_bool(j, "trim_offsets", true),
                                                 ctx.get_bool(j, "add_prefix_space", true));
  }
  if (type == "Sequence") {
    const auto& list = ctx.field(j, "processors");
    if (!list.is_array()) ctx.at("processors").fail("expected an array");
    std::vector<std::unique_ptr<PostProcessor>> parts;
    for (std::size_t i = 0; i < list.size(); ++i)
      parts.push_back(make_post_processor(list[i], ctx.at("processors").at(i)));
    return std::make_unique<SequenceProcessing>(std::move(parts));
  }
  ctx.fail(
      "unsupported post_processor type '" + type +
      "' (supported: TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence)");
}

}  // namespace spanloop::ml::tok
