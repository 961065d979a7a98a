// Migration 3: PostgreSQL's full-text index also knows each text's dataset and field.
#include "store/migrations/migrations.h"

namespace spanloop::store::migrations {

// SQLite's FTS5 rowid already carries dataset and field (sql/text_index.h): nothing to do.
extern const std::string_view kV3Sqlite = "SELECT 1";

// The GIN index of version 2 held only the words, so a dataset's matches were found among every
// dataset's and then filtered by text id range on the heap rows. This two-column index adds a
// scope column of two lexemes per text, '#<dataset_seq>' and '#<dataset_seq>.<field_index>'
// (taken from the text id; '#' is never part of a word), so a query ANDs its words with its
// scope inside the index and the planner can estimate it. A separate column (rather than words
// and scope in one tsvector) keeps the recheck of phrases and prefixes on the stored tsv. The
// expression is repeated verbatim in Dialect::fts_record_seqs (a query uses an expression index
// only when it spells the same expression); record_texts.tsv stays as the store writes it.
extern const std::string_view kV3Postgres = R"sql(
CREATE INDEX record_texts_scoped ON record_texts USING GIN (tsv, (('''#' || (id >> 44)::text || ''' ''#' || (id >> 44)::text || '.' || (id & 255)::text || '''')::tsvector));
DROP INDEX record_texts_tsv;
ANALYZE record_texts;
)sql";

}  // namespace spanloop::store::migrations
