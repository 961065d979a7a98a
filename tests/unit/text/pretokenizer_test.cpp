// Pre-tokenizers on patent-like text with non-ASCII, astral, combining marks, CRLF and tabs.
#include "text/pretokenizer.h"

#include <gtest/gtest.h>

#include <set>

#include "support/test_support.h"
#include "text/utf8.h"

namespace spanloop::text {
namespace {

// κ, µ, °, ≤, ™, CRLF + tab, astral math letters, a combining acute, NBSP, LINE SEPARATOR,
// IDEOGRAPHIC SPACE, U+001C, ZWSP, soft hyphen, CJK, vertical tab, NEL.
const std::string kPatent =
    "The \u03ba-value of 5 \u00b5m at 20 \u00b0C is \u2264 0.5\u2122;\r\n\tthe "
    "\U0001D400\U0001D401 layer (cafe\u0301)\u00a0ends\u2028here\u3000now\x1cx.\u200bzero "
    "soft\u00adhyphen \u4e2d\u6587\x0bvt\u0085nel";

struct Expected {
  std::string text;
  std::size_t start, end;
};

void expect_tokens(const std::vector<Token>& got, const std::vector<Expected>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].text, want[i].text) << "token " << i;
    EXPECT_EQ(got[i].start, want[i].start) << "token " << i;
    EXPECT_EQ(got[i].end, want[i].end) << "token " << i;
  }
}

// Expected values computed with Python 3.11: [(t, i, j) for the runs of str.split()].
TEST(WhitespacePreTokenizer, MatchesPythonStrSplit) {
  auto pre = make_pretokenizer("whitespace");
  EXPECT_EQ(pre->name(), "whitespace");
  expect_tokens(pre->split(kPatent), {{"The", 0, 3},
                                      {"\u03ba-value", 4, 11},
                                      {"of", 12, 14},
                                      {"5", 15, 16},
                                      {"\u00b5m", 17, 19},
                                      {"at", 20, 22},
                                      {"20", 23, 25},
                                      {"\u00b0C", 26, 28},
                                      {"is", 29, 31},
                                      {"\u2264", 32, 33},
                                      {"0.5\u2122;", 34, 39},
                                      {"the", 42, 45},
                                      {"\U0001D400\U0001D401", 46, 48},
                                      {"layer", 49, 54},
                                      {"(cafe\u0301)", 55, 62},
                                      {"ends", 63, 67},
                                      {"here", 68, 72},
                                      {"now", 73, 76},
                                      {"x.\u200bzero", 77, 84},
                                      {"soft\u00adhyphen", 85, 96},
                                      {"\u4e2d\u6587", 97, 99},
                                      {"vt", 100, 102},
                                      {"nel", 103, 106}});
}

// Every code point Python 3.11's str.isspace() accepts (computed with
// [c for c in range(0x110000) if chr(c).isspace()]), and only those, separates tokens.
TEST(WhitespacePreTokenizer, SeparatorsAreExactlyPythonsWhitespace) {
  const std::set<char32_t> python{0x9,    0xa,    0xb,    0xc,    0xd,    0x1c,   0x1d,   0x1e,
                                  0x1f,   0x20,   0x85,   0xa0,   0x1680, 0x2000, 0x2001, 0x2002,
                                  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
                                  0x2028, 0x2029, 0x202f, 0x205f, 0x3000};
  auto pre = make_whitespace_pretokenizer();
  for (char32_t cp = 1; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;  // surrogates are not valid UTF-8
    std::string text = "a";
    append_utf8(text, cp);
    text += "b";
    const std::size_t expected = python.count(cp) ? 2 : 1;
    ASSERT_EQ(pre->split(text).size(), expected) << "U+" << std::hex << static_cast<unsigned>(cp);
  }
}

TEST(WhitespacePreTokenizer, EmptyAndBlankText) {
  auto pre = make_whitespace_pretokenizer();
  EXPECT_TRUE(pre->split("").empty());
  EXPECT_TRUE(pre->split(" \t\r\n\u00a0\u3000").empty());
  expect_tokens(pre->split("a"), {{"a", 0, 1}});
}

// Hugging Face BertNormalizer(clean_text, handle_chinese_chars) + BertPreTokenizer: control and
// format characters vanish inside words (U+001C, ZWSP, soft hyphen, VT, NEL), punctuation and
// CJK ideographs stand alone, ° ≤ ™ (symbols, not punctuation) stay in words.
TEST(BertPreTokenizer, SplitsLikeHuggingFaceBert) {
  auto pre = make_pretokenizer("bert");
  EXPECT_EQ(pre->name(), "bert");
  expect_tokens(pre->split(kPatent),
                {{"The", 0, 3},          {"\u03ba", 4, 5},   {"-", 5, 6},
                 {"value", 6, 11},       {"of", 12, 14},     {"5", 15, 16},
                 {"\u00b5m", 17, 19},    {"at", 20, 22},     {"20", 23, 25},
                 {"\u00b0C", 26, 28},    {"is", 29, 31},     {"\u2264", 32, 33},
                 {"0", 34, 35},          {".", 35, 36},      {"5\u2122", 36, 38},
                 {";", 38, 39},          {"the", 42, 45},    {"\U0001D400\U0001D401", 46, 48},
                 {"layer", 49, 54},      {"(", 55, 56},      {"cafe\u0301", 56, 61},
                 {")", 61, 62},          {"ends", 63, 67},   {"here", 68, 72},
                 {"nowx", 73, 78},       {".", 78, 79},      {"zero", 80, 84},
                 {"softhyphen", 85, 96}, {"\u4e2d", 97, 98}, {"\u6587", 98, 99},
                 {"vtnel", 100, 106}});
}

TEST(BertPreTokenizer, UnicodePunctuationAndNul) {
  auto pre = make_bert_pretokenizer();
  // U+2014 EM DASH (Pd), U+00BF (Po), U+FFFD and NUL removed.
  expect_tokens(pre->split(std::string("a\u2014b\u00bfc\ufffdd") + '\0' + "e"),
                {{"a", 0, 1}, {"\u2014", 1, 2}, {"b", 2, 3}, {"\u00bf", 3, 4}, {"cde", 4, 9}});
  EXPECT_TRUE(pre->split("\u200b\u200b").empty());
}

TEST(RegexPreTokenizer, MatchesBecomeTokens) {
  auto pre = make_pretokenizer("regex:\\w+|[^\\w\\s]");
  EXPECT_EQ(pre->name(), "regex:\\w+|[^\\w\\s]");
  // RE2's \w is ASCII-only; the astral letters and κ are matched by [^\w\s] one at a time.
  expect_tokens(pre->split("\u03ba-x \U0001D400 \u2264 5\r\n\tab"), {{"\u03ba", 0, 1},
                                                                     {"-", 1, 2},
                                                                     {"x", 2, 3},
                                                                     {"\U0001D400", 4, 5},
                                                                     {"\u2264", 6, 7},
                                                                     {"5", 8, 9},
                                                                     {"ab", 12, 14}});
}

TEST(RegexPreTokenizer, UnicodeClassesAndEmptyMatches) {
  auto pre = make_regex_pretokenizer("\\p{L}[\\p{L}\\p{M}]*|\\p{N}+|");
  expect_tokens(pre->split("cafe\u0301 \U0001D400\U0001D401 42\u00b0"),
                {{"cafe\u0301", 0, 5}, {"\U0001D400\U0001D401", 6, 8}, {"42", 9, 11}});
}

TEST(RegexPreTokenizer, SingleByteMatchesAreWidenedToCodePoints) {
  auto pre = make_regex_pretokenizer("\\C");
  const auto tokens = pre->split("\u00b5a");
  ASSERT_FALSE(tokens.empty());
  EXPECT_EQ(tokens.front().text, "\u00b5");
  EXPECT_EQ(tokens.front().start, 0u);
  EXPECT_EQ(tokens.front().end, 1u);
}

TEST(PreTokenizer, ErrorsAreClear) {
  EXPECT_ERROR_KIND(make_pretokenizer("spaces"), ErrorKind::kInvalidArgument,
                    "unknown pre-tokenizer");
  EXPECT_ERROR_KIND(make_pretokenizer("regex:(unclosed"), ErrorKind::kInvalidArgument,
                    "invalid pre-tokenizer pattern '(unclosed'");
  auto pre = make_whitespace_pretokenizer();
  EXPECT_ERROR_KIND(pre->split("ok \xff"), ErrorKind::kInvalidArgument, "at byte 3");
  EXPECT_ERROR_KIND(make_bert_pretokenizer()->split("\xc3"), ErrorKind::kInvalidArgument,
                    "at byte 0");
}

}  // namespace
}  // namespace spanloop::text
