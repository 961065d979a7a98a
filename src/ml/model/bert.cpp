// BERT and RoBERTa/XLM-RoBERTa encoders with the token-classification head.
#include <ATen/ops/arange.h>
#include <ATen/ops/cumsum.h>
#include <ATen/ops/zeros_like.h>

#include "ml/model/networks.h"

namespace spanloop::ml::detail {

BertSelfAttentionImpl::BertSelfAttentionImpl(const ModelConfig& c) {
  query = register_module("query", torch::nn::Linear(c.hidden_size, c.hidden_size));
  key = register_module("key", torch::nn::Linear(c.hidden_size, c.hidden_size));
  value = register_module("value", torch::nn::Linear(c.hidden_size, c.hidden_size));
}

BertDenseNormImpl::BertDenseNormImpl(const ModelConfig& c, std::int64_t in_features) {
  dense = register_module("dense", torch::nn::Linear(in_features, c.hidden_size));
  LayerNorm = register_module("LayerNorm", make_norm(c));
}

BertAttentionImpl::BertAttentionImpl(const ModelConfig& c) {
  self = register_module("self", BertSelfAttention(c));
  output = register_module("output", BertDenseNorm(c, c.hidden_size));
}

BertIntermediateImpl::BertIntermediateImpl(const ModelConfig& c) {
  dense = register_module("dense", torch::nn::Linear(c.hidden_size, c.intermediate_size));
}

BertLayerImpl::BertLayerImpl(const ModelConfig& c)
    : heads(c.num_attention_heads),
      hidden_dropout(c.hidden_dropout_prob),
      attention_dropout(c.attention_probs_dropout_prob),
      act(parse_activation(c.hidden_act)) {
  attention = register_module("attention", BertAttention(c));
  intermediate = register_module("intermediate", BertIntermediate(c));
  output = register_module("output", BertDenseNorm(c, c.intermediate_size));
}

at::Tensor BertLayerImpl::forward(const at::Tensor& hidden, const at::Tensor& bias) {
  const bool training = is_training();
  const auto& sa = attention->self;
  auto context = multi_head_attention(linear(sa->query, hidden), linear(sa->key, hidden),
                                      linear(sa->value, hidden), bias, heads,
                                      training ? attention_dropout : 0.0);
  const auto& ao = attention->output;
  auto attended =
      norm(ao->LayerNorm, drop(linear(ao->dense, context), hidden_dropout, training) + hidden);
  auto inner = activate(linear(intermediate->dense, attended), act);
  return norm(output->LayerNorm,
              drop(linear(output->dense, inner), hidden_dropout, training) + attended);
}

BertEncoderImpl::BertEncoderImpl(const ModelConfig& c) {
  layer = register_module("layer", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
    layers.emplace_back(c);
    layer->push_back(layers.back());
  }
}

BertEmbeddingsImpl::BertEmbeddingsImpl(const ModelConfig& c)
    : roberta_positions(c.position_offset() > 0),
      pad_token_id(c.pad_token_id),
      dropout(c.hidden_dropout_prob) {
  word_embeddings = register_module(
      "word_embeddings",
      torch::nn::Embedding(
          torch::nn::EmbeddingOptions(c.vocab_size, c.hidden_size).padding_idx(c.pad_token_id)));
  auto pos = torch::nn::EmbeddingOptions(c.max_position_embeddings, c.hidden_size);
  if (roberta_positions) pos.padding_idx(c.pad_token_id);
  position_embeddings = register_module("position_embeddings", torch::nn::Embedding(pos));
  if (c.type_vocab_size > 0)
    token_type_embeddings = register_module("token_type_embeddings",
                                            torch::nn::Embedding(c.type_vocab_size, c.hidden_size));
  LayerNorm = register_module("LayerNorm", make_norm(c));
}

at::Tensor BertEmbeddingsImpl::forward(const at::Tensor& input_ids,
                                       const at::Tensor& token_type_ids) {
  at::Tensor positions;
  if (roberta_positions) {
    // transformers' create_position_ids_from_input_ids: count non-pad tokens from pad_id + 1;
    // pad tokens (even inside the text) get position pad_id.
    const auto not_pad = input_ids.ne(pad_token_id).to(c10::kLong);
    positions = at::cumsum(not_pad, 1).mul_(not_pad).add_(pad_token_id);
  } else {
    positions = at::arange(input_ids.size(1), input_ids.options()).unsqueeze(0);
  }
  auto x = word_embeddings->forward(input_ids) + position_embeddings->forward(positions);
  if (token_type_embeddings) {
    if (token_type_ids.defined()) {
      x = x + token_type_embeddings->forward(token_type_ids);
    } else {
      // All-zero token types: one row broadcast instead of a [B, T] lookup.
      x = x + token_type_embeddings->weight[0];
    }
  }
  return drop(norm(LayerNorm, x), dropout, is_training());
}

BertModelImpl::BertModelImpl(const ModelConfig& c) {
  embeddings = register_module("embeddings", BertEmbeddings(c));
  encoder = register_module("encoder", BertEncoder(c));
}

at::Tensor BertModelImpl::forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                                  const at::Tensor& token_type_ids) {
  auto hidden = embeddings->forward(input_ids, token_type_ids);
  const auto bias = attention_bias(attention_mask, hidden.scalar_type());
  for (auto& layer : encoder->layers) hidden = layer->forward(hidden, bias);
  return hidden;
}

BertForTokenClassification::BertForTokenClassification(const ModelConfig& c,
                                                       std::int64_t num_labels)
    : classifier_dropout_(c.classifier_dropout.value_or(c.hidden_dropout_prob)) {
  encoder_ = register_module(c.base_model_prefix(), BertModel(c));
  classifier_ = register_module("classifier", torch::nn::Linear(c.hidden_size, num_labels));
}

at::Tensor BertForTokenClassification::forward(const at::Tensor& input_ids,
                                               const at::Tensor& attention_mask,
                                               const at::Tensor& token_type_ids) {
  auto hidden = encoder_->forward(input_ids, attention_mask, token_type_ids);
  return linear(classifier_, drop(hidden, classifier_dropout_, is_training()));
}

}  // namespace spanloop::ml::detail
