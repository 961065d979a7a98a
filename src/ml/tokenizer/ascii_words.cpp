#include "ml/tokenizer/ascii_words.h"

#include "ml/tokenizer/unicode_props.h"

namespace spanloop::ml::tok {
namespace {

bool has_type(const Json& doc, const char* stage, const char* type) {
  return doc.contains(stage) && doc[stage].is_object() && doc[stage].value("type", "") == type;
}

}  // namespace

std::unique_ptr<AsciiWords> AsciiWords::make(const Json& doc, const Normalizer& normalizer,
                                             const AddedVocabulary& added) {
  if (!has_type(doc, "normalizer", "BertNormalizer") ||
      !has_type(doc, "pre_tokenizer", "BertPreTokenizer") || !has_type(doc, "model", "WordPiece")) {
    return nullptr;
  }
  auto out = std::make_unique<AsciiWords>();
  for (const auto& t : added.tokens()) {
    if (t.normalized) return nullptr;
  }
  // Ask the configured normalizer rather than restating its rules; BertNormalizer treats every
  // ASCII character on its own, so one character at a time gives its whole-text behaviour.
  for (int b = 0; b < 0x80; ++b) {
    NormalizedString one(std::string(1, static_cast<char>(b)), 0);
    normalizer.normalize(one);
    const std::string& s = one.get();
    Kind kind = Kind::kGeneral;
    if (s.empty()) {
      kind = Kind::kDropped;
    } else if (s.size() == 1 && static_cast<unsigned char>(s[0]) < 0x80) {
      const auto c = static_cast<char32_t>(s[0]);
      kind = is_rust_whitespace(c)    ? Kind::kSpace
             : is_bert_punctuation(c) ? Kind::kPunctuation
                                      : Kind::kWord;
      out->mapped_[b] = s[0];
    }
    out->kinds_[b] = kind;
  }
  return out;
}

}  // namespace spanloop::ml::tok
