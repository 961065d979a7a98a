// Test helpers: the tiny data of tiny_data.h plus a tiny convolutional token classifier, so
// training tests run in seconds.
#pragma once

#include <torch/torch.h>

#include "ml/train/trainable_model.h"
#include "tiny_data.h"

namespace spanloop::ml::train::testing {

// Embedding -> LayerNorm -> Conv1d(k=3) -> ReLU -> Linear: sees one token of context each side,
// enough to tell B- from I-.
struct TinyTaggerImpl : torch::nn::Module {
  TinyTaggerImpl(int64_t vocab, int64_t labels, int64_t dim = 16)
      : embeddings(register_module("embeddings", torch::nn::Embedding(vocab, dim))),
        LayerNorm(
            register_module("LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})))),
        conv(register_module("conv",
                             torch::nn::Conv1d(torch::nn::Conv1dOptions(dim, 32, 3).padding(1)))),
        classifier(register_module("classifier", torch::nn::Linear(32, labels))) {}
  torch::Tensor forward(const torch::Tensor& ids, const torch::Tensor& mask) {
    auto x = LayerNorm(embeddings(ids)) * mask.unsqueeze(-1).to(torch::kFloat);
    x = torch::relu(conv(x.transpose(1, 2))).transpose(1, 2);
    return classifier(x);
  }
  torch::nn::Embedding embeddings;
  torch::nn::LayerNorm LayerNorm;
  torch::nn::Conv1d conv;
  torch::nn::Linear classifier;
};
TORCH_MODULE(TinyTagger);

inline TrainableModel tiny_model(std::int64_t labels, std::uint64_t seed = 7) {
  torch::manual_seed(seed);
  TinyTagger m(static_cast<std::int64_t>(tiny_vocab().size()), labels);
  TrainableModel t;
  t.module = m.ptr();
  t.forward = [m](const torch::Tensor& ids, const torch::Tensor& mask) mutable {
    return m->forward(ids, mask);
  };
  return t;
}

}  // namespace spanloop::ml::train::testing
