// Building the network for a config, and transformers-style random initialisation.
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/TensorIndexing.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cos.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/sin.h>
#include <c10/core/GradMode.h>

#include <cmath>

#include "ml/model/networks.h"

namespace spanloop::ml::detail {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// DistilBERT's create_sinusoidal_embeddings: even columns sin, odd columns cos of
// pos / 10000^(2*(j/2)/dim).
void fill_sinusoidal(at::Tensor& weight) {
  const auto n_pos = weight.size(0), dim = weight.size(1);
  auto opts = at::TensorOptions().dtype(c10::kDouble);
  auto pos = at::arange(n_pos, opts).unsqueeze(1);
  auto j = at::arange(dim, opts);
  auto pair = j.div(2, "floor").mul(2.0 / static_cast<double>(dim));
  auto angle = pos / at::exp(pair * std::log(10000.0)).unsqueeze(0);
  auto table = at::empty({n_pos, dim}, opts);
  table.index_put_(
      {at::indexing::Slice(), at::indexing::Slice(0, at::indexing::None, 2)},
      at::sin(angle.index({at::indexing::Slice(), at::indexing::Slice(0, at::indexing::None, 2)})));
  table.index_put_(
      {at::indexing::Slice(), at::indexing::Slice(1, at::indexing::None, 2)},
      at::cos(angle.index({at::indexing::Slice(), at::indexing::Slice(1, at::indexing::None, 2)})));
  weight.copy_(table);
}

}  // namespace

std::shared_ptr<TokenClassificationNet> make_network(const ModelConfig& config,
                                                     std::int64_t num_labels) {
  if (config.model_type == ModelType::kDistilBert)
    return std::make_shared<DistilBertForTokenClassification>(config, num_labels);
  return std::make_shared<BertForTokenClassification>(config, num_labels);
}

void init_weights(torch::nn::Module& net, const ModelConfig& config, std::uint64_t seed,
                  bool only_head) {
  c10::NoGradGuard no_grad;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  const double std_dev = config.initializer_range;
  for (auto& item : net.named_parameters(/*recurse=*/true)) {
    const std::string& name = item.key();
    at::Tensor p = item.value();
    if (only_head && name.rfind("classifier.", 0) != 0) continue;
    // Draw on CPU in fp32 with our generator, then copy to the parameter's device/dtype.
    at::Tensor value = at::empty(p.sizes(), at::TensorOptions().dtype(c10::kFloat));
    const bool is_norm =
        name.find("LayerNorm") != std::string::npos || name.find("layer_norm") != std::string::npos;
    if (ends_with(name, ".bias")) {
      value.zero_();
    } else if (is_norm) {
      value.fill_(1.0);
    } else if (config.sinusoidal_pos_embds && ends_with(name, "position_embeddings.weight")) {
      fill_sinusoidal(value);
    } else {
      value.normal_(0.0, std_dev, gen);
      const bool word = ends_with(name, "word_embeddings.weight");
      const bool roberta_pos =
          config.position_offset() > 0 && ends_with(name, "position_embeddings.weight");
      if (word || roberta_pos) value[config.pad_token_id].zero_();  // padding_idx rows are zero
    }
    p.copy_(value);
  }
}

}  // namespace spanloop::ml::detail
