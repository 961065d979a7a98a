// Building blocks shared by the encoders (internal, torch-facing): activations, masks, attention.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace spanloop::ml::detail {

enum class Activation { kGelu, kGeluTanh, kRelu, kSilu };
// From config.json's hidden_act/activation (validated by ModelConfig).
Activation parse_activation(const std::string& name);
at::Tensor activate(const at::Tensor& x, Activation act);

// [B, T] attention mask (1 = attend) -> additive bias [B, 1, 1, T] in `dtype`: 0 where attended,
// the dtype's lowest value where masked (what transformers adds). Undefined mask -> undefined bias.
at::Tensor attention_bias(const at::Tensor& attention_mask, c10::ScalarType dtype);

// Multi-head scaled dot-product attention on projected q, k, v of shape [B, T, H*D]:
// softmax(q k^T / sqrt(D) + bias) v, returned as [B, T, H*D]. Dropout on the probabilities only
// when `dropout_p > 0` (training).
at::Tensor multi_head_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                const at::Tensor& bias, std::int64_t heads, double dropout_p);

}  // namespace spanloop::ml::detail
