// The post-processing against transformers' pipeline goldens: every fixture, every text, every
// aggregation strategy, from the logits transformers produced (expected.safetensors).
#include <gtest/gtest.h>

#include "golden_support.h"
#include "ml/infer/aggregation.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

using testing::compare_entities;

class AggregationGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(AggregationGolden, EveryStrategyEqualsThePipeline) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures" / GetParam();
  const auto tok = Tokenizer::from_directory(dir / "model");
  const auto labels = testing::fixture_labels(dir / "model");
  const auto tensors = testing::read_safetensors(dir / "golden" / "expected.safetensors");
  const auto inputs = testing::read_jsonl(dir / "golden" / "inputs.jsonl");
  std::ifstream index_in(dir / "golden" / "expected_index.json");
  const auto index = nlohmann::json::parse(index_in);
  std::map<std::string, std::string> single_of;  // text id -> tensor prefix
  for (const auto& s : index["singles"]) single_of[s["text_ids"][0]] = s["name"];

  std::size_t compared = 0;
  for (const auto aggregation : {Aggregation::kNone, Aggregation::kSimple, Aggregation::kFirst,
                                 Aggregation::kAverage, Aggregation::kMax}) {
    const EntityAggregator aggregator(tok, labels, {aggregation, {"O"}});
    const auto golden = testing::read_jsonl(
        dir / "golden" / ("pipeline_" + std::string(aggregation_name(aggregation)) + ".jsonl"));
    ASSERT_EQ(golden.size(), inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const auto id = inputs[i]["id"].get<std::string>();
      const auto text = inputs[i]["text"].get<std::string>();
      ASSERT_EQ(golden[i]["id"], id);
      const auto& name = single_of.at(id);
      // The pipeline truncates to 512 tokens: the first window is exactly that.
      const auto windows = tok.encode_windows(text, 512, 0);
      const Encoding& enc = windows.front();
      ASSERT_EQ(enc.ids, tensors.at(name + ".input_ids").i64) << id;
      const auto& logits = tensors.at(name + ".logits");
      ASSERT_EQ(static_cast<std::size_t>(logits.shape[2]), labels.size());
      const auto got = aggregator.aggregate(text, {{&enc, logits.f32.data(), 0}});
      const auto diff = compare_entities(got, golden[i]["entities"]);
      EXPECT_TRUE(diff.empty()) << GetParam() << " " << aggregation_name(aggregation) << " " << id
                                << ": " << diff;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 5 * inputs.size());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, AggregationGolden, ::testing::ValuesIn(testing::fixture_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(Aggregation, ParseNames) {
  EXPECT_EQ(parse_aggregation("average"), Aggregation::kAverage);
  EXPECT_EQ(aggregation_name(Aggregation::kMax), "max");
  EXPECT_ERROR_KIND(parse_aggregation("mean"), ErrorKind::kInvalidArgument, "'mean'");
}

Entity entity(std::string label, float score, std::size_t start, std::size_t end) {
  Entity e;
  e.label = std::move(label);
  e.score = score;
  e.start = start;
  e.end = end;
  return e;
}

TEST(Aggregation, OverlappingWindowsKeepLongerThenHigherScored) {
  Entities in = {entity("A", 0.5f, 10, 20), entity("B", 0.9f, 0, 5), entity("C", 0.4f, 12, 25),
                 entity("D", 0.8f, 30, 35), entity("E", 0.9f, 30, 35)};
  const auto out = merge_overlapping_entities(in);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].label, "B");
  EXPECT_EQ(out[1].label, "C");  // longer wins over the earlier, higher-scored one
  EXPECT_EQ(out[2].label, "E");  // same length: higher score
}

}  // namespace
}  // namespace spanloop::ml
