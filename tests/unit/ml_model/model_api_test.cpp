// TokenClassifier behaviour beyond the goldens: base checkpoints, legacy key names, new label sets,
// training mode, random initialisation, sharded weights.
#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include "ml/io/weight_source.h"
#include "ml/model/token_classifier.h"
#include "model_test_support.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

using namespace spanloop::ml::testing;
using spanloop::testing::TempDir;
namespace fs = std::filesystem;

std::map<std::string, at::Tensor> fixture_tensors(const fs::path& dir) {
  auto src = open_weights(dir);
  std::map<std::string, at::Tensor> out;
  for (const auto& n : src->names()) out[n] = src->load(n).clone();
  return out;
}

TEST(TokenClassifierApi, BaseCheckpointGetsAFreshHead) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures/roberta/model";
  auto tensors = fixture_tensors(dir);
  tensors.erase("classifier.weight");
  tensors.erase("classifier.bias");
  tensors["roberta.pooler.dense.weight"] = at::zeros({64, 64});  // a base model's pooler: ignored
  tensors["lm_head.bias"] = at::zeros({3300});                   // an MLM head: ignored
  const auto config = ModelConfig::from_directory(dir);
  auto source = make_tensor_source(tensors, "base");
  ModelLoadOptions o;
  o.labels = {"O", "B-X", "I-X"};
  const auto model = TokenClassifier::from_weights(config, *source, o);
  EXPECT_TRUE(model.load_report().fresh_head);
  EXPECT_EQ(model.num_labels(), 3);
  EXPECT_EQ(model.config().labels, o.labels);
  EXPECT_EQ(model.load_report().ignored_keys.size(), 2u);
  const auto params = model.named_parameters();
  const auto& head = std::find_if(params.begin(), params.end(), [](auto& p) {
                       return p.first == "classifier.weight";
                     })->second;
  EXPECT_EQ(head.sizes(), (at::IntArrayRef{3, 64}));
  EXPECT_NEAR(head.std().item<double>(), 0.02, 0.01);
  // Same seed -> same head.
  const auto again = TokenClassifier::from_weights(config, *source, o);
  const auto n = model.named_parameters().size();
  EXPECT_TRUE(
      at::equal(again.named_parameters()[n - 2].second, model.named_parameters()[n - 2].second));
}

TEST(TokenClassifierApi, BareBaseModelAndLegacyLayerNormNames) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures/bert-uncased/model";
  std::map<std::string, at::Tensor> bare;
  for (auto& [name, t] : fixture_tensors(dir)) {
    if (name.rfind("classifier.", 0) == 0) continue;
    std::string k = name.substr(std::string("bert.").size());
    const std::string w = "LayerNorm.weight", b = "LayerNorm.bias";
    if (k.size() >= w.size() && k.compare(k.size() - w.size(), w.size(), w) == 0)
      k = k.substr(0, k.size() - 6) + "gamma";
    if (k.size() >= b.size() && k.compare(k.size() - b.size(), b.size(), b) == 0)
      k = k.substr(0, k.size() - 4) + "beta";
    bare[k] = t;
  }
  bare["embeddings.position_ids"] = at::arange(512).unsqueeze(0);
  const auto config = ModelConfig::from_directory(dir);
  const auto model = TokenClassifier::from_weights(config, *make_tensor_source(bare, "bare"));
  EXPECT_TRUE(model.load_report().fresh_head);
  // The encoder is the fixture's: only the head differs, so the hidden states agree. Compare the
  // full model after copying the fixture's head in.
  const auto reference = TokenClassifier::load(dir);
  {
    at::NoGradGuard g;
    auto mine = model.named_parameters();
    for (auto& [n, p] : reference.named_parameters())
      if (n.rfind("classifier.", 0) == 0)
        for (auto& [m, q] : mine)
          if (m == n) q.copy_(p);
  }
  const auto c = golden_cases(shared / "fixtures/bert-uncased").front();
  EXPECT_LE(max_abs_diff_on_tokens(model.forward(c.input_ids, c.attention_mask), c.logits,
                                   c.attention_mask),
            1e-4);
}

TEST(TokenClassifierApi, NewLabelsReplaceTheHeadSameLabelsKeepIt) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures/bert-cased/model";
  ModelLoadOptions same;
  same.labels = ModelConfig::from_directory(dir).labels;
  EXPECT_FALSE(TokenClassifier::load(dir, same).load_report().fresh_head);
  ModelLoadOptions other;
  other.labels = {"O", "B-Claim", "I-Claim"};
  const auto m = TokenClassifier::load(dir, other);
  EXPECT_TRUE(m.load_report().fresh_head);
  EXPECT_EQ(m.num_labels(), 3);
  const auto logits = m.forward(at::tensor({2, 50, 60, 3}, at::kLong).unsqueeze(0));
  EXPECT_EQ(logits.sizes(), (at::IntArrayRef{1, 4, 3}));
}

TEST(TokenClassifierApi, TokenTypesZerosEqualUndefinedAndTypeOneDiffers) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto m = TokenClassifier::load(shared / "fixtures/bert-uncased/model");
  const auto ids = at::tensor({101, 2000, 2100, 102}, at::kLong).unsqueeze(0);
  const auto a = m.forward(ids);
  const auto b = m.forward(ids, at::ones_like(ids), at::zeros_like(ids));
  EXPECT_LE((a - b).abs().max().item<double>(), 1e-6);
  EXPECT_GT((a - m.forward(ids, {}, at::ones_like(ids))).abs().max().item<double>(), 1e-4);
  EXPECT_EQ(m.forward(ids.to(at::kInt)).sizes(), a.sizes());  // int32 ids are accepted
}

TEST(TokenClassifierApi, TrainingModeHasDropoutAndGradients) {
  SPANLOOP_REQUIRE_SHARED(shared);
  for (const auto& fixture : fixture_names()) {
    auto m = TokenClassifier::load(shared / "fixtures" / fixture / "model");
    const auto c = golden_cases(shared / "fixtures" / fixture)[2];
    EXPECT_FALSE(m.is_training());
    EXPECT_TRUE(at::equal(m.forward(c.input_ids), m.forward(c.input_ids)));
    m.train();
    EXPECT_TRUE(m.is_training());
    const auto a = m.forward(c.input_ids), b = m.forward(c.input_ids);
    EXPECT_FALSE(at::equal(a, b)) << fixture << ": dropout is on in training";
    a.pow(2).mean().backward();
    for (const auto& [name, p] : m.named_parameters()) {
      if (name.find("token_type_embeddings") != std::string::npos) continue;
      ASSERT_TRUE(p.grad().defined()) << fixture << " " << name;
    }
    m.train(false);
    EXPECT_TRUE(at::equal(m.forward(c.input_ids), m.forward(c.input_ids)));
  }
}

TEST(TokenClassifierApi, RandomInitLikeTransformersAndReloads) {
  ModelConfig c = ModelConfig::from_json_string(
      R"({"model_type":"roberta","vocab_size":500,"hidden_size":32,"num_hidden_layers":2,"num_attention_heads":2,
          "intermediate_size":64,"max_position_embeddings":130,"pad_token_id":1,"type_vocab_size":1})",
      "test");
  c.labels = {"O", "B-A", "I-A"};
  const auto m = TokenClassifier::random(c);
  for (const auto& [name, p] : m.named_parameters()) {
    const bool norm = name.find("LayerNorm") != std::string::npos;
    if (name.size() > 5 && name.substr(name.size() - 5) == ".bias") {
      EXPECT_EQ(p.abs().max().item<double>(), 0.0) << name;
    } else if (norm) {
      EXPECT_TRUE(at::equal(p, at::ones_like(p))) << name;
    } else {
      EXPECT_NEAR(p.std().item<double>(), 0.02, 0.004) << name;
    }
  }
  const auto params = m.named_parameters();
  for (const auto& [name, p] : params) {
    if (name == "roberta.embeddings.word_embeddings.weight" ||
        name == "roberta.embeddings.position_embeddings.weight") {
      EXPECT_EQ(p[1].abs().max().item<double>(), 0.0) << name << ": padding row";
    }
  }
  TempDir tmp;
  m.save(tmp.path());
  const auto back = TokenClassifier::load(tmp.path());
  EXPECT_EQ(back.labels(), c.labels);
  const auto ids = at::tensor({0, 10, 20, 2, 1, 1}, at::kLong).unsqueeze(0);
  EXPECT_TRUE(at::equal(m.forward(ids), back.forward(ids)));
  const auto json = nlohmann::json::parse(read_text(tmp.path() / "config.json"));
  EXPECT_EQ(json["architectures"][0], "RobertaForTokenClassification");
  EXPECT_EQ(json["id2label"]["2"], "I-A");
  EXPECT_EQ(json["label2id"]["B-A"], 1);
}

TEST(TokenClassifierApi, DistilBertSinusoidalPositions) {
  ModelConfig c = ModelConfig::from_json_string(
      R"({"model_type":"distilbert","vocab_size":100,"dim":16,"n_layers":1,"n_heads":2,"hidden_dim":32,
          "max_position_embeddings":64,"sinusoidal_pos_embds":true})",
      "test");
  const auto m = TokenClassifier::random(c);
  for (const auto& [name, p] : m.named_parameters())
    if (name == "distilbert.embeddings.position_embeddings.weight") {
      EXPECT_NEAR(p[3][0].item<double>(), std::sin(3.0), 1e-6);
      EXPECT_NEAR(p[3][1].item<double>(), std::cos(3.0), 1e-6);
      EXPECT_NEAR(p[5][2].item<double>(), std::sin(5.0 / std::pow(10000.0, 2.0 / 16)), 1e-6);
    }
}

TEST(TokenClassifierApi, ShardedCheckpointLoads) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto dir = shared / "fixtures/distilbert-uncased";
  TempDir tmp;
  copy_model_dir(dir / "model", tmp.path());
  fs::remove(tmp.path() / "model.safetensors");
  auto tensors = fixture_tensors(dir / "model");
  std::vector<std::pair<std::string, at::Tensor>> a, b;
  nlohmann::json map = nlohmann::json::object();
  for (auto& [n, t] : tensors) {
    const bool first = n.find("layer.1") == std::string::npos;
    (first ? a : b).emplace_back(n, t);
    map[n] = first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
  }
  save_safetensors(tmp.path() / "model-00001-of-00002.safetensors", a);
  save_safetensors(tmp.path() / "model-00002-of-00002.safetensors", b);
  write_text(tmp.path() / "model.safetensors.index.json",
             nlohmann::json{{"weight_map", map}}.dump());
  const auto m = TokenClassifier::load(tmp.path());
  for (const auto& c : golden_cases(dir))
    EXPECT_LE(max_abs_diff_on_tokens(m.forward(c.input_ids, c.attention_mask), c.logits,
                                     c.attention_mask),
              1e-4);
}

TEST(TokenClassifierApi, SavingOverItsOwnDirectoryKeepsWorking) {
  SPANLOOP_REQUIRE_SHARED(shared);
  TempDir tmp;
  copy_model_dir(shared / "fixtures/bert-cased/model", tmp.path());
  const auto m = TokenClassifier::load(tmp.path());  // parameters are views of model.safetensors
  const auto ids = at::tensor({2, 40, 41, 3}, at::kLong).unsqueeze(0);
  const auto before = m.forward(ids);
  m.save(tmp.path());
  EXPECT_TRUE(at::equal(before, m.forward(ids)));
  EXPECT_TRUE(at::equal(before, TokenClassifier::load(tmp.path()).forward(ids)));
}

TEST(TokenClassifierApi, EmptyBatch) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto m = TokenClassifier::load(shared / "fixtures/xlm-roberta/model");
  EXPECT_EQ(m.forward(at::zeros({0, 5}, at::kLong)).sizes(), (at::IntArrayRef{0, 5, 11}));
}

}  // namespace
}  // namespace spanloop::ml
