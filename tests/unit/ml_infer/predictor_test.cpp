// Predictor end to end with model stand-ins: goldens through batching and threads, windows,
// concurrency, errors.
#include "ml/infer/predictor.h"

#include <gtest/gtest.h>

#include <thread>

#include "golden_support.h"
#include "scorers.h"
#include "support/test_support.h"
#include "text/utf8.h"

namespace spanloop::ml {
namespace {

using testing::compare_entities;

struct Fixture {
  std::filesystem::path dir;
  Tokenizer tok;
  std::vector<std::string> labels;
  std::vector<nlohmann::json> inputs;
  std::map<std::string, testing::GoldenTensor> tensors;

  explicit Fixture(const std::filesystem::path& d)
      : dir(d),
        tok(Tokenizer::from_directory(d / "model")),
        labels(testing::fixture_labels(d / "model")),
        inputs(testing::read_jsonl(d / "golden" / "inputs.jsonl")),
        tensors(testing::read_safetensors(d / "golden" / "expected.safetensors")) {}
};

class PredictorGolden : public ::testing::TestWithParam<std::string> {};

// Every text but the one longer than the window (whose windows have no recorded logits), all at
// once: length-sorted batches of 4 and two pipeline threads must not change a single entity.
TEST_P(PredictorGolden, BatchedEqualsThePipeline) {
  SPANLOOP_REQUIRE_SHARED(shared);
  Fixture f(shared / "fixtures" / GetParam());
  std::vector<std::string> texts, ids;
  for (const auto& in : f.inputs) {
    if (in["id"] == "long-00") continue;
    texts.push_back(in["text"]);
    ids.push_back(in["id"]);
  }
  for (const auto aggregation : {Aggregation::kNone, Aggregation::kSimple, Aggregation::kFirst,
                                 Aggregation::kAverage, Aggregation::kMax}) {
    auto scorer = std::make_shared<testing::RecordedScorer>(f.tensors, f.labels.size());
    PredictorOptions o;
    o.aggregation = aggregation;
    o.batch_size = 4;
    o.threads = 2;
    const Predictor p(f.tok, f.labels, scorer, o, 512);
    const auto got = p.predict(texts);
    std::map<std::string, nlohmann::json> golden;
    for (const auto& g :
         testing::read_jsonl(f.dir / "golden" /
                             ("pipeline_" + std::string(aggregation_name(aggregation)) + ".jsonl")))
      golden[g["id"]] = g["entities"];
    ASSERT_EQ(got.size(), texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const auto diff = compare_entities(got[i], golden.at(ids[i]));
      EXPECT_TRUE(diff.empty()) << aggregation_name(aggregation) << " " << ids[i] << ": " << diff;
    }
    const auto stats = p.stats();
    EXPECT_EQ(stats.windows, texts.size());
    EXPECT_EQ(stats.batches, scorer->calls);
    EXPECT_GE(stats.batches, (texts.size() + 3) / 4);
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PredictorGolden, ::testing::ValuesIn(testing::fixture_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

std::optional<Fixture> bert_fixture() {
  const auto shared = spanloop::testing::shared_dir();
  if (!shared) return std::nullopt;
  return Fixture(*shared / "fixtures" / "bert-cased");
}

std::string long_text(const Fixture& f) {
  for (const auto& in : f.inputs)
    if (in["id"] == "long-00") return in["text"];
  return {};
}

// With logits that depend on the token alone, small overlapping windows must give exactly the
// per-token entities (and token indices) of one big window.
TEST(PredictorWindows, OverlappingWindowsMergeToTheUnwindowedTokens) {
  const auto f = bert_fixture();
  if (!f) GTEST_SKIP() << "../shared not present";
  const std::string text = long_text(*f);
  ASSERT_FALSE(text.empty());
  auto scorer = std::make_shared<testing::TokenIdScorer>(f->labels.size());
  PredictorOptions o;
  o.aggregation = Aggregation::kNone;
  const Predictor whole(f->tok, f->labels, scorer, o, 4096);
  for (const std::size_t stride : {0, 5, 16}) {
    o.stride = stride;
    const Predictor windowed(f->tok, f->labels, scorer, o, 40);
    const auto a = whole.predict(text), b = windowed.predict(text);
    ASSERT_EQ(a.size(), b.size()) << "stride " << stride;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(testing::describe(a[i]), testing::describe(b[i])) << "stride " << stride;
    }
    EXPECT_GT(windowed.stats().windows, 15u);
  }
}

TEST(PredictorWindows, LongTextIsNeverTruncated) {
  const auto f = bert_fixture();
  if (!f) GTEST_SKIP() << "../shared not present";
  const std::string text = long_text(*f);
  auto scorer = std::make_shared<testing::TokenIdScorer>(f->labels.size());
  PredictorOptions o;
  o.aggregation = Aggregation::kSimple;
  o.stride = 16;
  const Predictor p(f->tok, f->labels, scorer, o, 64);
  const auto entities = p.predict(text);
  ASSERT_FALSE(entities.empty());
  EXPECT_GT(entities.back().end, spanloop::text::count_code_points(text) - 40);
  for (std::size_t i = 1; i < entities.size(); ++i)
    EXPECT_GE(entities[i].start, entities[i - 1].end);  // merged windows leave no overlaps
}

// Caps windows of 32+ tokens at two per forward pass, as the torch scorer caps long windows so
// that no activation outgrows what the allocator reuses; counts passes over the cap.
class CappedScorer : public testing::TokenIdScorer {
 public:
  using TokenIdScorer::TokenIdScorer;
  void score(const std::vector<std::int64_t>& ids, const std::vector<std::int64_t>& mask,
             std::size_t batch, std::size_t seq, std::vector<float>& logits) override {
    if (batch > 1 && batch * seq > max_batch_tokens(seq)) ++over_cap;
    TokenIdScorer::score(ids, mask, batch, seq, logits);
  }
  std::size_t max_batch_tokens(std::size_t seq) const override {
    return seq >= 32 ? 2 * seq : 4096;
  }
  std::size_t over_cap = 0;
};

TEST(PredictorWindows, ScorerCapSplitsBatchesWithoutChangingResults) {
  const auto f = bert_fixture();
  if (!f) GTEST_SKIP() << "../shared not present";
  std::string medium;
  for (int i = 0; i < 6; ++i) medium += "Jane Doe of Acme Corp visited Berlin in May. ";
  const std::vector<std::string> texts = {long_text(*f), "Acme Corp hired Jane Doe in Paris.",
                                          medium};
  PredictorOptions o;
  o.aggregation = Aggregation::kSimple;
  o.stride = 8;
  o.batch_size = 16;
  auto plain = std::make_shared<testing::TokenIdScorer>(f->labels.size());
  auto capped = std::make_shared<CappedScorer>(f->labels.size());
  const Predictor a(f->tok, f->labels, plain, o, 48), b(f->tok, f->labels, capped, o, 48);
  const auto ea = a.predict(texts), eb = b.predict(texts);
  ASSERT_EQ(ea.size(), eb.size());
  for (std::size_t t = 0; t < ea.size(); ++t) {
    ASSERT_EQ(ea[t].size(), eb[t].size()) << "text " << t;
    for (std::size_t i = 0; i < ea[t].size(); ++i)
      EXPECT_EQ(testing::describe(ea[t][i]), testing::describe(eb[t][i])) << "text " << t;
  }
  EXPECT_EQ(capped->over_cap, 0u);
  EXPECT_GT(b.stats().batches, a.stats().batches);
}

TEST(Predictor, ConcurrentCallersGetTheirOwnResults) {
  const auto f = bert_fixture();
  if (!f) GTEST_SKIP() << "../shared not present";
  std::vector<std::string> texts;
  for (const auto& in : f->inputs) texts.push_back(in["text"]);
  auto scorer = std::make_shared<testing::TokenIdScorer>(f->labels.size());
  PredictorOptions o;
  o.batch_size = 3;
  o.threads = 2;
  o.stride = 32;
  const Predictor p(f->tok, f->labels, scorer, o, 128);
  std::vector<Entities> expected;
  for (const auto& t : texts) expected.push_back(p.predict(t));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        // Each thread asks for a different slice so requests interleave in shared batches.
        std::vector<std::string> mine;
        std::vector<std::size_t> which;
        for (std::size_t i = static_cast<std::size_t>(t); i < texts.size(); i += 2) {
          mine.push_back(texts[i]);
          which.push_back(i);
        }
        const auto got = p.predict(mine);
        for (std::size_t k = 0; k < got.size(); ++k) {
          if (got[k].size() != expected[which[k]].size()) ++mismatches;
          for (std::size_t e = 0; e < std::min(got[k].size(), expected[which[k]].size()); ++e)
            if (testing::describe(got[k][e]) != testing::describe(expected[which[k]][e]))
              ++mismatches;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Predictor, EmptyAndWhitespaceTextsGiveNoEntities) {
  const auto f = bert_fixture();
  if (!f) GTEST_SKIP() << "../shared not present";
  auto scorer = std::make_shared<testing::TokenIdScorer>(f->labels.size());
  const Predictor p(f->tok, f->labels, scorer, {}, 512);
  const auto got = p.predict(std::vector<std::string>{"", "   ", "\t\n"});
  for (const auto& e : got) EXPECT_TRUE(e.empty());
}

TEST(Predictor, BadInputAndConfigurationErrors) {
  const auto f = bert_fixture();
  if (!f) GTEST_SKIP() << "../shared not present";
  auto scorer = std::make_shared<testing::TokenIdScorer>(f->labels.size());
  const Predictor p(f->tok, f->labels, scorer, {}, 512);
  EXPECT_ERROR_KIND(p.predict(std::vector<std::string>{"fine", "bad \xff byte"}),
                    ErrorKind::kInvalidArgument, "text 2");
  PredictorOptions o;
  o.stride = 510;
  EXPECT_ERROR_KIND(Predictor(f->tok, f->labels, scorer, o, 512), ErrorKind::kInvalidArgument,
                    "stride 510");
  auto wrong = std::make_shared<testing::TokenIdScorer>(5);
  EXPECT_ERROR_KIND(Predictor(f->tok, f->labels, wrong, {}, 512), ErrorKind::kInvalidArgument,
                    "id2label");
  const Predictor failing(f->tok, f->labels, std::make_shared<testing::FailingScorer>(), {}, 512);
  try {
    failing.predict("a claim");
    ADD_FAILURE() << "expected the scorer's exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "device lost");
  }
}

}  // namespace
}  // namespace spanloop::ml
