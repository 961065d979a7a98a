// The "bert" pre-tokenizer: BERT's text cleaning, CJK and punctuation splitting, with offsets.
#include <utf8proc.h>

#include "text/pretokenizer.h"
#include "text/unicode.h"
#include "text/utf8.h"

namespace spanloop::text {
namespace {

// Rust's char::is_other() as used by BertNormalizer::clean_text: categories Cc, Cf, Cs, Co, Cn;
// tab, newline and carriage return count as whitespace instead.
bool is_removed_control(char32_t c) {
  if (c == 0 || c == 0xFFFD) return true;
  if (c == '\t' || c == '\n' || c == '\r') return false;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
      return true;
    default:
      return false;
  }
}

enum class CharClass { kRemoved, kSpace, kAlone, kWord };

CharClass classify(char32_t c) {
  if (c < 0x80) {
    if (c == '\t' || c == '\n' || c == '\r' || c == ' ') return CharClass::kSpace;
    if (c < 0x20 || c == 0x7F) return CharClass::kRemoved;
    if (is_bert_punctuation(c)) return CharClass::kAlone;
    return CharClass::kWord;
  }
  if (is_removed_control(c)) return CharClass::kRemoved;
  if (is_unicode_whitespace(c)) return CharClass::kSpace;
  if (is_bert_punctuation(c) || is_cjk_ideograph(c)) return CharClass::kAlone;
  return CharClass::kWord;
}

class BertPreTokenizer final : public PreTokenizer {
 public:
  std::string name() const override { return "bert"; }

  std::vector<Token> split(std::string_view text) const override {
    validate_utf8(text, "text to pre-tokenize");
    std::vector<Token> tokens;
    Token current;
    bool in_word = false;
    auto flush = [&] {
      if (in_word) tokens.push_back(std::move(current));
      current = Token{};
      in_word = false;
    };
    std::size_t cp = 0;
    for (std::size_t pos = 0; pos < text.size(); ++cp) {
      const std::size_t byte = pos;
      const char32_t c = next_code_point(text, pos);
      const std::string_view bytes = text.substr(byte, pos - byte);
      switch (classify(c)) {
        case CharClass::kRemoved:
          break;  // removed before splitting: the characters around it stay one token
        case CharClass::kSpace:
          flush();
          break;
        case CharClass::kAlone:
          flush();
          tokens.push_back({std::string(bytes), cp, cp + 1});
          break;
        case CharClass::kWord:
          if (!in_word) {
            in_word = true;
            current.start = cp;
          }
          current.text.append(bytes);
          current.end = cp + 1;
          break;
      }
    }
    flush();
    return tokens;
  }
};

}  // namespace

std::unique_ptr<PreTokenizer> make_bert_pretokenizer() {
  return std::make_unique<BertPreTokenizer>();
}

}  // namespace spanloop::text
