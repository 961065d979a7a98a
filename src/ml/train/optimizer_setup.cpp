// Parameter groups for AdamW by module type and name.
#include "ml/train/optimizer_setup.h"

#include <torch/nn/modules/normalization.h>

#include <set>

namespace spanloop::ml::train {
namespace {

bool name_says_norm(const std::string& name) {
  return name.find("LayerNorm") != std::string::npos ||
         name.find("layer_norm") != std::string::npos ||
         name.find("layernorm") != std::string::npos;
}

}  // namespace

ParameterGroups parameter_groups(const torch::nn::Module& module) {
  std::set<std::string> norm_params;
  for (const auto& item : module.named_modules()) {
    if (dynamic_cast<const torch::nn::LayerNormImpl*>(item.value().get()) == nullptr) continue;
    for (const auto& p : item.value()->named_parameters(false))
      norm_params.insert(item.key().empty() ? p.key() : item.key() + "." + p.key());
  }
  ParameterGroups g;
  for (const auto& p : module.named_parameters()) {
    if (!p.value().requires_grad()) continue;
    const std::string& n = p.key();
    const bool bias = n.size() >= 4 && n.compare(n.size() - 4, 4, "bias") == 0;
    if (bias || norm_params.count(n) || name_says_norm(n)) {
      g.no_decay_names.push_back(n);
    } else {
      g.decay_names.push_back(n);
    }
  }
  return g;
}

std::unique_ptr<torch::optim::AdamW> make_adamw(torch::nn::Module& module, double lr,
                                                double weight_decay) {
  const auto groups = parameter_groups(module);
  const auto params = module.named_parameters();
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& n : groups.decay_names) decay.push_back(params[n]);
  for (const auto& n : groups.no_decay_names) no_decay.push_back(params[n]);
  auto opts = [&](double wd) {
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(lr).betas({0.9, 0.999}).eps(1e-8).weight_decay(wd));
  };
  std::vector<torch::optim::OptimizerParamGroup> pg;
  // Empty groups are left out (a model without biases has no no-decay group).
  if (!decay.empty()) pg.emplace_back(decay, opts(weight_decay));
  if (!no_decay.empty()) pg.emplace_back(no_decay, opts(0.0));
  return std::make_unique<torch::optim::AdamW>(pg, torch::optim::AdamWOptions(lr));
}

}  // namespace spanloop::ml::train
