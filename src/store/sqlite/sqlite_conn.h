// The SQLite connection of the database layer: WAL, foreign keys, busy timeout, cached
// prepared statements.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "store/sql/db.h"

namespace spanloop::store::sqlite {

// Opens (creating) the database file; path ":memory:" gives a private in-memory database.
std::unique_ptr<sql::Conn> open_sqlite_conn(const std::string& path,
                                            std::chrono::milliseconds busy_timeout);

}  // namespace spanloop::store::sqlite
