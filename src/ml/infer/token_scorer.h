// What the pipeline needs from a model: logits for a right-padded batch of token ids. The libtorch
// TokenClassifier implements it (torch_scorer.cpp); tests use recorded logits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spanloop::ml {

class TokenScorer {
 public:
  virtual ~TokenScorer() = default;
  // ids and mask are row-major [batch, seq] (mask 1 on real tokens); logits receives
  // [batch, seq, num_labels()] float32, row-major. Called from one thread at a time.
  virtual void score(const std::vector<std::int64_t>& ids, const std::vector<std::int64_t>& mask,
                     std::size_t batch, std::size_t seq, std::vector<float>& logits) = 0;
  virtual std::size_t num_labels() const = 0;
};

}  // namespace spanloop::ml
