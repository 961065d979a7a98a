// What the trainer needs from a token-classification model: its module (parameters, train/eval
// mode, state for checkpoints), a forward to logits and, optionally, a Hugging Face save.
#pragma once

#include <torch/nn/module.h>

#include <filesystem>
#include <functional>
#include <memory>

namespace spanloop::ml::train {

struct TrainableModel {
  std::shared_ptr<torch::nn::Module> module;
  // input_ids, attention_mask [batch, seq] (int64) -> logits [batch, seq, num_labels]
  std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)> forward;
  // Writes config.json + model.safetensors (Hugging Face layout); empty: not available.
  std::function<void(const std::filesystem::path&)> save_pretrained;
  // Switches dropout/autograd mode; empty: module->train(on).
  std::function<void(bool)> set_training;
  int pad_token_id = 0;

  void train(bool on) const {
    if (set_training)
      set_training(on);
    else
      module->train(on);
  }
};

}  // namespace spanloop::ml::train
