// ThreadPool: tasks from a queue; parallel_for hands out indices through an atomic counter so
// fast and slow items balance themselves.
#include "ml/infer/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>

namespace spanloop::ml {

ThreadPool::ThreadPool(std::size_t threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stop_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void ThreadPool::parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn) {
  if (n == 0) return;
  // Shared with the queued tasks, which may start after this call returned and find no work.
  struct State {
    std::atomic<std::size_t> next{0};
    std::size_t done = 0;
    std::exception_ptr error;
    std::mutex mutex;
    std::condition_variable cv;
  };
  auto state = std::make_shared<State>();
  auto drain = [state, n, &fn] {
    for (;;) {
      const std::size_t i = state->next.fetch_add(1);
      if (i >= n) return;
      std::exception_ptr error;
      try {
        fn(i);
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(state->mutex);
      if (error && !state->error) state->error = error;
      if (++state->done == n) state->cv.notify_all();
    }
  };
  const std::size_t helpers = std::min(workers_.size(), n - 1);
  if (helpers > 0) {
    {
      std::lock_guard lock(mutex_);
      // fn is referenced only while indices remain, i.e. before this call returns.
      for (std::size_t i = 0; i < helpers; ++i) tasks_.emplace_back(drain);
    }
    cv_.notify_all();
  }
  drain();
  std::unique_lock lock(state->mutex);
  state->cv.wait(lock, [&] { return state->done == n; });
  if (state->error) std::rethrow_exception(state->error);
}

}  // namespace spanloop::ml
