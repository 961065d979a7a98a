// SQLite full-text indexing off the write path: texts queued in fts_queue are added to the FTS5
// index in chunks, by a background thread or before a text search.
#pragma once

#include <cstdint>

#include "store/sql/db.h"

namespace spanloop::store::sqlite {

// True when some texts are not in the full-text index yet.
bool fts_backlog(sql::Conn& c);

// Indexes up to max_rows queued texts inside the caller's write transaction; returns how many.
std::int64_t fts_index_some(sql::Conn& c, std::int64_t max_rows);

}  // namespace spanloop::store::sqlite
