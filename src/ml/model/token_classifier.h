// ml::TokenClassifier: a BERT / DistilBERT / RoBERTa / XLM-RoBERTa token-classification model on
// libtorch, loaded from and saved to Hugging Face model directories. Torch-light header (pimpl):
// it needs only ATen's Tensor type.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ml/io/model_config.h"

namespace torch::nn {
class Module;
}

namespace spanloop::ml {

class WeightSource;

// Weights and compute precision.
enum class ModelDtype { kFloat32, kBFloat16, kFloat16 };
// "fp32"/"float32", "bf16"/"bfloat16", "fp16"/"float16"; InvalidArgument otherwise.
ModelDtype parse_model_dtype(std::string_view name);
std::string_view model_dtype_name(ModelDtype dtype);  // "fp32" | "bf16" | "fp16"

struct ModelLoadOptions {
  // "cpu", "cuda", "cuda:N". CUDA without a GPU / CUDA build: FailedPrecondition.
  std::string device = "cpu";
  // Precision of weights and compute. fp16 only on CUDA (CPU half matmuls are not supported).
  ModelDtype dtype = ModelDtype::kFloat32;
  // Label set of the head; empty = config.json's id2label (LABEL_0, LABEL_1 when it has none).
  // Labels different from the checkpoint's give a freshly initialised head (fine-tuning).
  std::vector<std::string> labels;
  // Seed of a freshly initialised head.
  std::uint64_t seed = 42;
  // Weights to use instead of the directory's files (e.g. a pytorch_model.bin reader).
  std::shared_ptr<const WeightSource> weights;
};

// What loading did beyond the 1:1 copy.
struct LoadReport {
  bool fresh_head = false;                // classifier initialised (base checkpoint / new labels)
  std::vector<std::string> ignored_keys;  // checkpoint keys not used (pooler, MLM head, buffers)
  std::string weights_source;             // file the weights came from
};

class TokenClassifier {
 public:
  // Loads config.json + weights (model.safetensors, sharded safetensors, or a registered
  // format) from a Hugging Face model directory. Every parameter is checked against the
  // checkpoint: missing keys, shape mismatches and unexpected encoder keys throw InvalidArgument
  // naming the file, key, both shapes and the config fields involved.
  static TokenClassifier load(const std::filesystem::path& model_dir,
                              const ModelLoadOptions& options = {});
  // Same from a config and weights already opened.
  static TokenClassifier from_weights(const ModelConfig& config, const WeightSource& weights,
                                      const ModelLoadOptions& options = {});
  // A randomly initialised model as transformers initialises one (N(0, initializer_range),
  // zero biases, LayerNorm 1/0); labels from options.labels or config.labels.
  static TokenClassifier random(const ModelConfig& config, const ModelLoadOptions& options = {});

  TokenClassifier(TokenClassifier&&) noexcept;
  TokenClassifier& operator=(TokenClassifier&&) noexcept;
  ~TokenClassifier();

  // input_ids [B, T] (int64 or int32), attention_mask [B, T] (1 = token, 0 = padding; undefined =
  // all ones), token_type_ids [B, T] (undefined = zeros; ignored by DistilBERT). Inputs on any
  // device are moved to the model's. Returns float32 logits [B, T, num_labels] on the model's
  // device. In eval mode runs under InferenceMode (thread-safe, no autograd); in training mode
  // with autograd and dropout.
  at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& attention_mask = {},
                     const at::Tensor& token_type_ids = {}) const;

  const ModelConfig& config() const;  // labels = the head's labels
  const std::vector<std::string>& labels() const;
  std::int64_t num_labels() const;
  const LoadReport& load_report() const;
  c10::Device device() const;
  ModelDtype dtype() const;
  // Most tokens one sequence may have (max_position_embeddings minus RoBERTa's padding offset).
  std::int64_t max_sequence_length() const;

  // Training switch (dropout on, autograd on); eval is the default after load.
  void train(bool on = true);
  bool is_training() const;
  // Parameters with their checkpoint key names, in module order (for optimizers, weight decay
  // groups by name, gradient clipping).
  std::vector<std::pair<std::string, at::Tensor>> named_parameters() const;
  std::vector<at::Tensor> parameters() const;
  // The underlying torch::nn::Module (include torch headers to use it).
  std::shared_ptr<torch::nn::Module> module() const;
  // Moves/casts weights (e.g. to fp32 on CPU before saving a bf16-trained model).
  void to(const std::string& device, ModelDtype dtype);

  // Writes a directory transformers loads unchanged: config.json (architectures, id2label,
  // label2id, torch_dtype), model.safetensors (checkpoint key names) and the tokenizer files of
  // `tokenizer_dir` (default: the directory the model was loaded from, when any).
  void save(const std::filesystem::path& out_dir,
            const std::optional<std::filesystem::path>& tokenizer_dir = std::nullopt) const;

  struct Impl;

 private:
  explicit TokenClassifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The tokenizer files of a Hugging Face model directory that save() copies.
std::vector<std::string> tokenizer_file_names();

}  // namespace spanloop::ml
