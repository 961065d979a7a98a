// DistilBERT encoder with the token-classification head.
#include <ATen/ops/arange.h>

#include "ml/model/networks.h"

namespace spanloop::ml::detail {

DistilAttentionImpl::DistilAttentionImpl(const ModelConfig& c) {
  q_lin = register_module("q_lin", torch::nn::Linear(c.hidden_size, c.hidden_size));
  k_lin = register_module("k_lin", torch::nn::Linear(c.hidden_size, c.hidden_size));
  v_lin = register_module("v_lin", torch::nn::Linear(c.hidden_size, c.hidden_size));
  out_lin = register_module("out_lin", torch::nn::Linear(c.hidden_size, c.hidden_size));
}

DistilFfnImpl::DistilFfnImpl(const ModelConfig& c) {
  lin1 = register_module("lin1", torch::nn::Linear(c.hidden_size, c.intermediate_size));
  lin2 = register_module("lin2", torch::nn::Linear(c.intermediate_size, c.hidden_size));
}

DistilLayerImpl::DistilLayerImpl(const ModelConfig& c)
    : heads(c.num_attention_heads),
      hidden_dropout(c.hidden_dropout_prob),
      attention_dropout(c.attention_probs_dropout_prob),
      act(parse_activation(c.hidden_act)) {
  attention = register_module("attention", DistilAttention(c));
  sa_layer_norm = register_module("sa_layer_norm", make_norm(c));
  ffn = register_module("ffn", DistilFfn(c));
  output_layer_norm = register_module("output_layer_norm", make_norm(c));
}

at::Tensor DistilLayerImpl::forward(const at::Tensor& hidden, const at::Tensor& bias) {
  const bool training = is_training();
  auto context = multi_head_attention(
      linear(attention->q_lin, hidden), linear(attention->k_lin, hidden),
      linear(attention->v_lin, hidden), bias, heads, training ? attention_dropout : 0.0);
  auto attended = norm(sa_layer_norm, linear(attention->out_lin, context) + hidden);
  auto inner = activate(linear(ffn->lin1, attended), act);
  return norm(output_layer_norm,
              drop(linear(ffn->lin2, inner), hidden_dropout, training) + attended);
}

DistilTransformerImpl::DistilTransformerImpl(const ModelConfig& c) {
  layer = register_module("layer", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
    layers.emplace_back(c);
    layer->push_back(layers.back());
  }
}

DistilEmbeddingsImpl::DistilEmbeddingsImpl(const ModelConfig& c) : dropout(c.hidden_dropout_prob) {
  word_embeddings = register_module(
      "word_embeddings",
      torch::nn::Embedding(
          torch::nn::EmbeddingOptions(c.vocab_size, c.hidden_size).padding_idx(c.pad_token_id)));
  position_embeddings = register_module(
      "position_embeddings", torch::nn::Embedding(c.max_position_embeddings, c.hidden_size));
  LayerNorm = register_module("LayerNorm", make_norm(c));
}

at::Tensor DistilEmbeddingsImpl::forward(const at::Tensor& input_ids) {
  const auto positions = at::arange(input_ids.size(1), input_ids.options()).unsqueeze(0);
  auto x = word_embeddings->forward(input_ids) + position_embeddings->forward(positions);
  return drop(norm(LayerNorm, x), dropout, is_training());
}

DistilBertModelImpl::DistilBertModelImpl(const ModelConfig& c) {
  embeddings = register_module("embeddings", DistilEmbeddings(c));
  transformer = register_module("transformer", DistilTransformer(c));
}

at::Tensor DistilBertModelImpl::forward(const at::Tensor& input_ids,
                                        const at::Tensor& attention_mask) {
  auto hidden = embeddings->forward(input_ids);
  const auto bias = attention_bias(attention_mask, hidden.scalar_type());
  for (auto& layer : transformer->layers) hidden = layer->forward(hidden, bias);
  return hidden;
}

DistilBertForTokenClassification::DistilBertForTokenClassification(const ModelConfig& c,
                                                                   std::int64_t num_labels)
    : dropout_(c.hidden_dropout_prob) {
  distilbert_ = register_module("distilbert", DistilBertModel(c));
  classifier_ = register_module("classifier", torch::nn::Linear(c.hidden_size, num_labels));
}

at::Tensor DistilBertForTokenClassification::forward(const at::Tensor& input_ids,
                                                     const at::Tensor& attention_mask,
                                                     const at::Tensor&) {
  auto hidden = distilbert_->forward(input_ids, attention_mask);
  return linear(classifier_, drop(hidden, dropout_, is_training()));
}

}  // namespace spanloop::ml::detail
