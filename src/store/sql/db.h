// The small database layer both engines implement: connections, parameter binding, result rows,
// RAII transactions and a connection pool. The store's SQL is written once against it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace spanloop::store::sql {

// Raw bytes (vectors), bound as BLOB / BYTEA.
struct Blob {
  std::string bytes;
};
using Param = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;
using Params = std::vector<Param>;

// One statement's result, read forward. Column accessors take 0-based indexes.
class RowsImpl {
 public:
  virtual ~RowsImpl() = default;
  virtual bool next() = 0;
  virtual bool is_null(int col) = 0;
  virtual std::int64_t i64(int col) = 0;
  virtual double f64(int col) = 0;
  virtual std::string text(int col) = 0;
  virtual std::string blob(int col) = 0;
};

class Rows {
 public:
  explicit Rows(std::unique_ptr<RowsImpl> impl) : impl_(std::move(impl)) {}
  bool next() { return impl_->next(); }
  bool is_null(int col) { return impl_->is_null(col); }
  std::int64_t i64(int col) { return impl_->i64(col); }
  double f64(int col) { return impl_->f64(col); }
  bool boolean(int col) { return impl_->i64(col) != 0; }
  std::string text(int col) { return impl_->text(col); }
  std::optional<std::string> opt_text(int col) {
    if (impl_->is_null(col)) return std::nullopt;
    return impl_->text(col);
  }
  std::string blob(int col) { return impl_->blob(col); }

 private:
  std::unique_ptr<RowsImpl> impl_;
};

enum class Engine { kSqlite, kPostgres };

// A connection. SQL uses ? placeholders on both engines (PostgreSQL's driver renumbers them).
// Failures throw spanloop::Error; a failure worth retrying (lock timeout, serialization failure,
// deadlock) throws RetryableError.
class Conn {
 public:
  virtual ~Conn() = default;
  virtual Engine engine() const = 0;
  // Several statements without parameters (migrations, DDL).
  virtual void exec_script(std::string_view sql) = 0;
  virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
  // Runs a statement and returns the number of rows it changed.
  virtual std::int64_t execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs one statement for many parameter sets (bulk inserts); engines may batch round trips.
  virtual void execute_many(std::string_view sql, const std::vector<Params>& rows);
  // A write whose result the caller does not need: PostgreSQL sends it together with the
  // transaction's next statement or its COMMIT (one round trip for all); a failure is thrown
  // there. Other engines run it at once.
  virtual void execute_deferred(std::string_view sql, const Params& params = {}) {
    execute(sql, params);
  }
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // Convenience: the first column of the first row, if any.
  std::optional<std::int64_t> query_i64(std::string_view sql, const Params& params = {});
  std::optional<std::string> query_text(std::string_view sql, const Params& params = {});
};

struct RetryableError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A unique key taken by a concurrent transaction (two requests creating the same name or
// external id at once). Retrying re-runs the operation's own checks, which then answer with
// a precise kConflict or, for upserts, update the row the other request created.
struct UniqueViolation : RetryableError {
  using RetryableError::RetryableError;
};

// Rolls back in the destructor unless committed.
class Transaction {
 public:
  Transaction(Conn& conn, bool write) : conn_(conn) { conn_.begin(write); }
  ~Transaction() {
    if (!done_) conn_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    conn_.commit();
    done_ = true;
  }

 private:
  Conn& conn_;
  bool done_ = false;
};

// Hands out connections, opening new ones up to a limit and blocking beyond it.
class Pool {
 public:
  using Factory = std::function<std::unique_ptr<Conn>()>;
  Pool(Factory factory, int max_size);

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Conn> conn) : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(std::move(o.conn_)) { o.pool_ = nullptr; }
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Conn& operator*() { return *conn_; }
    Conn* operator->() { return conn_.get(); }
    // Drops the connection instead of returning it (after a broken connection).
    void discard() { conn_.reset(); }

   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  Lease acquire();

 private:
  void release(std::unique_ptr<Conn> conn);
  Factory factory_;
  int max_size_;
  int open_ = 0;
  std::vector<std::unique_ptr<Conn>> idle_;
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace spanloop::store::sql
