// SqlStore construction: the pool, the dialect and the migrations applied at open.
#include "store/sql/sql_store.h"

#include "store/migrations/migrations.h"
#include "store/sql/sql_store_txn.h"

namespace spanloop::store::sql {

SqlStore::SqlStore(Engine engine, Pool::Factory factory, const StoreOptions& options)
    : engine_(engine),
      dialect_(engine),
      pool_(std::move(factory), options.pool_size),
      busy_budget_(options.busy_timeout) {
  auto lease = pool_.acquire();
  if (options.migrate) {
    std::unique_lock<std::mutex> lock(write_mu_);
    migrations::migrate(*lease);
  }
}

std::string_view SqlStore::engine() const {
  return engine_ == Engine::kSqlite ? "sqlite" : "postgresql";
}

int SqlStore::schema_version() {
  return read([](Conn& c) { return migrations::current_version(c); });
}

}  // namespace spanloop::store::sql
