// Shared check of the tokenizer shortcut tests: a recognised fast route and the general route
// give the same encoding of a text, alone and as the last of pre-split words.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ml/tokenizer/tokenizer.h"

namespace spanloop::ml {

// `words` are encoded with `text` appended as the last word (is_split_into_words).
inline void expect_same_encoding(const Tokenizer& fast, const Tokenizer& general,
                                 const std::string& text, std::vector<std::string> words) {
  const auto a = fast.encode(text);
  const auto b = general.encode(text);
  EXPECT_EQ(a.ids, b.ids) << text;
  EXPECT_EQ(a.tokens, b.tokens) << text;
  EXPECT_EQ(a.offsets, b.offsets) << text;
  EXPECT_EQ(a.word_ids, b.word_ids) << text;
  EXPECT_EQ(a.special_tokens_mask, b.special_tokens_mask) << text;
  words.push_back(text);
  const auto wa = fast.encode_words(words);
  const auto wb = general.encode_words(words);
  EXPECT_EQ(wa.ids, wb.ids) << text;
  EXPECT_EQ(wa.tokens, wb.tokens) << text;
  EXPECT_EQ(wa.offsets, wb.offsets) << text;
  EXPECT_EQ(wa.word_ids, wb.word_ids) << text;
}

}  // namespace spanloop::ml
