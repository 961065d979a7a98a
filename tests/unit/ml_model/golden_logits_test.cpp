// Logits equal to transformers' on every fixture (each text alone and every padded batch).
#include <ATen/ATen.h>
#include <torch/cuda.h>

#include "ml/model/token_classifier.h"
#include "model_test_support.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

using namespace spanloop::ml::testing;

struct GoldenParam {
  std::string fixture;
  std::string device;
};

class GoldenLogits : public ::testing::TestWithParam<GoldenParam> {
 protected:
  void SetUp() override {
    if (GetParam().device != "cpu" && !torch::cuda::is_available())
      GTEST_SKIP() << "no CUDA device";
  }
};

TEST_P(GoldenLogits, Fp32MatchesTransformersWithin1e4) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures" / GetParam().fixture;
  ModelLoadOptions options;
  options.device = GetParam().device;
  const auto model = TokenClassifier::load(dir / "model", options);
  EXPECT_FALSE(model.load_report().fresh_head);
  const auto cases = golden_cases(dir);
  ASSERT_EQ(cases.size(), 59u + 5u);
  double worst = 0;
  for (const auto& c : cases) {
    const auto logits = model.forward(c.input_ids, c.attention_mask).cpu();
    ASSERT_EQ(logits.sizes(), c.logits.sizes()) << c.name;
    const double diff = max_abs_diff_on_tokens(logits, c.logits, c.attention_mask);
    EXPECT_LE(diff, 1e-4) << GetParam().fixture << " " << c.name;
    worst = std::max(worst, diff);
  }
  RecordProperty("max_abs_diff", std::to_string(worst));
}

TEST_P(GoldenLogits, Bf16IsClose) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures" / GetParam().fixture;
  ModelLoadOptions options;
  options.device = GetParam().device;
  options.dtype = ModelDtype::kBFloat16;
  const auto model = TokenClassifier::load(dir / "model", options);
  for (const auto& c : golden_cases(dir)) {
    const auto logits = model.forward(c.input_ids, c.attention_mask).cpu();
    EXPECT_EQ(logits.scalar_type(), at::kFloat);
    const double scale = c.logits.abs().max().item<double>();
    EXPECT_LE(max_abs_diff_on_tokens(logits, c.logits, c.attention_mask), 0.05 * scale + 0.1)
        << c.name;
    EXPECT_GE(argmax_agreement(logits, c.logits, c.attention_mask), 0.9) << c.name;
  }
}

TEST_P(GoldenLogits, SaveReloadGivesIdenticalLogits) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures" / GetParam().fixture;
  ModelLoadOptions options;
  options.device = GetParam().device;
  const auto model = TokenClassifier::load(dir / "model", options);
  spanloop::testing::TempDir tmp;
  model.save(tmp.path() / "out");
  const auto again = TokenClassifier::load(tmp.path() / "out", options);
  EXPECT_EQ(again.labels(), model.labels());
  // Same keys as the checkpoint transformers wrote.
  auto original = open_weights(dir / "model")->names();
  auto written = open_weights(tmp.path() / "out")->names();
  std::sort(original.begin(), original.end());
  std::sort(written.begin(), written.end());
  EXPECT_EQ(written, original);
  for (const auto& name : tokenizer_file_names())
    EXPECT_EQ(std::filesystem::exists(dir / "model" / name),
              std::filesystem::exists(tmp.path() / "out" / name))
        << name;
  for (const auto& c : golden_cases(dir)) {
    const auto a = model.forward(c.input_ids, c.attention_mask).cpu();
    const auto b = again.forward(c.input_ids, c.attention_mask).cpu();
    EXPECT_TRUE(at::equal(a, b)) << c.name;
  }
}

std::vector<GoldenParam> params() {
  std::vector<GoldenParam> out;
  for (const auto& f : fixture_names())
    for (const char* d : {"cpu", "cuda"}) out.push_back({f, d});
  return out;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenLogits, ::testing::ValuesIn(params()),
                         [](const ::testing::TestParamInfo<GoldenParam>& info) {
                           std::string name = info.param.fixture + "_" + info.param.device;
                           for (auto& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
}  // namespace spanloop::ml
