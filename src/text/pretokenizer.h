// Pre-tokenizers: split text into word tokens with code point offsets (the tokens that tags
// are attached to in CoNLL / IOB exports and that model tokenizers split further).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::text {

// One token: its surface string and its code point offsets [start, end) into the text.
// `text` normally equals the text between the offsets; the bert pre-tokenizer leaves out the
// control characters it removes inside a token.
struct Token {
  std::string text{};
  std::size_t start = 0;
  std::size_t end = 0;

  bool operator==(const Token&) const = default;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // The spec that make_pretokenizer() accepts for this pre-tokenizer ("whitespace", "bert",
  // "regex:<pattern>").
  virtual std::string name() const = 0;
  // Tokens in text order, never overlapping, never empty. Throws InvalidArgument when `text`
  // is not valid UTF-8.
  virtual std::vector<Token> split(std::string_view text) const = 0;
};

// "whitespace": exactly Python's str.split() (runs of Unicode whitespace, including U+001C..1F,
// separate tokens).
std::unique_ptr<PreTokenizer> make_whitespace_pretokenizer();
// "bert": Hugging Face tokenizers' BertNormalizer(clean_text, handle_chinese_chars) followed by
// BertPreTokenizer, without lowercasing or accent stripping: U+0000, U+FFFD and control/format
// characters (category C*, except \t \n \r) are removed, Unicode whitespace separates tokens,
// and every punctuation character (ASCII punctuation or category P*) and every CJK ideograph is
// a token of its own. Offsets point into the original text.
std::unique_ptr<PreTokenizer> make_bert_pretokenizer();
// "regex:<pattern>": every non-empty, non-overlapping match of an RE2 pattern is a token
// (e.g. "regex:\w+|[^\w\s]"). Throws InvalidArgument naming the pattern when it does not compile.
std::unique_ptr<PreTokenizer> make_regex_pretokenizer(std::string_view pattern);

// Builds a pre-tokenizer from its spec: "whitespace", "bert" or "regex:<pattern>".
std::unique_ptr<PreTokenizer> make_pretokenizer(std::string_view spec);

}  // namespace spanloop::text
