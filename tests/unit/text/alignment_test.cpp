// Alignment policies, overlap policies and per-scheme encoding of token spans.
#include "text/alignment.h"

#include <gtest/gtest.h>

#include "support/test_support.h"
#include "text/encode.h"

namespace spanloop::text {
namespace {

// "The thin-film head" with whitespace tokens The[0,3) thin-film[4,13) head[14,18).
const std::vector<Token> kTokens{{"The", 0, 3}, {"thin-film", 4, 13}, {"head", 14, 18}};

AlignmentOutcome align(const Span& s, AlignmentPolicy p, TokenSpan& out) {
  return align_span(kTokens, s, p, out);
}

TEST(Alignment, ExactSpansKeepTheirTokens) {
  for (auto p : {AlignmentPolicy::kExpand, AlignmentPolicy::kContract, AlignmentPolicy::kStrict,
                 AlignmentPolicy::kDrop, AlignmentPolicy::kLegacy}) {
    TokenSpan ts;
    EXPECT_EQ(align({4, 18, "C"}, p, ts), AlignmentOutcome::kExact);
    EXPECT_EQ(ts.begin, 1u);
    EXPECT_EQ(ts.end, 3u);
    EXPECT_FALSE(ts.open_begin || ts.open_end);
  }
}

TEST(Alignment, SpanEndingInsideAToken) {
  const Span thin{4, 8, "C"};  // "thin" of "thin-film"
  TokenSpan ts;
  EXPECT_EQ(align(thin, AlignmentPolicy::kExpand, ts), AlignmentOutcome::kExpanded);
  EXPECT_EQ(ts.begin, 1u);
  EXPECT_EQ(ts.end, 2u);
  EXPECT_EQ(align(thin, AlignmentPolicy::kContract, ts), AlignmentOutcome::kContractedAway);
  EXPECT_EQ(align(thin, AlignmentPolicy::kDrop, ts), AlignmentOutcome::kDropped);
  EXPECT_EQ(align(thin, AlignmentPolicy::kStrict, ts), AlignmentOutcome::kMisaligned);
  EXPECT_EQ(align(thin, AlignmentPolicy::kLegacy, ts), AlignmentOutcome::kContractedAway);
}

TEST(Alignment, ContractKeepsWholeTokensInside) {
  const Span s{1, 18, "C"};  // starts inside "The"
  TokenSpan ts;
  EXPECT_EQ(align(s, AlignmentPolicy::kContract, ts), AlignmentOutcome::kContracted);
  EXPECT_EQ(ts.begin, 1u);
  EXPECT_EQ(ts.end, 3u);
  EXPECT_EQ(align(s, AlignmentPolicy::kExpand, ts), AlignmentOutcome::kExpanded);
  EXPECT_EQ(ts.begin, 0u);
  EXPECT_EQ(ts.end, 3u);
}

TEST(Alignment, LegacyMarksEdgesThatAreNotTokenEdges) {
  TokenSpan ts;
  // Starts on the space before "thin-film": tokens wholly inside are [1, 2), but the first
  // token does not start where the span starts, so the notebook gave it I-.
  EXPECT_EQ(align({3, 13, "C"}, AlignmentPolicy::kLegacy, ts), AlignmentOutcome::kPartial);
  EXPECT_EQ(ts.begin, 1u);
  EXPECT_EQ(ts.end, 2u);
  EXPECT_TRUE(ts.open_begin);
  EXPECT_FALSE(ts.open_end);
  EXPECT_EQ(align({1, 18, "C"}, AlignmentPolicy::kLegacy, ts), AlignmentOutcome::kPartial);
  EXPECT_EQ(ts.begin, 1u);
  EXPECT_TRUE(ts.open_begin);
  // Other policies see no cut token for a span that starts on whitespace.
  EXPECT_EQ(align({3, 13, "C"}, AlignmentPolicy::kStrict, ts), AlignmentOutcome::kExact);
}

TEST(Alignment, SpanOverWhitespaceOnlyCoversNoToken) {
  TokenSpan ts;
  EXPECT_EQ(align({3, 4, "C"}, AlignmentPolicy::kExpand, ts), AlignmentOutcome::kNoToken);
  EXPECT_EQ(align({18, 18, "C"}, AlignmentPolicy::kExpand, ts), AlignmentOutcome::kNoToken);
}

TEST(Alignment, PolicyNames) {
  for (auto name : {"expand", "contract", "strict", "drop", "legacy"}) {
    EXPECT_EQ(alignment_policy_name(parse_alignment_policy(name)), name);
  }
  for (auto name : {"error", "longest", "first", "layers"}) {
    EXPECT_EQ(overlap_policy_name(parse_overlap_policy(name)), name);
  }
  EXPECT_ERROR_KIND(parse_alignment_policy("grow"), ErrorKind::kInvalidArgument, "'grow'");
  EXPECT_ERROR_KIND(parse_overlap_policy("merge"), ErrorKind::kInvalidArgument, "'merge'");
}

TokenSpan ts(std::size_t b, std::size_t e, std::size_t index, std::size_t label = 0) {
  TokenSpan s;
  s.begin = b;
  s.end = e;
  s.span_index = index;
  s.label = label;
  s.char_length = (e - b) * 3;
  return s;
}

TEST(Overlap, NoConflictKeepsOneSortedLayer) {
  auto r = resolve_overlaps({ts(4, 5, 0), ts(0, 2, 1), ts(2, 4, 2)}, OverlapPolicy::kError);
  EXPECT_TRUE(r.conflicts.empty());
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_EQ(r.layers[0][0].span_index, 1u);
  EXPECT_EQ(r.layers[0][2].span_index, 0u);
}

TEST(Overlap, Policies) {
  // Nested: #0 [0,5) contains #1 [1,2); crossing: #2 [4,7) crosses #0; #3 [8,9) alone.
  const std::vector<TokenSpan> spans{ts(0, 5, 0), ts(1, 2, 1), ts(4, 7, 2), ts(8, 9, 3)};
  auto err = resolve_overlaps(spans, OverlapPolicy::kError);
  EXPECT_EQ(err.overlapping, 3u);
  ASSERT_FALSE(err.conflicts.empty());
  EXPECT_EQ(err.conflicts.front(), (std::pair<std::size_t, std::size_t>{1, 0}));

  auto longest = resolve_overlaps(spans, OverlapPolicy::kLongest);
  EXPECT_EQ(longest.dropped, (std::vector<std::size_t>{2, 1}));
  ASSERT_EQ(longest.layers.size(), 1u);
  EXPECT_EQ(longest.layers[0].size(), 2u);

  // first: earliest start wins, so #0 stays and #1, #2 go.
  auto first = resolve_overlaps(spans, OverlapPolicy::kFirst);
  EXPECT_EQ(first.dropped, (std::vector<std::size_t>{1, 2}));

  auto layers = resolve_overlaps(spans, OverlapPolicy::kLayers);
  EXPECT_TRUE(layers.dropped.empty());
  ASSERT_EQ(layers.layers.size(), 2u);
  EXPECT_EQ(layers.layers[0].size(), 2u);  // #0, #3
  EXPECT_EQ(layers.layers[1].size(), 2u);  // #1, #2
  EXPECT_EQ(layers.layers[1][0].span_index, 1u);
  EXPECT_EQ(layers.layers[1][1].span_index, 2u);
}

TEST(Overlap, LongestPrefersMoreTokensThenMoreCharacters) {
  TokenSpan a = ts(0, 2, 0);
  TokenSpan b = ts(1, 3, 1);
  b.char_length = a.char_length + 1;
  auto r = resolve_overlaps({a, b}, OverlapPolicy::kLongest);
  EXPECT_EQ(r.dropped, (std::vector<std::size_t>{0}));
}

// Tokens 0..6; spans A[1,3) A[3,4) B[5,6): adjacent same-type spans exercise IOB1/IOE1.
std::vector<std::string> encode(Scheme scheme) {
  LabelMap map({"A", "B"}, scheme);
  const std::vector<TokenSpan> layer{ts(1, 3, 0, 0), ts(3, 4, 1, 0), ts(5, 6, 2, 1)};
  std::vector<std::string> out;
  for (int id : encode_layer(7, layer, map))
    out.push_back(map.tags()[static_cast<std::size_t>(id)]);
  return out;
}

using Tags = std::vector<std::string>;

TEST(Encode, EveryScheme) {
  EXPECT_EQ(encode(Scheme::kIO), (Tags{"O", "I-A", "I-A", "I-A", "O", "I-B", "O"}));
  EXPECT_EQ(encode(Scheme::kIOB2), (Tags{"O", "B-A", "I-A", "B-A", "O", "B-B", "O"}));
  EXPECT_EQ(encode(Scheme::kIOB1), (Tags{"O", "I-A", "I-A", "B-A", "O", "I-B", "O"}));
  EXPECT_EQ(encode(Scheme::kIOE2), (Tags{"O", "I-A", "E-A", "E-A", "O", "E-B", "O"}));
  EXPECT_EQ(encode(Scheme::kIOE1), (Tags{"O", "I-A", "E-A", "I-A", "O", "I-B", "O"}));
  EXPECT_EQ(encode(Scheme::kIOBES), (Tags{"O", "B-A", "E-A", "S-A", "O", "S-B", "O"}));
  EXPECT_EQ(encode(Scheme::kBILOU), (Tags{"O", "B-A", "L-A", "U-A", "O", "U-B", "O"}));
}

TEST(Encode, LegacyOpenEdgesUseInsideTags) {
  LabelMap map({"A"}, Scheme::kIOBES);
  TokenSpan s = ts(0, 3, 0);
  s.open_begin = true;
  auto tags = encode_layer(3, std::vector<TokenSpan>{s}, map);
  EXPECT_EQ(map.tags()[static_cast<std::size_t>(tags[0])], "I-A");
  EXPECT_EQ(map.tags()[static_cast<std::size_t>(tags[2])], "E-A");
  TokenSpan one = ts(1, 2, 0);
  one.open_end = true;
  tags = encode_layer(3, std::vector<TokenSpan>{one}, map);
  EXPECT_EQ(map.tags()[static_cast<std::size_t>(tags[1])], "B-A");
}

}  // namespace
}  // namespace spanloop::text
