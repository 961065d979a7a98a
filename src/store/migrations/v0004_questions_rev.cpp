// Migration 4: a revision number of each dataset's questions, for caching them between writes.
#include "store/migrations/migrations.h"

namespace spanloop::store::migrations {

// Every question change bumps datasets.questions_rev in its own transaction; a response write
// reads the number with the record it locks and reuses the questions it loaded for that number
// (sql/question_cache.h), in this process or after a change made by another one.
extern const std::string_view kV4Sqlite =
    "ALTER TABLE datasets ADD COLUMN questions_rev INTEGER NOT NULL DEFAULT 0";
extern const std::string_view kV4Postgres =
    "ALTER TABLE datasets ADD COLUMN questions_rev BIGINT NOT NULL DEFAULT 0";

}  // namespace spanloop::store::migrations
