// GroupCommitter: leader election, savepoint per operation, one commit per group.
#include "store/sql/group_commit.h"

#include <string>
#include <thread>
#include <vector>

#include "text/error.h"

namespace spanloop::store::sql {

void GroupCommitter::run(const std::function<void(Conn&)>& op) {
  Task task{&op, nullptr, false};
  std::unique_lock lock(mu_);
  ++busy_;
  queue_.push_back(&task);
  while (!task.done) {
    if (leading_) {
      cv_.wait(lock);
      continue;
    }
    leading_ = true;
    while (!queue_.empty()) {
      std::vector<Task*> group;
      while (!queue_.empty() && group.size() < kMaxGroup) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      run_group(group);
      lock.lock();
      for (Task* t : group) t->done = true;
      busy_ -= static_cast<int>(group.size());
      cv_.notify_all();
    }
    leading_ = false;
  }
  lock.unlock();
  if (task.error) std::rethrow_exception(task.error);
}

void GroupCommitter::run_group(const std::vector<Task*>& group) {
  auto fail_all = [&](std::exception_ptr e) {
    for (Task* t : group)
      if (!t->error) t->error = e;
  };
  try {
    auto lease = pool_.acquire();
    Conn& c = *lease;
    // Another process may hold the write lock beyond the busy timeout: retry until the budget.
    const auto deadline = std::chrono::steady_clock::now() + busy_budget_;
    for (;;) {
      try {
        c.begin(true);
        break;
      } catch (const RetryableError& e) {
        if (std::chrono::steady_clock::now() >= deadline)
          throw Error(ErrorKind::kUnavailable,
                      std::string("the database stayed busy; try again later (") + e.what() + ")");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    try {
      for (Task* t : group) {
        c.exec_script("SAVEPOINT op");
        try {
          (*t->op)(c);
          c.exec_script("RELEASE op");
        } catch (...) {
          c.exec_script("ROLLBACK TO op; RELEASE op");
          try {
            throw;
          } catch (const UniqueViolation&) {
            // Writes of one process are serialized, so this is a real clash, not a race.
            t->error = std::make_exception_ptr(
                Error(ErrorKind::kConflict,
                      "the write conflicts with an existing row (a unique key is taken)"));
          } catch (const RetryableError& e) {
            t->error = std::make_exception_ptr(
                Error(ErrorKind::kUnavailable, std::string("the database is busy: ") + e.what()));
          } catch (...) {
            t->error = std::current_exception();
          }
        }
      }
      c.commit();
      if (checkpoint_wanted_.exchange(false)) {
        try {
          // RESTART waits only for readers of older snapshots (new readers read the database
          // file), and the next write starts the WAL over. A long reader (an export) must not
          // stall the writers queued behind the leader: wait at most 100 ms, then try again
          // at the maintenance thread's next request.
          const auto timeout = c.query_i64("PRAGMA busy_timeout").value_or(0);
          c.exec_script("PRAGMA busy_timeout = 100");
          try {
            c.exec_script("PRAGMA wal_checkpoint(RESTART)");
          } catch (const std::exception&) {
          }
          c.exec_script("PRAGMA busy_timeout = " + std::to_string(timeout));
        } catch (const std::exception&) {
          // Busy (another process): the maintenance thread asks again.
        }
      }
    } catch (...) {
      c.rollback();
      // The group did not commit: every operation failed, including those that ran cleanly.
      const std::exception_ptr e = std::current_exception();
      for (Task* t : group) t->error = e;
      try {
        throw;
      } catch (const Error& err) {
        if (err.kind() == ErrorKind::kUnavailable) lease.discard();
      } catch (...) {
      }
    }
  } catch (...) {
    fail_all(std::current_exception());
  }
}

}  // namespace spanloop::store::sql
