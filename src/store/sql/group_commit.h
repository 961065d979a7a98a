// Group commit for SQLite's single writer: writes queue up; one thread runs a whole group in
// one transaction and commits once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>

#include "store/sql/db.h"

namespace spanloop::store::sql {

// The first thread to queue an operation becomes the leader: it takes every queued operation
// (its own and those that arrive meanwhile), runs each inside its own savepoint of one
// IMMEDIATE transaction (a failing operation is rolled back alone and gets its error), and
// commits once. Many concurrent writers then cost one lock hand-off and one WAL append per
// group instead of per write, and nobody starves.
class GroupCommitter {
 public:
  GroupCommitter(Pool& pool, std::chrono::milliseconds busy_budget)
      : pool_(pool), busy_budget_(busy_budget) {}

  // Runs op in a group's transaction and returns once that transaction committed; rethrows
  // op's exception (or the commit's).
  void run(const std::function<void(Conn&)>& op);

  // Operations waiting or running (background work yields while this is non-zero).
  int busy() const { return busy_.load(); }

  // Asks the next leader to run a RESTART WAL checkpoint right after its commit (SQLite). A
  // passive checkpoint from another thread never catches up with a steady stream of commits,
  // so the WAL is never restarted and grows without bound (9 GB during a 1M-record import),
  // and every page read then probes a wal-index hash table per 4096 frames. The leader holds
  // this process's write slot, so its checkpoint copies every frame and the next write
  // restarts the WAL from the beginning.
  void request_checkpoint() { checkpoint_wanted_ = true; }

 private:
  struct Task {
    const std::function<void(Conn&)>* op;
    std::exception_ptr error;
    bool done = false;
  };
  void run_group(const std::vector<Task*>& group);

  static constexpr std::size_t kMaxGroup = 64;
  Pool& pool_;
  std::chrono::milliseconds busy_budget_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task*> queue_;
  bool leading_ = false;
  std::atomic<int> busy_{0};
  std::atomic<bool> checkpoint_wanted_{false};
};

}  // namespace spanloop::store::sql
