// Chunked FTS5 indexing from fts_queue (see migration 2 for the tables and the delete trigger).
#include "store/sqlite/fts_indexer.h"

namespace spanloop::store::sqlite {

bool fts_backlog(sql::Conn& c) {
  return c.query_i64("SELECT EXISTS (SELECT 1 FROM fts_queue)").value_or(0) != 0;
}

std::int64_t fts_index_some(sql::Conn& c, std::int64_t max_rows) {
  const auto upto = c.query_i64(
      "SELECT MAX(text_id) FROM (SELECT text_id FROM fts_queue ORDER BY text_id LIMIT ?)",
      {max_rows});
  if (!upto) return 0;
  const std::int64_t n = c.execute(
      "INSERT INTO record_texts_fts (rowid, body) SELECT id, body FROM record_texts WHERE id IN "
      "(SELECT text_id "
      "FROM fts_queue WHERE text_id <= ?)",
      {*upto});
  c.execute("DELETE FROM fts_queue WHERE text_id <= ?", {*upto});
  return n;
}

}  // namespace spanloop::store::sqlite
