// Entity metrics: hand-computed values, sentence-level API, ids from a label map, errors, JSON.
#include <gtest/gtest.h>

#include <cmath>

#include "support/test_support.h"
#include "text/conlleval.h"
#include "text/entity_metrics.h"
#include "text/numeric_format.h"

namespace spanloop::text {
namespace {

using Seq = std::vector<std::string>;

// seqeval's f1_score docstring: micro 2/3, macro 0.75, weighted 2/3, per type [0.5, 1.0].
TEST(EntityMetrics, SeqevalDocstringExample) {
  EntityEvaluator eval({});
  eval.add(Seq{"O", "O", "B-MISC", "I-MISC", "B-MISC", "O", "O"},
           Seq{"O", "O", "B-MISC", "I-MISC", "B-MISC", "I-MISC", "O"});
  eval.add(Seq{"B-PER", "I-PER", "O"}, Seq{"B-PER", "I-PER", "O"});
  const EntityReport r = eval.report();
  EXPECT_DOUBLE_EQ(r.micro.f1, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.macro.f1, 0.75);
  EXPECT_DOUBLE_EQ(r.weighted.f1, 2.0 / 3.0);
  ASSERT_EQ(r.types.size(), 2u);
  EXPECT_EQ(r.types[0].name, "MISC");
  EXPECT_DOUBLE_EQ(r.types[0].f1, 0.5);
  EXPECT_EQ(r.types[0].support, 2u);
  EXPECT_EQ(r.types[0].predicted, 2u);
  EXPECT_EQ(r.types[0].correct, 1u);
  EXPECT_DOUBLE_EQ(r.types[1].f1, 1.0);
  EXPECT_EQ(r.tokens, 10u);
  EXPECT_EQ(r.correct_tokens, 9u);
  EXPECT_DOUBLE_EQ(r.accuracy(), 0.9);
}

TEST(EntityMetrics, LabelMapIdsFromAModel) {
  LabelMap map({"PER", "LOC"}, Scheme::kIOB2);  // O B-PER I-PER B-LOC I-LOC
  EntityEvaluator eval({DecodeMode::kStrict, Scheme::kIOB2}, TagSet::from_label_map(map));
  const std::vector<TagId> gold{1, 2, 0, 3}, pred{1, 2, 0, 4};
  eval.add(gold, pred);
  const EntityReport r = eval.report();
  EXPECT_EQ(r.micro.support, 2u);
  EXPECT_EQ(r.micro.predicted, 1u) << "strict mode drops the ill-formed I-LOC";
  EXPECT_EQ(r.micro.correct, 1u);
}

TEST(EntityMetrics, Errors) {
  EntityEvaluator eval({});
  EXPECT_ERROR_KIND(eval.add(Seq{"O", "B-X"}, Seq{"O"}), ErrorKind::kInvalidArgument,
                    "sentence 1: gold has 2 tags, prediction has 1");
  EXPECT_ERROR_KIND(EntityEvaluator({DecodeMode::kStrict, std::nullopt}),
                    ErrorKind::kInvalidArgument, "strict mode needs a scheme");
  EXPECT_ERROR_KIND(EntityEvaluator({DecodeMode::kStrict, Scheme::kIO}),
                    ErrorKind::kInvalidArgument, "IO scheme");
  EXPECT_ERROR_KIND(EntityEvaluator({DecodeMode::kConlleval, std::nullopt}),
                    ErrorKind::kInvalidArgument, "ConllevalCounter");
  EntityEvaluator strict({DecodeMode::kStrict, Scheme::kIOB2});
  EXPECT_ERROR_KIND(strict.add(Seq{"S-X"}, Seq{"O"}), ErrorKind::kInvalidArgument, "'S-X'");
  EXPECT_ERROR_KIND(eval.add(Seq{""}, Seq{"O"}), ErrorKind::kInvalidArgument, "empty tag");
  EXPECT_ERROR_KIND(eval.report().classification_report(21), ErrorKind::kInvalidArgument, "digits");
}

TEST(EntityMetrics, JsonReport) {
  EntityEvaluator eval({});
  eval.add(Seq{"B-PER", "O"}, Seq{"B-PER", "B-LOC"});
  const std::string json = eval.report().to_json();
  EXPECT_NE(json.find("\"mode\": \"default\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"PER\""), std::string::npos);
  EXPECT_NE(json.find("\"micro avg\""), std::string::npos);
  EXPECT_NE(json.find("\"accuracy\": 0.5"), std::string::npos);
}

// Hand count of tests/data/text/metrics/iob2_basic.tags: 22 tokens + 2 -DOCSTART- lines,
// 7 gold and 7 predicted phrases, 3 correct (EU, Peter Blackburn, Werner Zwingmann), 18 of 24
// tags correct.
TEST(Conlleval, HandCountedExample) {
  ConllevalCounter c;
  c.add_document_start();
  c.add_boundary();
  c.add(Seq{"B-ORG", "O", "B-MISC", "O", "O", "O", "B-MISC", "O", "O"},
        Seq{"B-ORG", "O", "B-LOC", "O", "O", "B-MISC", "I-MISC", "O", "O"});
  c.add(Seq{"B-PER", "I-PER"}, Seq{"B-PER", "I-PER"});
  c.add(Seq{"B-LOC", "O"}, Seq{"O", "O"});
  c.add_document_start();
  c.add_boundary();
  c.add(Seq{"O", "B-ORG", "I-ORG", "O", "O", "O", "O", "B-PER", "I-PER"},
        Seq{"O", "B-ORG", "O", "O", "O", "B-MISC", "O", "B-PER", "I-PER"});
  const ConllevalReport r = c.report();
  EXPECT_EQ(r.tokens, 24u);
  EXPECT_EQ(r.found_correct, 7u);
  EXPECT_EQ(r.found_guessed, 7u);
  EXPECT_EQ(r.correct_chunks, 3u);
  EXPECT_EQ(r.correct_tags, 18u);
  EXPECT_NE(
      r.to_text().find("accuracy:  75.00%; precision:  42.86%; recall:  42.86%; FB1:  42.86\n"),
      std::string::npos);
  EXPECT_NE(r.to_json().find("\"FB1\""), std::string::npos);
}

TEST(Conlleval, EmptyInputPrintsOnlyTheCounts) {
  ConllevalCounter c;
  EXPECT_EQ(c.report().to_text(),
            "processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n");
}

TEST(Conlleval, UntypedChunksAreListedTwiceLikePerl) {
  // conlleval's sort/dedupe treats the type "" as false, so it prints that line twice.
  ConllevalCounter c;
  c.add(Seq{"B", "O"}, Seq{"B", "O"});
  const std::string text = c.report().to_text();
  const std::string line =
      "                 : precision: 100.00%; recall: 100.00%; FB1: 100.00  1\n";
  EXPECT_NE(text.find(line + line), std::string::npos) << text;
}

TEST(NumericFormat, NumpyPairwiseSumAndPythonFormatting) {
  // Below 8 values numpy adds left to right; from 8 on it uses eight partial sums.
  std::vector<double> v(9, 0.1);
  double r[8];
  for (double& x : r) x = 0.1;
  const double expected = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + 0.1;
  EXPECT_EQ(detail::numpy_sum(v), expected);
  std::vector<double> big(300);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = 1.0 / static_cast<double>(i + 1);
  EXPECT_NEAR(detail::numpy_sum(big), 6.28266388029950, 1e-12);
  EXPECT_EQ(detail::python_fixed(0.125, 2), "0.12");  // exact tie rounds to even, like Python
  EXPECT_EQ(detail::python_fixed(2.0 / 3.0, 4), "0.6667");
  EXPECT_EQ(detail::python_fixed(std::nan(""), 2), "nan");
  EXPECT_EQ(detail::align_right("Gr\u00f6\u00dfe", 7), "  Gr\u00f6\u00dfe");
}

}  // namespace
}  // namespace spanloop::text
