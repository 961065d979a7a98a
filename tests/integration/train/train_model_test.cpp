// Fine-tuning a fixture checkpoint (../shared/fixtures) with ml::TokenClassifier: the output
// directory is what transformers loads (config keys, weight names) and reloads to the same logits.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "ml/io/safetensors.h"
#include "ml/model/token_classifier.h"
#include "ml/train/model_loader.h"
#include "ml/train/trainer.h"
#include "support/test_support.h"
#include "../../unit/ml_train/tiny_data.h"

namespace spanloop::ml::train {
namespace {

namespace fs = std::filesystem;

TEST(TrainWithModel, OutputDirectoryLoadsLikeTransformersExpectsAndGivesTheSameLogits) {
  SPANLOOP_REQUIRE_SHARED(shared);
  at::set_num_threads(1);
  const fs::path base = shared / "fixtures" / "bert-cased" / "model";
  spanloop::testing::TempDir tmp;
  TrainOptions o;
  o.model = base.string();
  o.data_path = "synthetic";
  o.project_name = (tmp.path() / "out").string();
  o.lr = 1e-3;
  o.epochs = 1;
  o.batch_size = 8;
  o.max_seq_length = 32;
  o.early_stopping_patience = 0;
  TrainData data = testing::synthetic_data(32, 8);
  const auto labels = data.labels;
  std::vector<std::string> notes;
  auto model = load_trainable_model(base, labels, torch::Device(torch::kCPU), 5, notes);
  Trainer t(o, std::move(data), Tokenizer::from_directory(base), model);
  const auto s = t.train();
  EXPECT_EQ(s.steps, t.total_steps());
  const fs::path out = o.project_name;

  // config.json: the fixture's keys, our labels.
  std::ifstream cin(out / "config.json");
  const auto cfg = nlohmann::json::parse(cin);
  std::ifstream bin(base / "config.json");
  const auto base_cfg = nlohmann::json::parse(bin);
  EXPECT_EQ(cfg.at("architectures"), nlohmann::json::array({"BertForTokenClassification"}));
  EXPECT_EQ(cfg.at("model_type"), "bert");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    EXPECT_EQ(cfg.at("id2label").at(std::to_string(i)), labels.tags()[i]);
    EXPECT_EQ(cfg.at("label2id").at(labels.tags()[i]), static_cast<int>(i));
  }
  for (const auto& [k, v] : base_cfg.items()) EXPECT_TRUE(cfg.contains(k)) << "config key " << k;
  // Weights: the same names (and shapes, except the new 5-label head) as the fixture.
  const auto got = SafetensorsFile::open(out / "model.safetensors");
  const auto want = SafetensorsFile::open(base / "model.safetensors");
  std::set<std::string> got_names, want_names;
  for (const auto& t2 : got.tensors()) got_names.insert(t2.name);
  for (const auto& t2 : want.tensors()) want_names.insert(t2.name);
  EXPECT_EQ(got_names, want_names);
  for (const auto& w : want.tensors()) {
    if (w.name.rfind("classifier.", 0) != 0 && got.find(w.name)) {
      EXPECT_EQ(got.find(w.name)->shape, w.shape) << w.name;
    }
  }
  for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                        "training_params.json", "README.md"})
    EXPECT_TRUE(fs::exists(out / f)) << f;

  // Reload the saved directory: identical logits to the trained model (best = last here).
  auto reloaded = TokenClassifier::load(out);
  auto ids = torch::tensor({{2, 100, 200, 300, 3}}, torch::kLong);
  auto mask = torch::ones_like(ids);
  model.train(false);
  const auto a = model.forward(ids, mask);
  const auto b = reloaded.forward(ids, mask);
  EXPECT_TRUE(torch::allclose(a, b, 0, 0)) << (a - b).abs().max().item<double>();
}

}  // namespace
}  // namespace spanloop::ml::train
