// UTF-8 validation and code point <-> byte maps on patent-style non-ASCII text.
#include "text/utf8.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace spanloop::text {
namespace {

// "high-κ 5 µm ≤ 𝐀" : κ, µ and ≤ are 2-3 bytes, 𝐀 (U+1D400) is 4 bytes.
const std::string kPatent = "high-\xCE\xBA 5 \xC2\xB5m \xE2\x89\xA4 \xF0\x9D\x90\x80";

TEST(Utf8, AcceptsValidText) {
  EXPECT_FALSE(find_invalid_utf8(kPatent).has_value());
  EXPECT_FALSE(find_invalid_utf8("").has_value());
  EXPECT_FALSE(find_invalid_utf8("plain ascii text that is longer than eight bytes").has_value());
}

TEST(Utf8, RejectsInvalidSequencesAtTheirByteOffset) {
  EXPECT_EQ(find_invalid_utf8("abc\xFF"), 3u);                 // never valid
  EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF"), 2u);              // overlong '/'
  EXPECT_EQ(find_invalid_utf8("a\xED\xA0\x80"), 1u);           // UTF-16 surrogate
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);        // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("12345678\xE2\x89"), 8u);        // truncated at the end
  EXPECT_EQ(find_invalid_utf8("\x80"), 0u);                    // stray continuation byte
}

TEST(Utf8, ValidateNamesWhatAndWhere) {
  EXPECT_ERROR_KIND(validate_utf8("ok\xFF", "record 7 field text"), ErrorKind::kInvalidArgument,
                    "invalid UTF-8 in record 7 field text at byte 2");
}

TEST(Utf8, DecodesAndEncodesRoundTrip) {
  const std::u32string cps = to_u32(kPatent);
  ASSERT_EQ(cps.size(), 15u);
  EXPECT_EQ(cps[5], U'\u03BA');
  EXPECT_EQ(cps[14], U'\U0001D400');
  EXPECT_EQ(to_utf8(cps), kPatent);
  EXPECT_EQ(count_code_points(kPatent), 15u);
}

TEST(Utf8, CodepointIndexMapsBothWays) {
  const CodepointIndex index(kPatent);
  EXPECT_EQ(index.size_code_points(), 15u);
  EXPECT_EQ(index.byte_of(5), 5u);   // κ starts at byte 5
  EXPECT_EQ(index.byte_of(6), 7u);   // after the 2-byte κ
  EXPECT_EQ(index.byte_of(14), kPatent.size() - 4);
  EXPECT_EQ(index.byte_of(15), kPatent.size());
  EXPECT_EQ(index.cp_of(6), 5u);  // second byte of κ belongs to code point 5
  EXPECT_EQ(index.cp_of(kPatent.size()), 15u);
  EXPECT_EQ(substr_code_points(kPatent, index, 0, 6), "high-\xCE\xBA");
  EXPECT_EQ(substr_code_points(kPatent, index, 14, 99), "\xF0\x9D\x90\x80");
}

TEST(Utf8, CodepointIndexOnAsciiIsIdentity) {
  const CodepointIndex index("abc def");
  EXPECT_EQ(index.size_code_points(), 7u);
  EXPECT_EQ(index.byte_of(4), 4u);
  EXPECT_EQ(index.cp_of(7), 7u);
}

}  // namespace
}  // namespace spanloop::text
