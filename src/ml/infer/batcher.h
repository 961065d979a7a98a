// Dynamic batching: windows submitted by any number of threads are queued, sorted by length and
// run through the model in padded batches by one worker thread, so concurrent requests (server,
// loop) share forward passes and padding stays small.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ml/infer/token_scorer.h"
#include "ml/tokenizer/tokenizer.h"

namespace spanloop::ml {

struct BatchLimits {
  std::size_t max_windows = 16;       // windows per forward pass
  std::size_t max_tokens = 16 * 512;  // padded tokens (windows x longest) per forward pass
};

struct BatchStats {
  std::size_t batches = 0, windows = 0, tokens = 0, padded_tokens = 0;
};

class DynamicBatcher {
 public:
  DynamicBatcher(std::shared_ptr<TokenScorer> scorer, BatchLimits limits, std::int64_t pad_id);
  ~DynamicBatcher();  // finishes queued work, then stops the worker
  DynamicBatcher(const DynamicBatcher&) = delete;
  DynamicBatcher& operator=(const DynamicBatcher&) = delete;

  // Blocks until every window is scored: logits[i] = [windows[i]->size(), num_labels] row-major.
  // Rethrows the scorer's exception for the batches that held these windows.
  std::vector<std::vector<float>> score(const std::vector<const Encoding*>& windows);

  std::size_t num_labels() const { return scorer_->num_labels(); }
  BatchStats stats() const;

 private:
  struct Request;
  struct Item {
    const Encoding* window;
    std::vector<float>* out;
    Request* request;
  };
  void work();
  void run_batch(const std::vector<Item>& items);

  std::shared_ptr<TokenScorer> scorer_;
  BatchLimits limits_;
  std::int64_t pad_id_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Item> queue_;
  BatchStats stats_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace spanloop::ml
