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
  // Most padded tokens one forward pass over windows of `seq` tokens should take (the batcher
  // also applies its own limits). A model caps this so that no activation of a batch outgrows
  // what the allocator reuses: tensors above it are mapped and unmapped on every pass, and their
  // page faults cost more than the arithmetic (see docs/inference.md). Default: no cap.
  virtual std::size_t max_batch_tokens(std::size_t seq) const {
    (void)seq;
    return static_cast<std::size_t>(-1);
  }
};

}  // namespace spanloop::ml
