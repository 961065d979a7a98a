// DynamicBatcher: one worker takes everything queued, sorts it by length and cuts it into batches
// within the window and padded-token limits.
#include "ml/infer/batcher.h"

#include <algorithm>
#include <exception>

#include "text/error.h"

namespace spanloop::ml {

struct DynamicBatcher::Request {
  std::mutex mutex;
  std::condition_variable cv;
  std::size_t remaining = 0;
  std::exception_ptr error;

  void finish(std::size_t n, std::exception_ptr e) {
    std::lock_guard lock(mutex);
    if (e && !error) error = e;
    remaining -= n;
    if (remaining == 0) cv.notify_all();
  }
};

DynamicBatcher::DynamicBatcher(std::shared_ptr<TokenScorer> scorer, BatchLimits limits,
                               std::int64_t pad_id)
    : scorer_(std::move(scorer)), limits_(limits), pad_id_(pad_id) {
  if (!scorer_) throw Error(ErrorKind::kInvalidArgument, "no model to batch for");
  limits_.max_windows = std::max<std::size_t>(1, limits_.max_windows);
  worker_ = std::thread([this] { work(); });
}

DynamicBatcher::~DynamicBatcher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

BatchStats DynamicBatcher::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::vector<std::vector<float>> DynamicBatcher::score(const std::vector<const Encoding*>& windows) {
  std::vector<std::vector<float>> out(windows.size());
  if (windows.empty()) return out;
  Request request;
  request.remaining = windows.size();
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < windows.size(); ++i)
      queue_.push_back({windows[i], &out[i], &request});
  }
  cv_.notify_one();
  std::unique_lock lock(request.mutex);
  request.cv.wait(lock, [&] { return request.remaining == 0; });
  if (request.error) std::rethrow_exception(request.error);
  return out;
}

void DynamicBatcher::work() {
  for (;;) {
    std::vector<Item> items;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      items.swap(queue_);
    }
    // Longest first: the biggest batch (and any allocation failure) comes early.
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return a.window->size() > b.window->size();
    });
    std::size_t begin = 0;
    while (begin < items.size()) {
      const std::size_t longest = std::max<std::size_t>(1, items[begin].window->size());
      const std::size_t max_tokens =
          std::min(limits_.max_tokens, scorer_->max_batch_tokens(longest));
      const std::size_t by_tokens = std::max<std::size_t>(1, max_tokens / longest);
      std::size_t n = std::min({limits_.max_windows, by_tokens, items.size() - begin});
      // A window under half the longest starts the next batch: an outlier is not allowed to
      // pad a whole batch of short texts to its length.
      for (std::size_t k = 1; k < n; ++k) {
        if (items[begin + k].window->size() * 2 < longest) {
          n = k;
          break;
        }
      }
      run_batch(std::vector<Item>(items.begin() + static_cast<std::ptrdiff_t>(begin),
                                  items.begin() + static_cast<std::ptrdiff_t>(begin + n)));
      begin += n;
    }
  }
}

void DynamicBatcher::run_batch(const std::vector<Item>& items) {
  std::size_t seq = 1, real = 0;
  for (const auto& it : items) {
    seq = std::max(seq, it.window->size());
    real += it.window->size();
  }
  const std::size_t batch = items.size();
  std::vector<std::int64_t> ids(batch * seq, pad_id_), mask(batch * seq, 0);
  for (std::size_t b = 0; b < batch; ++b) {
    const Encoding& e = *items[b].window;
    std::copy(e.ids.begin(), e.ids.end(), ids.begin() + static_cast<std::ptrdiff_t>(b * seq));
    std::fill_n(mask.begin() + static_cast<std::ptrdiff_t>(b * seq), e.size(), 1);
  }
  std::exception_ptr error;
  try {
    std::vector<float> logits;
    scorer_->score(ids, mask, batch, seq, logits);
    const std::size_t labels = scorer_->num_labels();
    if (logits.size() != batch * seq * labels) {
      throw Error(ErrorKind::kInternal, "the model returned " + std::to_string(logits.size()) +
                                            " logits for a batch of " + std::to_string(batch) +
                                            " x " + std::to_string(seq) + " tokens");
    }
    for (std::size_t b = 0; b < batch; ++b) {
      const auto first = logits.begin() + static_cast<std::ptrdiff_t>(b * seq * labels);
      items[b].out->assign(first,
                           first + static_cast<std::ptrdiff_t>(items[b].window->size() * labels));
    }
  } catch (...) {
    error = std::current_exception();
  }
  {
    std::lock_guard lock(mutex_);
    ++stats_.batches;
    stats_.windows += batch;
    stats_.tokens += real;
    stats_.padded_tokens += batch * seq;
  }
  for (const auto& it : items) it.request->finish(1, error);
}

}  // namespace spanloop::ml
