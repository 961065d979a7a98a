// The PostgreSQL engine: libpq connections of the database layer and the store factory.
#pragma once

#include <memory>
#include <string>

#include "store/sql/db.h"
#include "store/store.h"

namespace spanloop::store::postgres {

// A URL split into libpq's connection string and the optional "schema" parameter.
struct PgUrl {
  std::string conninfo;
  std::string schema;  // empty: the server's default search_path
};
PgUrl parse_pg_url(const std::string& url);

std::unique_ptr<sql::Conn> open_pg_conn(const PgUrl& url);

// open_store's PostgreSQL branch: creates the schema when named, then migrates.
std::unique_ptr<Store> open_postgres_store(const std::string& url, const StoreOptions& options);

// Drops a schema and everything in it (test cleanup).
void drop_pg_schema(const std::string& url, const std::string& schema);

}  // namespace spanloop::store::postgres
