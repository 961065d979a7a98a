// TokenScorer stand-ins for pipeline tests without a model: logits recorded by transformers
// (looked up by the row's token ids) and a deterministic per-token-id scorer.
#pragma once

#include <map>
#include <stdexcept>
#include <vector>

#include "golden_support.h"
#include "ml/infer/token_scorer.h"

namespace spanloop::ml::testing {

// Logits of expected.safetensors' single<i> runs, keyed by their input ids.
class RecordedScorer : public TokenScorer {
 public:
  RecordedScorer(const std::map<std::string, GoldenTensor>& tensors, std::size_t labels)
      : labels_(labels) {
    for (const auto& [name, t] : tensors) {
      if (!name.starts_with("single") || !name.ends_with(".input_ids")) continue;
      const auto prefix = name.substr(0, name.size() - std::string(".input_ids").size());
      by_ids_[t.i64] = tensors.at(prefix + ".logits").f32;
    }
  }
  void score(const std::vector<std::int64_t>& ids, const std::vector<std::int64_t>& mask,
             std::size_t batch, std::size_t seq, std::vector<float>& logits) override {
    logits.assign(batch * seq * labels_, 0.0f);
    for (std::size_t b = 0; b < batch; ++b) {
      std::vector<std::int64_t> row;
      for (std::size_t t = 0; t < seq; ++t)
        if (mask[b * seq + t]) row.push_back(ids[b * seq + t]);
      const auto it = by_ids_.find(row);
      if (it == by_ids_.end()) throw std::runtime_error("no recorded logits for this input");
      std::copy(it->second.begin(), it->second.end(), logits.begin() + b * seq * labels_);
    }
    ++calls;
  }
  std::size_t num_labels() const override { return labels_; }
  std::size_t calls = 0;

 private:
  std::size_t labels_;
  std::map<std::vector<std::int64_t>, std::vector<float>> by_ids_;
};

// Logits that depend on the token id only (label id % labels wins clearly), so a token scores
// the same in every window.
class TokenIdScorer : public TokenScorer {
 public:
  explicit TokenIdScorer(std::size_t labels) : labels_(labels) {}
  void score(const std::vector<std::int64_t>& ids, const std::vector<std::int64_t>&,
             std::size_t batch, std::size_t seq, std::vector<float>& logits) override {
    logits.assign(batch * seq * labels_, 0.0f);
    for (std::size_t i = 0; i < batch * seq; ++i) {
      const auto id = static_cast<std::size_t>(ids[i]);
      logits[i * labels_ + id % labels_] = 3.0f + static_cast<float>(id % 7) * 0.25f;
    }
  }
  std::size_t num_labels() const override { return labels_; }

 private:
  std::size_t labels_;
};

class FailingScorer : public TokenScorer {
 public:
  void score(const std::vector<std::int64_t>&, const std::vector<std::int64_t>&, std::size_t,
             std::size_t, std::vector<float>&) override {
    throw std::runtime_error("device lost");
  }
  std::size_t num_labels() const override { return 11; }
};

}  // namespace spanloop::ml::testing
