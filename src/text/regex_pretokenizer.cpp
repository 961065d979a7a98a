// The "regex:<pattern>" pre-tokenizer: RE2 matches become tokens.
#include <re2/re2.h>

#include "text/error.h"
#include "text/pretokenizer.h"
#include "text/utf8.h"

namespace spanloop::text {
namespace {

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

class RegexPreTokenizer final : public PreTokenizer {
 public:
  explicit RegexPreTokenizer(std::string_view pattern)
      : pattern_(pattern), re_(re2::StringPiece(pattern_.data(), pattern_.size()), options()) {
    if (!re_.ok()) {
      throw Error(ErrorKind::kInvalidArgument,
                  "invalid pre-tokenizer pattern '" + pattern_ + "': " + re_.error());
    }
  }

  std::string name() const override { return "regex:" + pattern_; }

  std::vector<Token> split(std::string_view text) const override {
    validate_utf8(text, "text to pre-tokenize");
    const CodepointIndex index(text);
    const re2::StringPiece input(text.data(), text.size());
    std::vector<Token> tokens;
    std::size_t pos = 0;
    re2::StringPiece match;
    while (pos <= text.size() && re_.Match(input, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
      auto begin = static_cast<std::size_t>(match.data() - text.data());
      std::size_t end = begin + match.size();
      // \C can match single bytes: widen such a match to whole code points.
      while (begin > 0 && is_continuation(text[begin])) --begin;
      while (end < text.size() && is_continuation(text[end])) ++end;
      if (end > begin) {
        tokens.push_back(
            {std::string(text.substr(begin, end - begin)), index.cp_of(begin), index.cp_of(end)});
        pos = end;
      } else {
        // An empty match: step over one code point so the scan always moves forward.
        if (begin >= text.size()) break;
        pos = begin + utf8_sequence_length(static_cast<unsigned char>(text[begin]));
      }
    }
    return tokens;
  }

 private:
  static RE2::Options options() {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_encoding(RE2::Options::EncodingUTF8);
    return o;
  }

  std::string pattern_;
  RE2 re_;
};

}  // namespace

std::unique_ptr<PreTokenizer> make_regex_pretokenizer(std::string_view pattern) {
  return std::make_unique<RegexPreTokenizer>(pattern);
}

}  // namespace spanloop::text
