// Migration 5: the queue index orders records by bucket and insertion order (model.h) instead of
// by their random shuffle key, so an import appends to a few index pages per batch.
#include "store/migrations/migrations.h"

namespace spanloop::store::migrations {

// queue_bucket is the top 6 bits of shuffle_key (queue_bucket() in model.h). A generated column
// keeps it in step with the key by construction; SQLite computes a VIRTUAL one from the row and
// keeps it only in the index.
extern const std::string_view kV5Sqlite = R"sql(
ALTER TABLE records ADD COLUMN queue_bucket INTEGER GENERATED ALWAYS AS (shuffle_key >> 26) VIRTUAL;
DROP INDEX records_queue;
CREATE INDEX records_queue ON records(dataset_seq, status, queue_bucket, seq);
)sql";

// PostgreSQL 15 has only STORED generated columns: adding one rewrites the records table once.
extern const std::string_view kV5Postgres = R"sql(
ALTER TABLE records ADD COLUMN queue_bucket INTEGER GENERATED ALWAYS AS ((shuffle_key >> 26)::integer) STORED;
DROP INDEX records_queue;
CREATE INDEX records_queue ON records(dataset_seq, status, queue_bucket, seq);
ANALYZE records;
)sql";

}  // namespace spanloop::store::migrations
