// Span validation: each failure names the record, the span and the problem.
#include "text/span.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace spanloop::text {
namespace {

const std::vector<std::string> kLabels{"Component", "Material"};

TEST(Spans, ValidSpansHaveNoProblems) {
  const std::vector<Span> spans{{0, 4, "Component"}, {5, 9, "Material"}};
  EXPECT_TRUE(find_span_problems(spans, {10, kLabels, false, "r1"}).empty());
  EXPECT_NO_THROW(validate_spans(spans, {10, kLabels, false, "r1"}));
}

TEST(Spans, EachProblemIsSpecific) {
  const std::vector<Span> spans{{0, 4, "Component"},
                                {3, 3, "Material"},
                                {2, 12, "Material"},
                                {5, 6, "Colour"},
                                {3, 5, "Component"}};
  const auto problems = find_span_problems(spans, {10, kLabels, false, "US-1-B2"});
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].kind, SpanProblemKind::kEmpty);
  EXPECT_EQ(problems[0].message,
            "record 'US-1-B2': span #1 [3, 3) 'Material' is empty (start must be < end)");
  EXPECT_EQ(problems[1].kind, SpanProblemKind::kOutOfRange);
  EXPECT_EQ(problems[1].message,
            "record 'US-1-B2': span #2 [2, 12) 'Material' ends past the end of the text (10 code "
            "points)");
  EXPECT_EQ(problems[2].kind, SpanProblemKind::kUnknownLabel);
  EXPECT_NE(
      problems[2].message.find("span #3 [5, 6) 'Colour' has a label that is not one of the 2"),
      std::string::npos);
  EXPECT_EQ(problems[3].kind, SpanProblemKind::kOverlap);
  EXPECT_EQ(problems[3].index, 4u);
  EXPECT_EQ(problems[3].other, 0u);
  EXPECT_NE(problems[3].message.find("span #4 [3, 5) 'Component' overlaps span #0 [0, 4)"),
            std::string::npos);
  EXPECT_ERROR_KIND(validate_spans(spans, {10, kLabels, false, "US-1-B2"}),
                    ErrorKind::kInvalidArgument, "span #1 [3, 3)");
}

TEST(Spans, OverlapAllowedAndAnyLabel) {
  const std::vector<Span> spans{{0, 4, "A"}, {2, 6, "B"}, {1, 2, "C"}};
  EXPECT_TRUE(find_span_problems(spans, {6, {}, true, "r"}).empty());
  const auto problems = find_span_problems(spans, {6, {}, false, "r"});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].index, 1u);
  EXPECT_EQ(problems[1].index, 2u);
  EXPECT_EQ(problems[1].other, 0u);
}

TEST(Spans, SortOrder) {
  std::vector<Span> spans{{3, 5, "B"}, {0, 4, "A"}, {0, 2, "Z"}, {0, 2, "A"}};
  std::sort(spans.begin(), spans.end(), span_less);
  EXPECT_EQ(spans, (std::vector<Span>{{0, 2, "A"}, {0, 2, "Z"}, {0, 4, "A"}, {3, 5, "B"}}));
}

}  // namespace
}  // namespace spanloop::text
