// Numbered schema migrations embedded in the binary, applied at open, recorded in
// schema_migrations. Each engine has its own SQL text for the same logical schema.
#pragma once

#include <climits>
#include <string_view>
#include <vector>

#include "store/sql/db.h"

namespace spanloop::store::migrations {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sqlite_sql;
  std::string_view postgres_sql;
  // Data step run after the SQL in the same transaction (backfills needing C++ logic).
  void (*after)(sql::Conn& conn) = nullptr;
};

// All migrations in version order.
const std::vector<Migration>& all();

// The highest applied version (0 for an empty database).
int current_version(sql::Conn& conn);

// Applies every pending migration up to target, each in its own transaction, holding a lock so
// concurrent openers do not race. Returns the version reached.
int migrate(sql::Conn& conn, int target = INT_MAX);

}  // namespace spanloop::store::migrations
