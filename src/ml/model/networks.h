// The encoder + token-classification head modules (internal, torch-facing). Module and parameter
// names equal the Hugging Face checkpoint keys, so loading is a walk over named_parameters().
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <memory>

#include "ml/io/model_config.h"
#include "ml/model/layers.h"

namespace spanloop::ml::detail {

// Any of the supported `...ForTokenClassification` networks.
class TokenClassificationNet : public torch::nn::Module {
 public:
  // input_ids [B, T] int64; attention_mask [B, T] or undefined (all ones); token_type_ids [B, T]
  // or undefined (zeros). Returns logits [B, T, num_labels].
  virtual at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                             const at::Tensor& token_type_ids) = 0;
};

// Shared by the encoders' forward passes: the modules' own forward as plain ATen calls (no
// module dispatch), and dropout only while training.
torch::nn::LayerNorm make_norm(const ModelConfig& c);
at::Tensor norm(const torch::nn::LayerNorm& ln, const at::Tensor& x);
at::Tensor linear(const torch::nn::Linear& l, const at::Tensor& x);
at::Tensor drop(const at::Tensor& x, double p, bool training);

// ---- BERT / RoBERTa / XLM-RoBERTa (same module tree; RoBERTa differs in position ids) ----

struct BertSelfAttentionImpl : torch::nn::Module {
  BertSelfAttentionImpl(const ModelConfig& c);
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};
};
TORCH_MODULE(BertSelfAttention);

struct BertDenseNormImpl : torch::nn::Module {  // BertSelfOutput and BertOutput
  BertDenseNormImpl(const ModelConfig& c, std::int64_t in_features);
  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
};
TORCH_MODULE(BertDenseNorm);

struct BertAttentionImpl : torch::nn::Module {
  BertAttentionImpl(const ModelConfig& c);
  BertSelfAttention self{nullptr};
  BertDenseNorm output{nullptr};
};
TORCH_MODULE(BertAttention);

struct BertIntermediateImpl : torch::nn::Module {
  BertIntermediateImpl(const ModelConfig& c);
  torch::nn::Linear dense{nullptr};
};
TORCH_MODULE(BertIntermediate);

struct BertLayerImpl : torch::nn::Module {
  BertLayerImpl(const ModelConfig& c);
  at::Tensor forward(const at::Tensor& hidden, const at::Tensor& bias);
  BertAttention attention{nullptr};
  BertIntermediate intermediate{nullptr};
  BertDenseNorm output{nullptr};
  std::int64_t heads;
  double hidden_dropout, attention_dropout;
  Activation act;
};
TORCH_MODULE(BertLayer);

struct BertEncoderImpl : torch::nn::Module {
  BertEncoderImpl(const ModelConfig& c);
  torch::nn::ModuleList layer{nullptr};
  std::vector<BertLayer> layers;  // typed handles to the entries of `layer`
};
TORCH_MODULE(BertEncoder);

struct BertEmbeddingsImpl : torch::nn::Module {
  BertEmbeddingsImpl(const ModelConfig& c);
  at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& token_type_ids);
  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr},
      token_type_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  bool roberta_positions;
  std::int64_t pad_token_id;
  double dropout;
};
TORCH_MODULE(BertEmbeddings);

struct BertModelImpl : torch::nn::Module {
  BertModelImpl(const ModelConfig& c);
  at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                     const at::Tensor& token_type_ids);
  BertEmbeddings embeddings{nullptr};
  BertEncoder encoder{nullptr};
};
TORCH_MODULE(BertModel);

class BertForTokenClassification : public TokenClassificationNet {
 public:
  BertForTokenClassification(const ModelConfig& c, std::int64_t num_labels);
  at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                     const at::Tensor& token_type_ids) override;

 private:
  BertModel encoder_{nullptr};  // registered as "bert" or "roberta"
  torch::nn::Linear classifier_{nullptr};
  double classifier_dropout_;
};

// ---- DistilBERT ----

struct DistilAttentionImpl : torch::nn::Module {
  DistilAttentionImpl(const ModelConfig& c);
  torch::nn::Linear q_lin{nullptr}, k_lin{nullptr}, v_lin{nullptr}, out_lin{nullptr};
};
TORCH_MODULE(DistilAttention);

struct DistilFfnImpl : torch::nn::Module {
  DistilFfnImpl(const ModelConfig& c);
  torch::nn::Linear lin1{nullptr}, lin2{nullptr};
};
TORCH_MODULE(DistilFfn);

struct DistilLayerImpl : torch::nn::Module {
  DistilLayerImpl(const ModelConfig& c);
  at::Tensor forward(const at::Tensor& hidden, const at::Tensor& bias);
  DistilAttention attention{nullptr};
  torch::nn::LayerNorm sa_layer_norm{nullptr};
  DistilFfn ffn{nullptr};
  torch::nn::LayerNorm output_layer_norm{nullptr};
  std::int64_t heads;
  double hidden_dropout, attention_dropout;
  Activation act;
};
TORCH_MODULE(DistilLayer);

struct DistilTransformerImpl : torch::nn::Module {
  DistilTransformerImpl(const ModelConfig& c);
  torch::nn::ModuleList layer{nullptr};
  std::vector<DistilLayer> layers;
};
TORCH_MODULE(DistilTransformer);

struct DistilEmbeddingsImpl : torch::nn::Module {
  DistilEmbeddingsImpl(const ModelConfig& c);
  at::Tensor forward(const at::Tensor& input_ids);
  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  double dropout;
};
TORCH_MODULE(DistilEmbeddings);

struct DistilBertModelImpl : torch::nn::Module {
  DistilBertModelImpl(const ModelConfig& c);
  at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& attention_mask);
  DistilEmbeddings embeddings{nullptr};
  DistilTransformer transformer{nullptr};
};
TORCH_MODULE(DistilBertModel);

class DistilBertForTokenClassification : public TokenClassificationNet {
 public:
  DistilBertForTokenClassification(const ModelConfig& c, std::int64_t num_labels);
  at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                     const at::Tensor& token_type_ids) override;

 private:
  DistilBertModel distilbert_{nullptr};
  torch::nn::Linear classifier_{nullptr};
  double dropout_;
};

// The network for config.model_type with a head of num_labels outputs (parameters uninitialised
// beyond libtorch's defaults; see init_weights).
std::shared_ptr<TokenClassificationNet> make_network(const ModelConfig& config,
                                                     std::int64_t num_labels);

// transformers' _init_weights: Linear/Embedding weights ~ N(0, initializer_range), biases 0,
// LayerNorm 1/0, padding rows of embeddings 0, DistilBERT sinusoidal positions when configured.
// `only_head` re-initialises just the classifier.
void init_weights(torch::nn::Module& net, const ModelConfig& config, std::uint64_t seed,
                  bool only_head);

}  // namespace spanloop::ml::detail
