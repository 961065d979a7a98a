// SqlStore construction: the pool, the dialect and the migrations applied at open.
#include "store/sql/sql_store.h"

#include "store/migrations/migrations.h"
#include "store/sql/sql_store_txn.h"
#include "store/sqlite/fts_indexer.h"

namespace spanloop::store::sql {

SqlStore::SqlStore(Engine engine, Pool::Factory factory, const StoreOptions& options)
    : engine_(engine),
      dialect_(engine),
      pool_(std::move(factory), options.pool_size),
      busy_budget_(options.busy_timeout),
      committer_(pool_, options.busy_timeout),
      shuffle_hash_max_records_(options.shuffle_hash_max_records) {
  auto lease = pool_.acquire();
  if (options.migrate) migrations::migrate(*lease);
  background_indexing_ = options.background_indexing;
  if (engine_ == Engine::kSqlite) fts_thread_ = std::thread([this] { fts_indexer_loop(); });
}

SqlStore::~SqlStore() {
  if (fts_thread_.joinable()) {
    {
      std::lock_guard lock(fts_mu_);
      fts_stop_ = true;
    }
    fts_cv_.notify_all();
    fts_thread_.join();
  }
}

void SqlStore::fts_notify(std::int64_t queued) {
  last_write_ns_ = std::chrono::steady_clock::now().time_since_epoch().count();
  if (!background_indexing_ || queued == 0) return;
  queued_texts_ += queued;
  {
    std::lock_guard lock(fts_mu_);
    fts_dirty_ = true;
  }
  fts_cv_.notify_one();
}

void SqlStore::fts_catch_up() {
  if (engine_ != Engine::kSqlite) return;
  if (!read([](Conn& c) { return sqlite::fts_backlog(c); })) return;
  while (write([](Conn& c) { return sqlite::fts_index_some(c, 20000); }) > 0) {
  }
}

// Indexes pending texts in small chunks while no API writer is waiting, so imports keep their
// speed and searches rarely find a backlog. Also polls for texts written by other processes.
// SQLite maintenance, off the request path: indexes queued texts in small chunks while no API
// writer is waiting, and checkpoints the WAL (connections have auto-checkpoint off, so a commit
// never pays for copying and syncing the WAL into the database file). Also picks up texts
// written by other processes.
void SqlStore::fts_indexer_loop() {
  using namespace std::chrono;
  auto last_checkpoint = steady_clock::now();
  std::int64_t checkpointed_write = 0;
  for (;;) {
    {
      std::unique_lock lock(fts_mu_);
      fts_cv_.wait_for(lock, milliseconds(250), [this] { return fts_stop_ || fts_dirty_; });
      if (fts_stop_) return;
      fts_dirty_ = false;
    }
    try {
      while (background_indexing_) {
        {
          std::lock_guard lock(fts_mu_);
          if (fts_stop_) return;
        }
        // Imports come in bursts of batches: index in the pauses, unless the backlog grows
        // past what a search would want to wait for.
        const auto since_write =
            steady_clock::now().time_since_epoch().count() - last_write_ns_.load();
        const bool busy = committer_.busy() > 0 ||
                          (duration<std::int64_t, std::nano>(since_write) < kIndexerQuiet &&
                           queued_texts_.load() < kIndexerMaxBacklog);
        if (busy) {
          std::this_thread::sleep_for(milliseconds(10));
          if (steady_clock::now() - last_checkpoint < seconds(1)) continue;
          break;  // let the checkpoint below run during long bursts too
        }
        std::int64_t n = 0;
        committer_.run([&](Conn& c) { n = sqlite::fts_index_some(c, 256); });
        queued_texts_ -= std::min<std::int64_t>(n, queued_texts_.load());
        if (n == 0) break;
      }
      // A passive checkpoint copies committed WAL frames without blocking readers or writers.
      const std::int64_t write_mark = last_write_ns_.load();
      if (steady_clock::now() - last_checkpoint >= seconds(1) && write_mark != checkpointed_write) {
        auto lease = pool_.acquire();
        Rows r = lease->query("PRAGMA wal_checkpoint(PASSIVE)");  // busy, log frames, copied
        if (r.next() && r.i64(1) > kWalRestartFrames)
          committer_.request_checkpoint();  // writes never paused long enough to restart it
        while (r.next()) {
        }
        last_checkpoint = steady_clock::now();
        checkpointed_write = write_mark;
      }
    } catch (const std::exception&) {
      // Busy or failing: searches still index on demand and SQLite checkpoints at close.
      std::unique_lock lock(fts_mu_);
      fts_cv_.wait_for(lock, seconds(1), [this] { return fts_stop_; });
    }
  }
}

std::string_view SqlStore::engine() const {
  return engine_ == Engine::kSqlite ? "sqlite" : "postgresql";
}

int SqlStore::schema_version() {
  return read([](Conn& c) { return migrations::current_version(c); });
}

}  // namespace spanloop::store::sql
