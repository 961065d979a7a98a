// SQLite full-text indexing off the write path: record_texts rows above the fts_state watermark
// are added to the FTS5 index in chunks, by a background thread or before a text search.
#pragma once

#include <cstdint>

#include "store/sql/db.h"

namespace spanloop::store::sqlite {

// True when some record_texts rows are not in the full-text index yet.
bool fts_backlog(sql::Conn& c);

// Indexes up to max_rows pending texts inside the caller's write transaction, advancing the
// watermark; returns how many rows it indexed.
std::int64_t fts_index_some(sql::Conn& c, std::int64_t max_rows);

}  // namespace spanloop::store::sqlite
