// Connection pool and the convenience queries of the database layer.
#include "store/sql/db.h"

namespace spanloop::store::sql {

std::optional<std::int64_t> Conn::query_i64(std::string_view sql, const Params& params) {
  Rows rows = query(sql, params);
  if (!rows.next() || rows.is_null(0)) return std::nullopt;
  return rows.i64(0);
}

std::optional<std::string> Conn::query_text(std::string_view sql, const Params& params) {
  Rows rows = query(sql, params);
  if (!rows.next() || rows.is_null(0)) return std::nullopt;
  return rows.text(0);
}

void Conn::execute_many(std::string_view sql, const std::vector<Params>& rows) {
  for (const auto& params : rows) execute(sql, params);
}

Pool::Pool(Factory factory, int max_size) : factory_(std::move(factory)), max_size_(max_size) {
  if (max_size_ < 1) max_size_ = 1;
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
    if (open_ < max_size_) {
      ++open_;
      lock.unlock();
      try {
        return Lease(*this, factory_());
      } catch (...) {
        lock.lock();
        --open_;
        cv_.notify_one();
        throw;
      }
    }
    cv_.wait(lock);
  }
}

void Pool::release(std::unique_ptr<Conn> conn) {
  std::lock_guard lock(mu_);
  if (conn)
    idle_.push_back(std::move(conn));
  else
    --open_;
  cv_.notify_one();
}

Pool::Lease::~Lease() {
  if (pool_) pool_->release(std::move(conn_));
}

}  // namespace spanloop::store::sql
