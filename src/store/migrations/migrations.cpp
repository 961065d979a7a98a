// The migration list and the runner that applies it.
#include "store/migrations/migrations.h"

#include "store/model.h"
#include "text/error.h"

namespace spanloop::store::migrations {

extern const std::string_view kV1Sqlite;
extern const std::string_view kV1Postgres;
extern const std::string_view kV2Sqlite;
extern const std::string_view kV2Postgres;
extern const std::string_view kV3Sqlite;
extern const std::string_view kV3Postgres;
extern const std::string_view kV4Sqlite;
extern const std::string_view kV4Postgres;
extern const std::string_view kV5Sqlite;
extern const std::string_view kV5Postgres;
void v2_backfill(sql::Conn& conn);

const std::vector<Migration>& all() {
  static const std::vector<Migration> kAll = {
      {1, "core data model", kV1Sqlite, kV1Postgres, nullptr},
      {2, "full-text index", kV2Sqlite, kV2Postgres, v2_backfill},
      {3, "full-text index with dataset and field scope", kV3Sqlite, kV3Postgres, nullptr},
      {4, "questions revision per dataset", kV4Sqlite, kV4Postgres, nullptr},
      {5, "queue index by bucket and insertion order", kV5Sqlite, kV5Postgres, nullptr},
  };
  return kAll;
}

namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

// Serializes migrators: SQLite's BEGIN IMMEDIATE already does; PostgreSQL needs a lock.
void lock(sql::Conn& conn) {
  if (conn.engine() == sql::Engine::kPostgres)
    conn.query_i64("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7307330901)) AS l");
}

}  // namespace

int current_version(sql::Conn& conn) {
  const bool exists =
      conn.engine() == sql::Engine::kSqlite
          ? conn.query_i64(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND "
                    "name='schema_migrations'")
                .has_value()
          : conn.query_i64(
                    "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND "
                    "tablename = 'schema_migrations'")
                .has_value();
  if (!exists) return 0;
  return static_cast<int>(conn.query_i64("SELECT MAX(version) FROM schema_migrations").value_or(0));
}

int migrate(sql::Conn& conn, int target) {
  int version = 0;
  for (const Migration& m : all()) {
    if (m.version > target) break;
    sql::Transaction tx(conn, true);
    lock(conn);
    conn.exec_script(kCreateTable);
    if (conn.query_i64("SELECT 1 FROM schema_migrations WHERE version = ?",
                       {std::int64_t{m.version}})) {
      tx.commit();
      version = m.version;
      continue;
    }
    try {
      conn.exec_script(conn.engine() == sql::Engine::kSqlite ? m.sqlite_sql : m.postgres_sql);
      if (m.after) m.after(conn);
    } catch (const Error& e) {
      throw Error(e.kind(), "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                                ") failed: " + e.what());
    }
    conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                 {std::int64_t{m.version}, std::string(m.name), now_timestamp()});
    tx.commit();
    version = m.version;
  }
  const int newest = all().back().version;
  const int applied = current_version(conn);
  if (applied > newest)
    throw Error(ErrorKind::kFailedPrecondition, "the database has schema version " +
                                                    std::to_string(applied) +
                                                    ", newer than this build knows (" +
                                                    std::to_string(newest) + "); upgrade spanloop");
  return std::max(version, applied);
}

}  // namespace spanloop::store::migrations
