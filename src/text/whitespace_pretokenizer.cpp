// The "whitespace" pre-tokenizer: Python str.split() with code point offsets.
#include "text/pretokenizer.h"
#include "text/unicode.h"
#include "text/utf8.h"

namespace spanloop::text {
namespace {

class WhitespacePreTokenizer final : public PreTokenizer {
 public:
  std::string name() const override { return "whitespace"; }

  std::vector<Token> split(std::string_view text) const override {
    validate_utf8(text, "text to pre-tokenize");
    std::vector<Token> tokens;
    std::size_t cp = 0;
    std::size_t token_byte = 0, token_cp = 0;
    bool in_token = false;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t byte = pos;
      const char32_t c = next_code_point(text, pos);
      // ASCII fast path: only \t..\r, space and 0x1C..0x1F are whitespace below 0x80.
      const bool space = c < 0x80
                             ? (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F))
                             : is_python_whitespace(c);
      if (space) {
        if (in_token) {
          tokens.push_back({std::string(text.substr(token_byte, byte - token_byte)), token_cp, cp});
          in_token = false;
        }
      } else if (!in_token) {
        in_token = true;
        token_byte = byte;
        token_cp = cp;
      }
      ++cp;
    }
    if (in_token) tokens.push_back({std::string(text.substr(token_byte)), token_cp, cp});
    return tokens;
  }
};

}  // namespace

std::unique_ptr<PreTokenizer> make_whitespace_pretokenizer() {
  return std::make_unique<WhitespacePreTokenizer>();
}

}  // namespace spanloop::text
