// A fixed-size pool of worker threads for the CPU-side pipeline stages (tokenization,
// post-processing); the model's own matmul threads are libtorch's.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace spanloop::ml {

class ThreadPool {
 public:
  // threads == 0: one per hardware thread. The pool never grows.
  explicit ThreadPool(std::size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Calls fn(i) for i in [0, n) on the workers and the calling thread; returns when all are done
  // and rethrows the first exception. Safe to call from several threads at once (not from inside
  // fn: the pool is bounded, nested calls would wait on themselves).
  void parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn);

  std::size_t size() const { return workers_.size(); }

 private:
  void work();

  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> tasks_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace spanloop::ml
