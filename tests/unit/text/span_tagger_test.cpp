// SpanTagger end to end: validation errors, policies, layers and the report.
#include "text/span_tagger.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace spanloop::text {
namespace {

std::vector<std::string> tag_names(const LabelMap& map, const std::vector<int>& ids) {
  std::vector<std::string> out;
  for (int id : ids) out.push_back(map.tags()[static_cast<std::size_t>(id)]);
  return out;
}

using Tags = std::vector<std::string>;

// Patent text: "A κ-type magnet at ≤ 20 °C" (κ is 1 code point, 2 bytes).
const std::string kText = "A \u03ba-type magnet at \u2264 20 \u00b0C";

TEST(SpanTagger, TagsWithBertTokensAndReports) {
  SpanTagger tagger(LabelMap({"Material", "Value"}, Scheme::kIOB2), {});
  auto bert = make_pretokenizer("bert");
  // "κ-type magnet" [2,15) aligns exactly; "20 °" [21,25) cuts the token "°C" -> expanded.
  const std::vector<Span> spans{{2, 15, "Material"}, {21, 25, "Value"}};
  TaggedRecord r = tagger.tag("US-1", kText, spans, *bert);
  ASSERT_EQ(r.layers.size(), 1u);
  // Tokens: A κ - type magnet at ≤ 20 °C
  EXPECT_EQ(tag_names(tagger.label_map(), r.layers[0]),
            (Tags{"O", "B-Material", "I-Material", "I-Material", "I-Material", "O", "O", "B-Value",
                  "I-Value"}));
  const TaggingReport& rep = tagger.report();
  EXPECT_EQ(rep.records, 1u);
  EXPECT_EQ(rep.tokens, 9u);
  EXPECT_EQ(rep.spans, 2u);
  EXPECT_EQ(rep.count(AlignmentOutcome::kExact), 1u);
  EXPECT_EQ(rep.count(AlignmentOutcome::kExpanded), 1u);
  EXPECT_EQ(rep.spans_tagged(), 2u);
  ASSERT_EQ(rep.alignment_examples.size(), 1u);
  const ReportExample& e = rep.alignment_examples[0];
  EXPECT_EQ(e.record_id, "US-1");
  EXPECT_EQ(e.span_index, 1u);
  EXPECT_EQ(e.span_text, "20 \u00b0");
  EXPECT_EQ(e.tokens, "[20][\u00b0C]");
  EXPECT_EQ(e.what, "expanded: tagged on tokens [7, 9)");
  const std::string text = rep.to_text();
  EXPECT_NE(text.find("alignment (expand): exact 1, expanded 1"), std::string::npos) << text;
  EXPECT_NE(text.find("record 'US-1' span #1 [21, 25) 'Value' \"20 \u00b0\""), std::string::npos);
  EXPECT_NE(rep.to_json().find("\"expanded\": 1"), std::string::npos);
}

TEST(SpanTagger, StrictAlignmentNamesRecordSpanAndTokens) {
  SpanTagger tagger(LabelMap({"Value"}, Scheme::kIOB2), {AlignmentPolicy::kStrict});
  auto ws = make_pretokenizer("whitespace");
  const std::vector<Span> spans{{21, 25, "Value"}};
  EXPECT_ERROR_KIND(tagger.tag("US-2", kText, spans, *ws), ErrorKind::kInvalidArgument,
                    "record 'US-2': span #0 [21, 25) 'Value' \"20 \u00b0\" (tokens [20][\u00b0C]) "
                    "starts or ends inside a token (alignment policy strict)");
  EXPECT_EQ(tagger.report().records, 0u) << "a failed record leaves the report unchanged";
}

TEST(SpanTagger, InvalidSpansAreErrors) {
  SpanTagger tagger(LabelMap({"Value"}, Scheme::kIOB2), {});
  auto ws = make_pretokenizer("whitespace");
  const std::vector<Span> unknown{{0, 1, "Colour"}};
  EXPECT_ERROR_KIND(tagger.tag("r", kText, unknown, *ws), ErrorKind::kInvalidArgument,
                    "span #0 [0, 1) 'Colour' has a label that is not one of the 1");
  const std::vector<Span> past{{20, 40, "Value"}};
  EXPECT_ERROR_KIND(tagger.tag("r", kText, past, *ws), ErrorKind::kInvalidArgument,
                    "ends past the end of the text (26 code points)");
  EXPECT_ERROR_KIND(tagger.tag("r", "ok \xff", {}, *ws), ErrorKind::kInvalidArgument,
                    "invalid UTF-8");
  const std::vector<Token> bad_tokens{{"A", 0, 1}, {"x", 0, 2}};
  EXPECT_ERROR_KIND(tagger.tag("r", kText, bad_tokens, {}), ErrorKind::kInvalidArgument,
                    "token #1 [0, 2)");
}

TEST(SpanTagger, OverlapErrorNamesBothSpans) {
  SpanTagger tagger(LabelMap({"A", "B"}, Scheme::kIOB2), {});
  auto ws = make_pretokenizer("whitespace");
  const std::vector<Span> spans{{2, 15, "A"}, {9, 18, "B"}};
  EXPECT_ERROR_KIND(tagger.tag("r9", kText, spans, *ws), ErrorKind::kInvalidArgument,
                    "record 'r9': span #1 [9, 18) 'B' \"magnet at\" (tokens [magnet][at]) shares "
                    "tokens with span #0 [2, 15) 'A'");
}

TEST(SpanTagger, OverlapPoliciesAndLayers) {
  const std::vector<Span> spans{{2, 15, "A"}, {9, 18, "B"}, {19, 20, "B"}};
  auto ws = make_pretokenizer("whitespace");
  {
    SpanTagger tagger(LabelMap({"A", "B"}, Scheme::kIOBES),
                      {AlignmentPolicy::kExpand, OverlapPolicy::kLayers});
    TaggedRecord r = tagger.tag("r", kText, spans, *ws);
    ASSERT_EQ(r.layers.size(), 2u);
    // Tokens: A κ-type magnet at ≤ 20 °C
    EXPECT_EQ(tag_names(tagger.label_map(), r.layers[0]),
              (Tags{"O", "B-A", "E-A", "O", "S-B", "O", "O"}));
    EXPECT_EQ(tag_names(tagger.label_map(), r.layers[1]),
              (Tags{"O", "O", "B-B", "E-B", "O", "O", "O"}));
    EXPECT_EQ(tagger.report().max_layers, 2u);
    EXPECT_EQ(tagger.report().overlapping_spans, 2u);
    EXPECT_EQ(tagger.report().overlap_dropped, 0u);
    ASSERT_EQ(tagger.report().overlap_examples.size(), 1u);
    EXPECT_EQ(tagger.report().overlap_examples[0].what, "tagged in layer 2 on tokens [2, 4)");
  }
  {
    SpanTagger tagger(LabelMap({"A", "B"}, Scheme::kIOB2),
                      {AlignmentPolicy::kExpand, OverlapPolicy::kFirst});
    TaggedRecord r = tagger.tag("r", kText, spans, *ws);
    ASSERT_EQ(r.layers.size(), 1u);
    EXPECT_EQ(tag_names(tagger.label_map(), r.layers[0]),
              (Tags{"O", "B-A", "I-A", "O", "B-B", "O", "O"}));
    EXPECT_EQ(tagger.report().overlap_dropped, 1u);
    EXPECT_EQ(tagger.report().records_with_overlap, 1u);
    EXPECT_EQ(tagger.report().spans_tagged(), 2u);
    EXPECT_EQ(tagger.report().overlap_examples[0].what, "dropped by overlap policy first");
  }
}

TEST(SpanTagger, LegacyPolicyReproducesTheNotebook) {
  // "magnet at" [9,18) -> the notebook tagged only whole tokens inside; a span starting one
  // character early (on the space) made its first token I-.
  SpanTagger tagger(LabelMap({"A"}, Scheme::kIOB2), {AlignmentPolicy::kLegacy});
  auto ws = make_pretokenizer("whitespace");
  const std::vector<Span> spans{{8, 18, "A"}};
  TaggedRecord r = tagger.tag("r", kText, spans, *ws);
  EXPECT_EQ(tag_names(tagger.label_map(), r.layers[0]),
            (Tags{"O", "O", "I-A", "I-A", "O", "O", "O"}));
  EXPECT_EQ(tagger.report().count(AlignmentOutcome::kPartial), 1u);
}

TEST(SpanTagger, ReportMergesAcrossRecordsAndCapsExamples) {
  SpanTagger tagger(LabelMap({"A"}, Scheme::kIOB2),
                    {AlignmentPolicy::kDrop, OverlapPolicy::kError, 2});
  auto ws = make_pretokenizer("whitespace");
  for (int i = 0; i < 3; ++i) {
    const std::vector<Span> spans{{0, 1, "A"}, {3, 5, "A"}};  // "A" exact, "-t" cuts "κ-type"
    tagger.tag("r" + std::to_string(i), kText, spans, *ws);
  }
  EXPECT_EQ(tagger.report().records, 3u);
  EXPECT_EQ(tagger.report().count(AlignmentOutcome::kDropped), 3u);
  EXPECT_EQ(tagger.report().count(AlignmentOutcome::kExact), 3u);
  EXPECT_EQ(tagger.report().alignment_examples.size(), 2u);
  EXPECT_EQ(tagger.report().alignment_examples[1].record_id, "r1");
}

}  // namespace
}  // namespace spanloop::text
