// SQLite implementation of sql::Conn. Every statement is prepared once per connection and
// reused; parameters are always bound, never spliced into SQL text.
#include "store/sqlite/sqlite_conn.h"

#include <sqlite3.h>

#include <unordered_map>

#include "text/error.h"

namespace spanloop::store::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xFF;
  const std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw sql::RetryableError(msg);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    throw sql::UniqueViolation(msg);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    throw Error(ErrorKind::kConflict, "a row this write refers to was deleted meanwhile");
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL ||
      primary == SQLITE_READONLY)
    throw Error(ErrorKind::kUnavailable, "SQLite database unavailable: " + msg);
  throw Error(ErrorKind::kInternal, "SQLite error: " + msg);
}

class SqliteRows : public sql::RowsImpl {
 public:
  SqliteRows(sqlite3* db, sqlite3_stmt* stmt, bool owned) : db_(db), stmt_(stmt), owned_(owned) {}
  ~SqliteRows() override {
    if (owned_)
      sqlite3_finalize(stmt_);
    else
      sqlite3_reset(stmt_);
  }
  bool next() override {
    if (done_) return false;
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    done_ = true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, rc, "step");
  }
  bool is_null(int col) override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::int64_t i64(int col) override { return sqlite3_column_int64(stmt_, col); }
  double f64(int col) override { return sqlite3_column_double(stmt_, col); }
  std::string text(int col) override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    const int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
  }
  std::string blob(int col) override {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    const int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool owned_;
  bool done_ = false;
};

class SqliteConn : public sql::Conn {
 public:
  SqliteConn(const std::string& path, std::chrono::milliseconds busy_timeout) {
    const int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI * 0;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw Error(ErrorKind::kUnavailable, "cannot open SQLite database " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
    // WAL lets readers run beside the writer; NORMAL sync keeps every commit across a process
    // crash (the WAL is written before commit returns) and fsyncs at checkpoints, which the
    // store's maintenance thread runs (and SQLite at close) instead of a committing writer.
    // Pages stay at SQLite's 4 KiB: 16 KiB ones made bulk imports 12 % faster (a quarter of the WAL
    // frames) but submits 11 % slower at 100k records and 40 % at 1M (each read after another
    // connection's commit preads whole pages again).
    exec_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA wal_autocheckpoint=0; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;");
    // No memory-mapped I/O (mmap_size 0): a read transaction that starts after another
    // connection's commit unmaps the whole mapping (sqlite3PagerSharedLock) and then faults its
    // pages back in, which cost more than the pread of the few pages a request reads (submits:
    // 0.97 -> 0.58 ms of server CPU each; docs/BENCHMARKS.md "Records API").
    exec_script("PRAGMA mmap_size=0;");
  }
  ~SqliteConn() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    // Keeps the planner's statistics current (SQLite's advice for long-lived databases);
    // analysis_limit bounds the work on large tables.
    sqlite3_exec(db_, "PRAGMA analysis_limit=400; PRAGMA optimize;", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db_);
  }

  sql::Engine engine() const override { return sql::Engine::kSqlite; }

  void exec_script(std::string_view sql) override {
    char* err = nullptr;
    const std::string s(sql);
    const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED)
        throw sql::RetryableError(msg);
      throw Error(ErrorKind::kInternal, "SQLite error: " + msg);
    }
  }

  sql::Rows query(std::string_view sql, const sql::Params& params) override {
    bool owned = false;
    sqlite3_stmt* stmt = prepare(sql, owned);
    bind(stmt, params, owned, SQLITE_TRANSIENT);  // the rows outlive the caller's params
    return sql::Rows(std::make_unique<SqliteRows>(db_, stmt, owned));
  }

  // Steps the statement to its end here, so bound text need not be copied (bulk inserts run
  // this once per row).
  std::int64_t execute(std::string_view sql, const sql::Params& params) override {
    bool owned = false;
    sqlite3_stmt* stmt = prepare(sql, owned);
    bind(stmt, params, owned, SQLITE_STATIC);
    {
      SqliteRows rows(db_, stmt, owned);
      while (rows.next()) {
      }
    }
    if (!owned) sqlite3_clear_bindings(stmt);  // no pointers into params left behind
    return sqlite3_changes64(db_);
  }

  void begin(bool write) override { exec_script(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
  void commit() override { exec_script("COMMIT"); }
  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  // A cached statement, or a fresh one when the cached one is still being read (nested use).
  sqlite3_stmt* prepare(std::string_view sql, bool& owned) {
    auto it = cache_.find(sql);
    if (it != cache_.end() && !sqlite3_stmt_busy(it->second)) {
      owned = false;
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare");
    if (it != cache_.end()) {
      owned = true;
      return stmt;
    }
    if (cache_.size() >= kMaxCached) {
      for (auto c = cache_.begin(); c != cache_.end();) {
        if (sqlite3_stmt_busy(c->second)) {
          ++c;
        } else {
          sqlite3_finalize(c->second);
          c = cache_.erase(c);
        }
      }
    }
    cache_.emplace(std::string(sql), stmt);
    owned = false;
    return stmt;
  }

  void bind(sqlite3_stmt* stmt, const sql::Params& params, bool owned,
            sqlite3_destructor_type lifetime) {
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      const auto& p = params[i];
      if (std::holds_alternative<std::nullptr_t>(p)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (auto* v = std::get_if<std::int64_t>(&p)) {
        rc = sqlite3_bind_int64(stmt, idx, *v);
      } else if (auto* d = std::get_if<double>(&p)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else if (auto* s = std::get_if<std::string>(&p)) {
        rc = sqlite3_bind_text64(stmt, idx, s->data(), s->size(), lifetime, SQLITE_UTF8);
      } else if (auto* b = std::get_if<sql::Blob>(&p)) {
        rc = sqlite3_bind_blob64(stmt, idx, b->bytes.data(), b->bytes.size(), lifetime);
      }
      if (rc != SQLITE_OK) {
        if (owned) sqlite3_finalize(stmt);
        fail(db_, rc, "bind");
      }
    }
  }

  static constexpr std::size_t kMaxCached = 256;
  sqlite3* db_ = nullptr;
  // Looked up by string_view: no copy of the SQL text per statement run.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

}  // namespace

std::unique_ptr<sql::Conn> open_sqlite_conn(const std::string& path,
                                            std::chrono::milliseconds busy_timeout) {
  return std::make_unique<SqliteConn>(path, busy_timeout);
}

}  // namespace spanloop::store::sqlite
