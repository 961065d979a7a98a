// Every bad-input path of model loading and forward: a clear spanloop::Error, never a crash.
#include <ATen/ATen.h>

#include <torch/cuda.h>

#include <functional>
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

class ModelErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto shared = spanloop::testing::shared_dir();
    if (!shared) GTEST_SKIP() << "../shared not present";
    fixture_ = *shared / "fixtures/bert-uncased/model";
    dir_ = tmp_.path() / "model";
    copy_model_dir(fixture_, dir_);
  }
  void edit_config(const std::function<void(nlohmann::json&)>& edit) {
    auto j = nlohmann::json::parse(read_text(dir_ / "config.json"));
    edit(j);
    write_text(dir_ / "config.json", j.dump(2));
  }
  // Rewrites model.safetensors with `edit` applied to the tensor map.
  void edit_weights(const std::function<void(std::vector<std::pair<std::string, at::Tensor>>&)>& edit) {
    auto src = open_weights(fixture_);
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& n : src->names()) tensors.emplace_back(n, src->load(n).clone());
    edit(tensors);
    save_safetensors(dir_ / "model.safetensors", tensors);
  }
  TempDir tmp_;
  fs::path fixture_, dir_;
};

TEST_F(ModelErrors, MissingWeightsFile) {
  fs::remove(dir_ / "model.safetensors");
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kNotFound, "no weights in " + dir_.string());
}

TEST_F(ModelErrors, PytorchBinWithoutReaderSaysSo) {
  fs::remove(dir_ / "model.safetensors");
  write_text(dir_ / "pytorch_model.bin", "PK");
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kNotFound, "pytorch_model.bin is present");
}

TEST_F(ModelErrors, MissingConfig) {
  fs::remove(dir_ / "config.json");
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kNotFound, "no config.json");
}

TEST_F(ModelErrors, TruncatedSafetensors) {
  const auto bytes = read_text(dir_ / "model.safetensors");
  write_text(dir_ / "model.safetensors", bytes.substr(0, 100));
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kInvalidArgument, "model.safetensors: corrupt safetensors file");
  write_text(dir_ / "model.safetensors", bytes.substr(0, bytes.size() / 2));
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kInvalidArgument, "truncated file?");
}

TEST_F(ModelErrors, UnsupportedModelType) {
  edit_config([](nlohmann::json& j) { j["model_type"] = "deberta-v2"; });
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kInvalidArgument,
                    "unsupported model_type 'deberta-v2' (supported: bert, distilbert, roberta, xlm-roberta)");
}

TEST_F(ModelErrors, ShapeDisagreesWithConfig) {
  edit_config([](nlohmann::json& j) { j["intermediate_size"] = 128; });
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kInvalidArgument,
                    "tensor 'bert.encoder.layer.0.intermediate.dense.weight' has shape [256, 64] but config.json "
                    "(hidden_size 64, intermediate_size 128");
}

TEST_F(ModelErrors, VocabDisagreesWithConfig) {
  edit_config([](nlohmann::json& j) { j["vocab_size"] = 3000; });
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kInvalidArgument,
                    "'bert.embeddings.word_embeddings.weight' has shape [3300, 64]");
}

TEST_F(ModelErrors, MoreLayersInCheckpointThanConfig) {
  edit_config([](nlohmann::json& j) { j["num_hidden_layers"] = 1; });
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kInvalidArgument, "has no place for: 'bert.encoder.layer.1.");
}

TEST_F(ModelErrors, FewerLayersInCheckpointThanConfig) {
  edit_config([](nlohmann::json& j) { j["num_hidden_layers"] = 3; });
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kInvalidArgument,
                    "missing 16 weight(s) that config.json");
}

TEST_F(ModelErrors, MissingKey) {
  edit_weights([](auto& t) {
    t.erase(std::remove_if(t.begin(), t.end(), [](auto& p) { return p.first == "bert.encoder.layer.1.output.dense.bias"; }),
            t.end());
  });
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kInvalidArgument,
                    "missing 1 weight(s) that config.json (hidden_size 64, intermediate_size 256, num_hidden_layers 2, "
                    "vocab_size 3300, max_position_embeddings 512, type_vocab_size 2, 11 labels) needs: "
                    "'bert.encoder.layer.1.output.dense.bias'");
}

TEST_F(ModelErrors, HeadDisagreesWithId2label) {
  edit_config([](nlohmann::json& j) {
    j["id2label"] = {{"0", "O"}, {"1", "B-X"}, {"2", "I-X"}};
    j.erase("label2id");
  });
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_), ErrorKind::kInvalidArgument,
                    "tensor 'classifier.weight' has shape [11, 64] but config.json's id2label (3 labels) needs [3, 64]");
}

TEST_F(ModelErrors, ForwardInputErrors) {
  const auto model = TokenClassifier::load(dir_);
  const auto opts = at::TensorOptions().dtype(at::kLong);
  EXPECT_ERROR_KIND(model.forward(at::ones({3}, opts)), ErrorKind::kInvalidArgument, "[batch, length]");
  EXPECT_ERROR_KIND(model.forward(at::ones({1, 3}, at::kFloat)), ErrorKind::kInvalidArgument, "integers");
  EXPECT_ERROR_KIND(model.forward(at::ones({1, 513}, opts)), ErrorKind::kInvalidArgument,
                    "sequence of 513 tokens is longer than the model's maximum of 512");
  EXPECT_ERROR_KIND(model.forward(at::full({1, 4}, 3300, opts)), ErrorKind::kInvalidArgument,
                    "token id 3300 is outside the vocabulary of 3300");
  EXPECT_ERROR_KIND(model.forward(at::full({1, 4}, -1, opts)), ErrorKind::kInvalidArgument, "token id -1");
  EXPECT_ERROR_KIND(model.forward(at::ones({2, 4}, opts), at::ones({2, 5}, opts)), ErrorKind::kInvalidArgument,
                    "attention_mask must have the shape of input_ids [2, 4]");
  EXPECT_ERROR_KIND(model.forward(at::ones({1, 4}, opts), {}, at::full({1, 4}, 2, opts)),
                    ErrorKind::kInvalidArgument, "token type id outside 0..1");
}

TEST_F(ModelErrors, RobertaMaximumLeavesThePaddingOffset) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto model = TokenClassifier::load(shared / "fixtures/roberta/model");
  EXPECT_EQ(model.max_sequence_length(), 512);
  EXPECT_ERROR_KIND(model.forward(at::full({1, 513}, 5, at::kLong)), ErrorKind::kInvalidArgument,
                    "longer than the model's maximum of 512");
}

TEST_F(ModelErrors, DeviceAndDtypeOptions) {
  ModelLoadOptions o;
  o.dtype = ModelDtype::kFloat16;
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_, o), ErrorKind::kInvalidArgument, "fp16 needs a CUDA device");
  o.dtype = ModelDtype::kFloat32;
  o.device = "tpu";
  EXPECT_ERROR_KIND(TokenClassifier::load(dir_, o), ErrorKind::kInvalidArgument, "unknown device 'tpu'");
  EXPECT_ERROR_KIND(parse_model_dtype("int4"), ErrorKind::kInvalidArgument, "unknown dtype 'int4'");
  if (!torch::cuda::is_available()) {
    o.device = "cuda";
    EXPECT_ERROR_KIND(TokenClassifier::load(dir_, o), ErrorKind::kFailedPrecondition, "CUDA is not available");
  }
}

}  // namespace
}  // namespace spanloop::ml
