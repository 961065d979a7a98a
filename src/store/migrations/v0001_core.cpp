// Migration 1: the core data model (accounts, datasets and settings, records, answers).
#include "store/migrations/migrations.h"

namespace spanloop::store::migrations {

extern const std::string_view kV1Sqlite = R"sql(
-- Integer keys the store hands out itself (records.seq): never reused, so a cursor never
-- meets a recycled key.
CREATE TABLE id_sequences (
  name TEXT PRIMARY KEY,
  last_value INTEGER NOT NULL
);
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL,
  last_name TEXT,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  inserted_at INTEGER NOT NULL
);
CREATE INDEX api_keys_user ON api_keys(user_id);
CREATE TABLE workspace_users (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  inserted_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX workspace_users_user ON workspace_users(user_id);
CREATE TABLE datasets (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  guidelines TEXT,
  allow_extra_metadata INTEGER NOT NULL,
  status TEXT NOT NULL,
  distribution_strategy TEXT NOT NULL,
  min_submitted INTEGER NOT NULL,
  metadata TEXT NOT NULL,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE TABLE dataset_stats (
  dataset_seq INTEGER NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  shard INTEGER NOT NULL,
  records INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  PRIMARY KEY (dataset_seq, shard)
);
CREATE TABLE fields (
  id TEXT PRIMARY KEY,
  dataset_seq INTEGER NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  required INTEGER NOT NULL,
  use_markdown INTEGER NOT NULL,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (dataset_seq, name)
);
CREATE TABLE questions (
  id TEXT PRIMARY KEY,
  dataset_seq INTEGER NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  required INTEGER NOT NULL,
  type TEXT NOT NULL,
  settings TEXT NOT NULL,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (dataset_seq, name)
);
CREATE TABLE metadata_properties (
  id TEXT PRIMARY KEY,
  dataset_seq INTEGER NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  type TEXT NOT NULL,
  settings TEXT NOT NULL,
  visible_for_annotators INTEGER NOT NULL,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (dataset_seq, name)
);
CREATE TABLE vector_settings (
  id TEXT PRIMARY KEY,
  dataset_seq INTEGER NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  dimensions INTEGER NOT NULL,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (dataset_seq, name)
);
CREATE TABLE records (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  dataset_seq INTEGER NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  external_id TEXT,
  metadata TEXT NOT NULL,
  status TEXT NOT NULL,
  shuffle_key INTEGER NOT NULL,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (dataset_seq, external_id)
);
CREATE INDEX records_order ON records(dataset_seq, seq);
CREATE INDEX records_updated ON records(dataset_seq, updated_at, seq);
CREATE INDEX records_queue ON records(dataset_seq, status, shuffle_key, seq);
CREATE TABLE record_texts (
  id INTEGER PRIMARY KEY,
  record_seq INTEGER NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  field TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX record_texts_record ON record_texts(record_seq);
CREATE TABLE record_metadata (
  record_seq INTEGER NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  property_id TEXT NOT NULL REFERENCES metadata_properties(id) ON DELETE CASCADE,
  term TEXT,
  num REAL
);
CREATE INDEX record_metadata_record ON record_metadata(record_seq);
CREATE INDEX record_metadata_term ON record_metadata(property_id, term, record_seq) WHERE term IS NOT NULL;
CREATE INDEX record_metadata_num ON record_metadata(property_id, num, record_seq) WHERE num IS NOT NULL;
CREATE TABLE vectors (
  record_seq INTEGER NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  vector_settings_id TEXT NOT NULL REFERENCES vector_settings(id) ON DELETE CASCADE,
  value BLOB NOT NULL,
  PRIMARY KEY (record_seq, vector_settings_id)
);
CREATE INDEX vectors_settings ON vectors(vector_settings_id);
CREATE TABLE responses (
  id TEXT PRIMARY KEY,
  record_seq INTEGER NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  dataset_seq INTEGER NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  vals TEXT NOT NULL,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (record_seq, user_id)
);
CREATE INDEX responses_user ON responses(dataset_seq, user_id, status, record_seq);
CREATE INDEX responses_user_id ON responses(user_id);
-- Searchable values of answers (span labels, labels, ratings): a response is one per
-- (record_seq, user_id) and a suggestion one per (record_seq, question_id), which key their rows.
CREATE TABLE response_terms (
  record_seq INTEGER NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  question_id TEXT NOT NULL,
  term TEXT NOT NULL,
  num REAL
);
CREATE INDEX response_terms_record ON response_terms(record_seq, user_id);
CREATE INDEX response_terms_term ON response_terms(question_id, term, record_seq);
CREATE TABLE suggestions (
  id TEXT PRIMARY KEY,
  record_seq INTEGER NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  dataset_seq INTEGER NOT NULL,
  question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  value TEXT NOT NULL,
  score TEXT NOT NULL,
  score_min REAL,
  score_max REAL,
  agent TEXT,
  type TEXT,
  inserted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (record_seq, question_id)
);
CREATE INDEX suggestions_question ON suggestions(question_id, agent);
CREATE TABLE suggestion_terms (
  record_seq INTEGER NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  question_id TEXT NOT NULL,
  term TEXT NOT NULL,
  num REAL
);
CREATE INDEX suggestion_terms_record ON suggestion_terms(record_seq, question_id);
CREATE INDEX suggestion_terms_term ON suggestion_terms(question_id, term, record_seq);
)sql";

// The same schema in PostgreSQL types; text that is sorted or compared uses the "C" collation
// so both engines order by code point.
extern const std::string_view kV1Postgres = R"sql(
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT COLLATE "C" NOT NULL UNIQUE,
  first_name TEXT NOT NULL,
  last_name TEXT,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  inserted_at BIGINT NOT NULL
);
CREATE INDEX api_keys_user ON api_keys(user_id);
CREATE TABLE workspace_users (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  inserted_at BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX workspace_users_user ON workspace_users(user_id);
CREATE TABLE datasets (
  seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name TEXT COLLATE "C" NOT NULL,
  guidelines TEXT,
  allow_extra_metadata INTEGER NOT NULL,
  status TEXT NOT NULL,
  distribution_strategy TEXT NOT NULL,
  min_submitted BIGINT NOT NULL,
  metadata TEXT NOT NULL,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE TABLE dataset_stats (
  dataset_seq BIGINT NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  shard INTEGER NOT NULL,
  records BIGINT NOT NULL,
  completed BIGINT NOT NULL,
  PRIMARY KEY (dataset_seq, shard)
);
CREATE TABLE fields (
  id TEXT PRIMARY KEY,
  dataset_seq BIGINT NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  title TEXT NOT NULL,
  required INTEGER NOT NULL,
  use_markdown INTEGER NOT NULL,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (dataset_seq, name)
);
CREATE TABLE questions (
  id TEXT PRIMARY KEY,
  dataset_seq BIGINT NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  required INTEGER NOT NULL,
  type TEXT NOT NULL,
  settings TEXT NOT NULL,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (dataset_seq, name)
);
CREATE TABLE metadata_properties (
  id TEXT PRIMARY KEY,
  dataset_seq BIGINT NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  title TEXT NOT NULL,
  type TEXT NOT NULL,
  settings TEXT NOT NULL,
  visible_for_annotators INTEGER NOT NULL,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (dataset_seq, name)
);
CREATE TABLE vector_settings (
  id TEXT PRIMARY KEY,
  dataset_seq BIGINT NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  title TEXT NOT NULL,
  dimensions BIGINT NOT NULL,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (dataset_seq, name)
);
CREATE TABLE records (
  seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  dataset_seq BIGINT NOT NULL REFERENCES datasets(seq) ON DELETE CASCADE,
  external_id TEXT COLLATE "C",
  metadata TEXT NOT NULL,
  status TEXT NOT NULL,
  shuffle_key BIGINT NOT NULL,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (dataset_seq, external_id)
);
CREATE INDEX records_order ON records(dataset_seq, seq);
CREATE INDEX records_updated ON records(dataset_seq, updated_at, seq);
CREATE INDEX records_queue ON records(dataset_seq, status, shuffle_key, seq);
CREATE TABLE record_texts (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  record_seq BIGINT NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  field TEXT COLLATE "C" NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX record_texts_record ON record_texts(record_seq);
CREATE TABLE record_metadata (
  record_seq BIGINT NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  property_id TEXT NOT NULL REFERENCES metadata_properties(id) ON DELETE CASCADE,
  term TEXT COLLATE "C",
  num DOUBLE PRECISION
);
CREATE INDEX record_metadata_record ON record_metadata(record_seq);
CREATE INDEX record_metadata_term ON record_metadata(property_id, term, record_seq) WHERE term IS NOT NULL;
CREATE INDEX record_metadata_num ON record_metadata(property_id, num, record_seq) WHERE num IS NOT NULL;
CREATE TABLE vectors (
  record_seq BIGINT NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  vector_settings_id TEXT NOT NULL REFERENCES vector_settings(id) ON DELETE CASCADE,
  value BYTEA NOT NULL,
  PRIMARY KEY (record_seq, vector_settings_id)
);
CREATE INDEX vectors_settings ON vectors(vector_settings_id);
CREATE TABLE responses (
  id TEXT PRIMARY KEY,
  record_seq BIGINT NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  dataset_seq BIGINT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  vals TEXT NOT NULL,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (record_seq, user_id)
);
CREATE INDEX responses_user ON responses(dataset_seq, user_id, status, record_seq);
CREATE INDEX responses_user_id ON responses(user_id);
CREATE TABLE response_terms (
  record_seq BIGINT NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  question_id TEXT NOT NULL,
  term TEXT COLLATE "C" NOT NULL,
  num DOUBLE PRECISION
);
CREATE INDEX response_terms_record ON response_terms(record_seq, user_id);
CREATE INDEX response_terms_term ON response_terms(question_id, term, record_seq);
CREATE TABLE suggestions (
  id TEXT PRIMARY KEY,
  record_seq BIGINT NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  dataset_seq BIGINT NOT NULL,
  question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  value TEXT NOT NULL,
  score TEXT NOT NULL,
  score_min DOUBLE PRECISION,
  score_max DOUBLE PRECISION,
  agent TEXT COLLATE "C",
  type TEXT,
  inserted_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (record_seq, question_id)
);
CREATE INDEX suggestions_question ON suggestions(question_id, agent);
CREATE TABLE suggestion_terms (
  record_seq BIGINT NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
  question_id TEXT NOT NULL,
  term TEXT COLLATE "C" NOT NULL,
  num DOUBLE PRECISION
);
CREATE INDEX suggestion_terms_record ON suggestion_terms(record_seq, question_id);
CREATE INDEX suggestion_terms_term ON suggestion_terms(question_id, term, record_seq);
)sql";

}  // namespace spanloop::store::migrations
