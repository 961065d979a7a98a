// Character classes and normalization used by the pre-tokenizers.
#include "text/unicode.h"

#include <gtest/gtest.h>

namespace spanloop::text {
namespace {

TEST(Unicode, WhitespaceFollowsPythonAndTheUnicodeProperty) {
  for (char32_t cp : {U' ', U'\t', U'\n', U'\r', U'\v', U'\f', U'\u00A0', U'\u2003', U'\u3000',
                      U'\u2028', U'\u0085'}) {
    EXPECT_TRUE(is_python_whitespace(cp)) << static_cast<unsigned>(cp);
    EXPECT_TRUE(is_unicode_whitespace(cp)) << static_cast<unsigned>(cp);
  }
  EXPECT_TRUE(is_python_whitespace(U'\x1C'));  // file separator splits in Python only
  EXPECT_FALSE(is_unicode_whitespace(U'\x1C'));
  EXPECT_FALSE(is_python_whitespace(U'\u200B'));  // zero-width space is not whitespace
  EXPECT_FALSE(is_python_whitespace(U'\uFEFF'));
}

TEST(Unicode, BertPunctuationIncludesAsciiSymbols) {
  EXPECT_TRUE(is_bert_punctuation(U'$'));
  EXPECT_TRUE(is_bert_punctuation(U'^'));
  EXPECT_TRUE(is_bert_punctuation(U'('));
  EXPECT_TRUE(is_bert_punctuation(U'\u201C'));  // left double quote, Pi
  EXPECT_FALSE(is_bert_punctuation(U'\u00B0'));  // degree sign is a symbol (So)
  EXPECT_FALSE(is_bert_punctuation(U'\u2264'));  // ≤ is Sm
  EXPECT_FALSE(is_unicode_punctuation(U'$'));
}

TEST(Unicode, CategoriesAndCjk) {
  EXPECT_EQ(general_category(U'\u03BA'), "Ll");
  EXPECT_EQ(general_category(U'\u0301'), "Mn");
  EXPECT_EQ(general_category(U'\U0001D400'), "Lu");
  EXPECT_TRUE(is_combining_mark(U'\u0301'));
  EXPECT_TRUE(is_cjk_ideograph(U'\u4E2D'));
  EXPECT_FALSE(is_cjk_ideograph(U'\uAC00'));  // Hangul is not in BERT's CJK blocks
}

TEST(Unicode, NormalizationForms) {
  const std::string decomposed = "e\xCC\x81";  // e + combining acute
  EXPECT_EQ(normalize(decomposed, NormalizationForm::kNFC), "\xC3\xA9");
  EXPECT_EQ(normalize("\xC3\xA9", NormalizationForm::kNFD), decomposed);
  EXPECT_EQ(normalize("\xEF\xAC\x81", NormalizationForm::kNFKC), "fi");  // ligature ﬁ
  EXPECT_EQ(to_lower(U'\u039A'), U'\u03BA');
}

}  // namespace
}  // namespace spanloop::text
