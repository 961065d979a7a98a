// Chunked FTS5 indexing by watermark (see migration 2 for the table and triggers).
#include "store/sqlite/fts_indexer.h"

namespace spanloop::store::sqlite {

bool fts_backlog(sql::Conn& c) {
  return c.query_i64(
              "SELECT EXISTS (SELECT 1 FROM record_texts WHERE id > (SELECT indexed_through FROM "
              "fts_state WHERE id = 1))")
             .value_or(0) != 0;
}

std::int64_t fts_index_some(sql::Conn& c, std::int64_t max_rows) {
  const std::int64_t from =
      c.query_i64("SELECT indexed_through FROM fts_state WHERE id = 1").value_or(0);
  const auto upto = c.query_i64(
      "SELECT MAX(id) FROM (SELECT id FROM record_texts WHERE id > ? ORDER BY id LIMIT ?)",
      {from, max_rows});
  if (!upto) return 0;
  const std::int64_t n = c.execute(
      "INSERT INTO record_texts_fts (rowid, body) SELECT id, body FROM record_texts WHERE id > ? "
      "AND id <= ?",
      {from, *upto});
  c.execute("UPDATE fts_state SET indexed_through = ? WHERE id = 1", {*upto});
  return n;
}

}  // namespace spanloop::store::sqlite
