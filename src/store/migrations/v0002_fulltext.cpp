// Migration 2: the full-text index over record texts (FTS5 on SQLite, tsvector + GIN on
// PostgreSQL), built from the rows that already exist.
#include "store/migrations/migrations.h"
#include "store/sql/text_index.h"

namespace spanloop::store::migrations {

// External-content FTS5 table: record_texts holds the text once; triggers keep the index in
// step. The tokenizer's word characters match sql/text_index.h (letters, digits, marks).
// External-content FTS5 table over record_texts (whose ids pack dataset, record and field, see
// sql/text_index.h). New texts are queued in fts_queue and indexed by the store's indexer, not
// by an insert trigger: FTS5 flushes its pending terms at every trigger savepoint, which made
// inserts 2.5x slower. Deleting a text removes its index entry, or its queue entry when it was
// not indexed yet. Texts are never updated. Word characters match sql/text_index.h.
extern const std::string_view kV2Sqlite = R"sql(
CREATE VIRTUAL TABLE record_texts_fts USING fts5(
  body, content='record_texts', content_rowid='id',
  tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'");
CREATE TABLE fts_queue (text_id INTEGER PRIMARY KEY);
INSERT INTO record_texts_fts(record_texts_fts) VALUES ('rebuild');
CREATE TRIGGER record_texts_fts_delete AFTER DELETE ON record_texts BEGIN
  INSERT INTO record_texts_fts(record_texts_fts, rowid, body)
    SELECT 'delete', old.id, old.body WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE text_id = old.id);
  DELETE FROM fts_queue WHERE text_id = old.id;
END;
)sql";

// The store computes each tsvector itself (sql/text_index.h) so both engines split words alike.
extern const std::string_view kV2Postgres = R"sql(
ALTER TABLE record_texts ADD COLUMN tsv TSVECTOR;
CREATE INDEX record_texts_tsv ON record_texts USING GIN (tsv);
)sql";

// Fills tsv for the texts stored before this migration, in batches by id.
void v2_backfill(sql::Conn& conn) {
  if (conn.engine() != sql::Engine::kPostgres) return;
  std::int64_t after = 0;
  for (;;) {
    std::vector<std::pair<std::int64_t, std::string>> batch;
    {
      sql::Rows rows = conn.query(
          "SELECT id, body FROM record_texts WHERE id > ? AND tsv IS NULL ORDER BY id LIMIT 1000",
          {after});
      while (rows.next()) batch.emplace_back(rows.i64(0), rows.text(1));
    }
    if (batch.empty()) return;
    for (const auto& [id, body] : batch)
      conn.execute("UPDATE record_texts SET tsv = ?::tsvector WHERE id = ?",
                   {sql::pg_tsvector_literal(body), id});
    after = batch.back().first;
  }
}

}  // namespace spanloop::store::migrations
