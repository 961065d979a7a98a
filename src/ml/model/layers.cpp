// Activations, attention masks, multi-head attention and the functional forms of the encoders'
// modules, with plain ATen ops.
#include "ml/model/layers.h"

#include <ATen/ops/dropout.h>
#include <ATen/ops/gelu.h>
#include <ATen/ops/layer_norm.h>
#include <ATen/ops/linear.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/silu.h>
#include <ATen/ops/softmax.h>
#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <cmath>
#include <limits>

#include "ml/model/networks.h"

namespace spanloop::ml::detail {

Activation parse_activation(const std::string& name) {
  if (name == "gelu") return Activation::kGelu;
  if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast")
    return Activation::kGeluTanh;
  if (name == "relu") return Activation::kRelu;
  return Activation::kSilu;  // silu / swish
}

at::Tensor activate(const at::Tensor& x, Activation act) {
  switch (act) {
    case Activation::kGelu:
      return at::gelu(x);  // exact erf form, as transformers' "gelu"
    case Activation::kGeluTanh:
      return at::gelu(x, "tanh");
    case Activation::kRelu:
      return at::relu(x);
    case Activation::kSilu:
      return at::silu(x);
  }
  return x;
}

at::Tensor attention_bias(const at::Tensor& attention_mask, c10::ScalarType dtype) {
  if (!attention_mask.defined()) return {};
  double lowest = std::numeric_limits<float>::lowest();
  if (dtype == c10::kBFloat16)
    lowest = static_cast<float>(std::numeric_limits<c10::BFloat16>::lowest());
  if (dtype == c10::kHalf) lowest = static_cast<float>(std::numeric_limits<c10::Half>::lowest());
  if (dtype == c10::kDouble) lowest = std::numeric_limits<double>::lowest();
  // (1 - mask) * lowest, written so that attended positions get exactly 0.
  const auto masked = attention_mask.eq(0).unsqueeze(1).unsqueeze(2);
  return masked.to(dtype).mul_(lowest);
}

at::Tensor multi_head_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                const at::Tensor& bias, std::int64_t heads, double dropout_p) {
  const auto batch = q.size(0), len = q.size(1), width = q.size(2);
  const auto head_dim = width / heads;
  auto split = [&](const at::Tensor& x) {
    return x.view({batch, len, heads, head_dim}).transpose(1, 2);
  };
  auto scores = at::matmul(split(q), split(k).transpose(-1, -2));  // [B, H, T, T]
  scores.mul_(1.0 / std::sqrt(static_cast<double>(head_dim)));
  if (bias.defined()) scores.add_(bias);
  auto probs = at::softmax(scores, -1);
  if (dropout_p > 0) probs = at::dropout(probs, dropout_p, /*train=*/true);
  auto context = at::matmul(probs, split(v));  // [B, H, T, D]
  return context.transpose(1, 2).reshape({batch, len, width});
}

torch::nn::LayerNorm make_norm(const ModelConfig& c) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps));
}

at::Tensor norm(const torch::nn::LayerNorm& ln, const at::Tensor& x) {
  const auto& o = ln->options;
  return at::layer_norm(x, o.normalized_shape(), ln->weight, ln->bias, o.eps());
}

at::Tensor linear(const torch::nn::Linear& l, const at::Tensor& x) {
  return at::linear(x, l->weight, l->bias);
}

at::Tensor drop(const at::Tensor& x, double p, bool training) {
  return training && p > 0 ? at::dropout(x, p, true) : x;
}

}  // namespace spanloop::ml::detail
