// Record helpers.
#include "text/record.h"

#include "text/utf8.h"

namespace spanloop::text {

void set_tokens_joined(TokenRecord& record, const std::vector<std::string>& tokens) {
  record.text.clear();
  record.tokens.clear();
  record.tokens.reserve(tokens.size());
  std::size_t cp = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) {
      record.text += ' ';
      ++cp;
    }
    const std::size_t length = count_code_points(tokens[i]);
    record.tokens.push_back({tokens[i], cp, cp + length});
    record.text += tokens[i];
    cp += length;
  }
}

}  // namespace spanloop::text
