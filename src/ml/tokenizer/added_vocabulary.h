// Added tokens (special tokens and user tokens) found in the text before the model runs, with
// tokenizers' AddedVocabulary rules: leftmost-longest, single_word, lstrip/rstrip, normalized.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ml/tokenizer/components.h"

namespace spanloop::ml::tok {

struct AddedToken {
  std::uint32_t id = 0;
  std::string content;
  bool single_word = false, lstrip = false, rstrip = false, normalized = true, special = false;
};

class AddedVocabulary {
 public:
  AddedVocabulary() = default;
  AddedVocabulary(std::vector<AddedToken> tokens, const Normalizer* normalizer);

  const std::vector<AddedToken>& tokens() const { return tokens_; }
  const AddedToken* find_id(std::uint32_t id) const;
  const AddedToken* find_content(std::string_view content) const;

  // Splits the text into pieces: added tokens (tokenized) and normalized text (not yet).
  std::vector<Split> extract_and_normalize(std::string_view text,
                                           const Normalizer* normalizer) const;

 private:
  struct Matcher {
    std::vector<std::string> patterns;
    std::vector<std::size_t> token_index;  // into tokens_
    bool first_byte[256] = {};
  };
  void split_with(std::vector<Split>& splits, const Matcher& m, const Normalizer* normalizer) const;

  std::vector<AddedToken> tokens_;
  Matcher raw_, normalized_;
};

}  // namespace spanloop::ml::tok
