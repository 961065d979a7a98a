// Golden tests: every fixture's tokenizer.json against the reference tokenizations in
// ../shared/fixtures (made by Hugging Face tokenizers 0.23.2; see its README).
#include <gtest/gtest.h>

#include "golden_support.h"
#include "ml/tokenizer/tokenizer.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

using testing::compare_encoding;
using testing::read_jsonl;

class FixtureGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureGolden, TokenizationMatchesReference) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures" / GetParam();
  const auto tok = Tokenizer::from_file(dir / "model" / "tokenizer.json");
  const auto records = read_jsonl(dir / "golden" / "tokenization.jsonl");
  ASSERT_EQ(records.size(), 59u);
  int failures = 0;
  for (const auto& rec : records) {
    const auto enc = tok.encode(rec["text"].get<std::string>());
    const auto diff = compare_encoding(enc, rec);
    if (!diff.empty()) {
      ++failures;
      ADD_FAILURE() << GetParam() << " " << rec["id"].get<std::string>() << ": " << diff;
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST_P(FixtureGolden, PretokenizedMatchesReference) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures" / GetParam();
  const auto tok = Tokenizer::from_file(dir / "model" / "tokenizer.json");
  for (const auto& rec : read_jsonl(dir / "golden" / "pretokenized.jsonl")) {
    const auto enc = tok.encode_words(rec["words"].get<std::vector<std::string>>());
    const auto diff = compare_encoding(enc, rec);
    EXPECT_TRUE(diff.empty()) << GetParam() << " " << rec["id"].get<std::string>() << ": " << diff;
  }
}

TEST_P(FixtureGolden, FallbackFilesGiveTheSameIds) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures" / GetParam();
  // A copy of the model directory without tokenizer.json forces the legacy loaders.
  spanloop::testing::TempDir tmp;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "model")) {
    if (entry.path().filename() != "tokenizer.json" &&
        entry.path().filename() != "model.safetensors") {
      std::filesystem::copy_file(entry.path(), tmp.path() / entry.path().filename());
    }
  }
  const auto fast = Tokenizer::from_file(dir / "model" / "tokenizer.json");
  const auto legacy = Tokenizer::from_directory(tmp.path());
  EXPECT_EQ(legacy.vocab_size(), fast.vocab_size());
  for (const auto& rec : read_jsonl(dir / "golden" / "tokenization.jsonl")) {
    const auto text = rec["text"].get<std::string>();
    const auto a = legacy.encode(text);
    EXPECT_EQ(a.ids, rec["input_ids"].get<std::vector<std::int64_t>>())
        << GetParam() << " " << rec["id"];
    EXPECT_TRUE(compare_encoding(a, rec).empty()) << compare_encoding(a, rec);
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureGolden,
                         ::testing::Values("bert-uncased", "bert-cased", "distilbert-uncased",
                                           "roberta", "xlm-roberta"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace spanloop::ml
