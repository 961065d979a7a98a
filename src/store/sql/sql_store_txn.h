// SqlStore's read and write transaction runners (templates used by every store_*.cpp).
#pragma once

#include <optional>
#include <random>
#include <thread>
#include <type_traits>

#include "store/sql/sql_store.h"
#include "text/error.h"

namespace spanloop::store::sql {

template <typename F>
auto SqlStore::on_connection(F&& f) {
  auto lease = pool_.acquire();
  try {
    return f(*lease);
  } catch (const RetryableError& e) {
    throw Error(ErrorKind::kUnavailable, std::string("the database is busy: ") + e.what());
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kUnavailable) lease.discard();
    throw;
  }
}

template <typename F>
auto SqlStore::read(F&& f) {
  return on_connection([&](Conn& c) {
    Transaction tx(c, false);
    if constexpr (std::is_void_v<std::invoke_result_t<F&, Conn&>>) {
      f(c);
      tx.commit();
    } else {
      auto result = f(c);
      tx.commit();
      return result;
    }
  });
}

template <typename F>
auto SqlStore::read_statement(F&& f) {
  if (engine_ != Engine::kPostgres) return read(std::forward<F>(f));
  return on_connection(std::forward<F>(f));
}

template <typename F>
auto SqlStore::write(F&& f) {
  using namespace std::chrono;
  using Result = std::invoke_result_t<F&, Conn&>;
  if (engine_ == Engine::kSqlite) {
    // One writer at a time: queue behind the group committer (group_commit.h).
    auto mark = [this] { last_write_ns_ = steady_clock::now().time_since_epoch().count(); };
    if constexpr (std::is_void_v<Result>) {
      committer_.run([&](Conn& c) { f(c); });
      mark();
      return;
    } else {
      std::optional<Result> out;
      committer_.run([&](Conn& c) { out.emplace(f(c)); });
      mark();
      return std::move(*out);
    }
  }
  // PostgreSQL: transactions run in parallel; serialization failures, deadlocks and unique-key
  // races are retried.
  const auto deadline = steady_clock::now() + busy_budget_;
  auto backoff = microseconds(500);
  thread_local std::minstd_rand jitter{std::random_device{}()};
  int unique_retries = 0;
  for (;;) {
    auto lease = pool_.acquire();
    try {
      Transaction tx(*lease, true);
      if constexpr (std::is_void_v<Result>) {
        f(*lease);
        tx.commit();
        return;
      } else {
        auto result = f(*lease);
        tx.commit();
        return result;
      }
    } catch (const UniqueViolation&) {
      if (++unique_retries > 2)
        throw Error(ErrorKind::kConflict,
                    "the write conflicts with an existing row (a unique key is taken)");
    } catch (const RetryableError& e) {
      if (steady_clock::now() >= deadline)
        throw Error(ErrorKind::kUnavailable,
                    std::string("the database stayed busy; try again later (") + e.what() + ")");
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::kUnavailable) lease.discard();
      throw;
    }
    // Exponential backoff with jitter so colliding writers spread out.
    std::this_thread::sleep_for(backoff + microseconds(jitter() % (backoff.count() + 1)));
    backoff = std::min(backoff * 2, duration_cast<microseconds>(milliseconds(100)));
  }
}

}  // namespace spanloop::store::sql
