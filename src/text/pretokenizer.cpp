// make_pretokenizer: the spec -> pre-tokenizer factory.
#include "text/pretokenizer.h"

#include "text/error.h"

namespace spanloop::text {

std::unique_ptr<PreTokenizer> make_pretokenizer(std::string_view spec) {
  if (spec == "whitespace") return make_whitespace_pretokenizer();
  if (spec == "bert") return make_bert_pretokenizer();
  constexpr std::string_view kRegex = "regex:";
  if (spec.substr(0, kRegex.size()) == kRegex) {
    return make_regex_pretokenizer(spec.substr(kRegex.size()));
  }
  throw Error(ErrorKind::kInvalidArgument, "unknown pre-tokenizer '" + std::string(spec) +
                                               "' (expected whitespace, bert or regex:<pattern>)");
}

}  // namespace spanloop::text
