// Decoders of tokenizer.json: WordPiece, ByteLevel, Metaspace, BPEDecoder, Replace, Strip, Fuse,
// ByteFallback and Sequence (what transformers uses to rebuild words from tokens).
#include "ml/tokenizer/components.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// Bytes -> text, with U+FFFD for every maximal invalid sequence (Rust from_utf8_lossy).
std::string utf8_lossy(std::string_view bytes) {
  std::string out;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const auto bad = text::find_invalid_utf8(bytes.substr(pos));
    if (!bad) {
      out.append(bytes.substr(pos));
      break;
    }
    out.append(bytes.substr(pos, *bad));
    pos += *bad;
    // Skip the longest prefix of a valid sequence (at least one byte), as Rust does.
    const auto lead = static_cast<unsigned char>(bytes[pos]);
    std::size_t need = 0;
    if (lead >= 0xC2 && lead <= 0xDF)
      need = 2;
    else if (lead >= 0xE0 && lead <= 0xEF)
      need = 3;
    else if (lead >= 0xF0 && lead <= 0xF4)
      need = 4;
    std::size_t take = 1;
    if (need > 0) {
      auto cont_ok = [&](std::size_t i) {
        const auto c = static_cast<unsigned char>(bytes[pos + i]);
        if (i == 1) {
          if (lead == 0xE0) return c >= 0xA0 && c <= 0xBF;
          if (lead == 0xED) return c >= 0x80 && c <= 0x9F;
          if (lead == 0xF0) return c >= 0x90 && c <= 0xBF;
          if (lead == 0xF4) return c >= 0x80 && c <= 0x8F;
        }
        return (c & 0xC0) == 0x80;
      };
      while (take < need && pos + take < bytes.size() && cont_ok(take)) ++take;
    }
    out.append("\xEF\xBF\xBD");
    pos += take;
  }
  return out;
}

class WordPieceDecoder final : public Decoder {
 public:
  WordPieceDecoder(std::string prefix, bool cleanup)
      : prefix_(std::move(prefix)), cleanup_(cleanup) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      auto& t = tokens[i];
      if (i != 0) {
        if (t.compare(0, prefix_.size(), prefix_) == 0) {
          t.erase(0, prefix_.size());
        } else {
          t.insert(0, " ");
        }
      }
      if (cleanup_) {
        replace_all(t, " .", ".");
        replace_all(t, " ?", "?");
        replace_all(t, " !", "!");
        replace_all(t, " ,", ",");
        replace_all(t, " ' ", "'");
        replace_all(t, " n't", "n't");
        replace_all(t, " 'm", "'m");
        replace_all(t, " do not", " don't");
        replace_all(t, " 's", "'s");
        replace_all(t, " 've", "'ve");
        replace_all(t, " 're", "'re");
      }
    }
    return tokens;
  }

 private:
  std::string prefix_;
  bool cleanup_;
};

class ByteLevelDecoder final : public Decoder {
 public:
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    // As tokenizers: a token with any character outside the byte alphabet is taken as its raw
    // UTF-8 (the pipeline decodes already-decoded words such as " Pa·s" a second time).
    std::string bytes;
    for (const auto& t : tokens) {
      std::string mapped;
      bool all_mapped = true;
      for (std::size_t pos = 0; pos < t.size() && all_mapped;) {
        const auto c = text::next_code_point(t, pos);
        if (const auto b = char_to_byte(c)) {
          mapped.push_back(static_cast<char>(*b));
        } else {
          all_mapped = false;
        }
      }
      bytes += all_mapped ? mapped : t;
    }
    return {utf8_lossy(bytes)};
  }
};

class MetaspaceDecoder final : public Decoder {
 public:
  MetaspaceDecoder(char32_t replacement, bool prepend)
      : replacement_(replacement), prepend_(prepend) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::string out;
      const auto& t = tokens[i];
      for (std::size_t pos = 0; pos < t.size();) {
        const auto c = text::next_code_point(t, pos);
        if (c == replacement_) {
          if (!(i == 0 && prepend_)) out.push_back(' ');
        } else {
          text::append_utf8(out, c);
        }
      }
      tokens[i] = std::move(out);
    }
    return tokens;
  }

 private:
  char32_t replacement_;
  bool prepend_;
};

class BpeDecoder final : public Decoder {
 public:
  explicit BpeDecoder(std::string suffix) : suffix_(std::move(suffix)) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i)
      replace_all(tokens[i], suffix_, i + 1 == tokens.size() ? "" : " ");
    return tokens;
  }

 private:
  std::string suffix_;
};

class ReplaceDecoder final : public Decoder {
 public:
  ReplaceDecoder(Pattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (auto& t : tokens) {
      std::string out;
      for (const auto& m : pattern_.find_matches(t)) {
        if (m.is_match) {
          out += content_;
        } else {
          out.append(t, m.begin, m.end - m.begin);
        }
      }
      t = std::move(out);
    }
    return tokens;
  }

 private:
  Pattern pattern_;
  std::string content_;
};

class StripDecoder final : public Decoder {
 public:
  StripDecoder(char32_t content, std::size_t start, std::size_t stop)
      : content_(content), start_(start), stop_(stop) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (auto& t : tokens) {
      auto cps = text::to_u32(t);
      std::size_t b = 0, e = cps.size();
      for (std::size_t k = 0; k < start_ && b < e && cps[b] == content_; ++k) ++b;
      for (std::size_t k = 0; k < stop_ && e > b && cps[e - 1] == content_; ++k) --e;
      t = text::to_utf8(std::u32string_view(cps).substr(b, e - b));
    }
    return tokens;
  }

 private:
  char32_t content_;
  std::size_t start_, stop_;
};

class FuseDecoder final : public Decoder {
 public:
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    std::string all;
    for (const auto& t : tokens) all += t;
    return {all};
  }
};

// <0xAB> tokens become bytes; a run of them that is not valid UTF-8 gives one U+FFFD per byte.
class ByteFallbackDecoder final : public Decoder {
 public:
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    std::vector<std::string> out;
    std::string pending;
    std::size_t pending_count = 0;
    auto flush = [&] {
      if (pending_count == 0) return;
      if (text::find_invalid_utf8(pending)) {
        for (std::size_t i = 0; i < pending_count; ++i) out.emplace_back("\xEF\xBF\xBD");
      } else {
        out.push_back(pending);
      }
      pending.clear();
      pending_count = 0;
    };
    for (auto& t : tokens) {
      if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' &&
          std::isxdigit(static_cast<unsigned char>(t[3])) &&
          std::isxdigit(static_cast<unsigned char>(t[4]))) {
        pending.push_back(static_cast<char>(std::stoi(t.substr(3, 2), nullptr, 16)));
        ++pending_count;
      } else {
        flush();
        out.push_back(std::move(t));
      }
    }
    flush();
    return out;
  }
};

class SequenceDecoder final : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> parts)
      : parts_(std::move(parts)) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override {
    for (const auto& p : parts_) tokens = p->decode_chain(std::move(tokens));
    return tokens;
  }

 private:
  std::vector<std::unique_ptr<Decoder>> parts_;
};

char32_t single_char(const std::string& s, const JsonContext& ctx) {
  const auto cps = text::to_u32(s);
  if (cps.size() != 1) ctx.fail("expected a single character, found '" + s + "'");
  return cps[0];
}

}  // namespace

std::unique_ptr<Decoder> make_decoder(const Json& j, const JsonContext& ctx) {
  const auto type = ctx.get_string(j, "type");
  if (type == "WordPiece") {
    return std::make_unique<WordPieceDecoder>(ctx.get_optional_string(j, "prefix").value_or("##"),
                                              ctx.get_bool(j, "cleanup", true));
  }
  if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
  if (type == "Metaspace") {
    const auto rep = ctx.get_optional_string(j, "replacement").value_or("\xE2\x96\x81");
    bool prepend = true;
    if (const auto s = ctx.get_optional_string(j, "prepend_scheme")) {
      prepend = *s != "never";
    } else if (j.contains("add_prefix_space")) {
      prepend = ctx.get_bool(j, "add_prefix_space", true);
    }
    return std::make_unique<MetaspaceDecoder>(single_char(rep, ctx.at("replacement")), prepend);
  }
  if (type == "BPEDecoder")
    return std::make_unique<BpeDecoder>(ctx.get_optional_string(j, "suffix").value_or("</w>"));
  if (type == "Replace") {
    return std::make_unique<ReplaceDecoder>(
        Pattern::from_json(ctx.field(j, "pattern"), ctx.at("pattern")),
        ctx.get_string(j, "content"));
  }
  if (type == "Strip") {
    return std::make_unique<StripDecoder>(
        single_char(ctx.get_string(j, "content"), ctx.at("content")),
        static_cast<std::size_t>(ctx.get_int(j, "start", 0)),
        static_cast<std::size_t>(ctx.get_int(j, "stop", 0)));
  }
  if (type == "Fuse") return std::make_unique<FuseDecoder>();
  if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
  if (type == "Sequence") {
    const auto& list = ctx.field(j, "decoders");
    if (!list.is_array()) ctx.at("decoders").fail("expected an array");
    std::vector<std::unique_ptr<Decoder>> parts;
    for (std::size_t i = 0; i < list.size(); ++i)
      parts.push_back(make_decoder(list[i], ctx.at("decoders").at(i)));
    return std::make_unique<SequenceDecoder>(std::move(parts));
  }
  ctx.fail("unsupported decoder type '" + type +
           "' (supported: WordPiece, ByteLevel, Metaspace, BPEDecoder, Replace, Strip, Fuse, "
           "ByteFallback, Sequence)");
}

}  // namespace spanloop::ml::tok
