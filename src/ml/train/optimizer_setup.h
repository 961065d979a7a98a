// AdamW with transformers' parameter groups: weight decay on weights, none on biases and
// normalisation weights (LayerNorm/Embedding norms).
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

#include <memory>
#include <string>
#include <vector>

namespace spanloop::ml::train {

struct ParameterGroups {
  std::vector<std::string> decay_names;
  std::vector<std::string> no_decay_names;
};

// Splits module parameters (requires_grad only): no decay for names ending in "bias" and for
// parameters of LayerNorm modules (by type, or by a name containing "LayerNorm"/"layer_norm").
ParameterGroups parameter_groups(const torch::nn::Module& module);

// Group 0: decay, group 1: no decay (empty groups left out); betas (0.9, 0.999), eps 1e-8 (transformers' defaults).
std::unique_ptr<torch::optim::AdamW> make_adamw(torch::nn::Module& module, double lr,
                                               double weight_decay);

}  // namespace spanloop::ml::train
