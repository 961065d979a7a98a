// Sub-word alignment and windows, transformers' token-classification recipe.
#include <gtest/gtest.h>

#include "ml/train/features.h"
#include "support/test_support.h"
#include "tiny_data.h"

namespace spanloop::ml::train {
namespace {

using testing::tiny_tokenizer;
const text::LabelMap kLabels({"A", "B"}, text::Scheme::kIOB2);  // O B-A I-A B-B I-B

TEST(Features, FirstSubTokenLabelledRestIgnored) {
  // "alphabet" = alpha ##bet; [CLS]/[SEP] get -100.
  const std::vector<WordExample> ex = {{"s", {"the", "alphabet", "red"}, {0, 1, 3}}};
  const auto f = make_features(ex, tiny_tokenizer(), kLabels, {64, 0, false});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].input_ids, (std::vector<std::int64_t>{2, 4, 8, 11, 12, 3}));
  EXPECT_EQ(f[0].labels, (std::vector<std::int64_t>{-100, 0, 1, -100, 3, -100}));
  EXPECT_EQ(f[0].word_index, (std::vector<std::int32_t>{-1, 0, 1, 1, 2, -1}));
  EXPECT_EQ(f[0].scored, (std::vector<std::uint8_t>{0, 1, 1, 0, 1, 0}));
}

TEST(Features, LabelAllTokensTurnsBIntoI) {
  const std::vector<WordExample> ex = {{"s", {"alphabet", "xy"}, {1, 0}}};
  const auto f = make_features(ex, tiny_tokenizer(), kLabels, {64, 0, true});
  ASSERT_EQ(f.size(), 1u);
  // alpha ##bet x ##y
  EXPECT_EQ(f[0].labels, (std::vector<std::int64_t>{-100, 1, 2, 0, 0, -100}));
  EXPECT_EQ(continuation_tags(kLabels), (std::vector<std::int64_t>{0, 2, 2, 4, 4}));
}

TEST(Features, LongSentencesBecomeWindowsWithStrideAndEachWordScoredOnce) {
  WordExample e{"long", {}, {}};
  for (int i = 0; i < 25; ++i) {
    e.words.push_back(i % 5 == 0 ? "red" : "the");
    e.tags.push_back(i % 5 == 0 ? 3 : 0);
  }
  // 10 tokens per window = 8 content + [CLS] [SEP]; stride 3 -> windows start 5 apart.
  const auto f = make_features({e}, tiny_tokenizer(), kLabels, {10, 3, false});
  ASSERT_EQ(f.size(), 5u);  // starts 0, 5, 10, 15, 20 (20 + 8 >= 25)
  std::vector<int> scored(25, 0);
  for (const auto& w : f) {
    EXPECT_LE(w.input_ids.size(), 10u);
    EXPECT_EQ(w.input_ids.front(), 2);
    EXPECT_EQ(w.input_ids.back(), 3);
    for (std::size_t k = 0; k < w.input_ids.size(); ++k)
      if (w.scored[k]) ++scored[static_cast<std::size_t>(w.word_index[k])];
  }
  for (int i = 0; i < 25; ++i) EXPECT_EQ(scored[static_cast<std::size_t>(i)], 1) << "word " << i;
  EXPECT_EQ(f[1].word_index[1], 5);  // second window starts at word 5
}

TEST(Features, TooShortMaxLengthIsAnError) {
  const std::vector<WordExample> ex = {{"s", {"the"}, {0}}};
  EXPECT_ERROR_KIND(make_features(ex, tiny_tokenizer(), kLabels, {2, 0, false}),
                    ErrorKind::kInvalidArgument, "--max-seq-length 2");
}

}  // namespace
}  // namespace spanloop::ml::train
