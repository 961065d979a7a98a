// Helpers shared by the SqlStore source files: column lists, row readers, the dataset context
// that validation needs, record loading with includes, and the derived-index writers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "store/sql/db.h"
#include "store/sql/dialect.h"

namespace spanloop::store::sql {

[[noreturn]] void throw_not_found(std::string_view what, std::string_view id);

inline constexpr std::string_view kWorkspaceCols = "id, name, inserted_at, updated_at";
inline constexpr std::string_view kUserCols =
    "u.id, u.username, u.first_name, u.last_name, u.role, u.password_hash, u.inserted_at, "
    "u.updated_at";
inline constexpr std::string_view kDatasetCols =
    "d.seq, d.id, d.workspace_id, d.name, d.guidelines, d.allow_extra_metadata, d.status, "
    "d.distribution_strategy, d.min_submitted, d.metadata, d.inserted_at, d.updated_at";
inline constexpr std::string_view kFieldCols =
    "f.id, d.id, f.name, f.title, f.required, f.use_markdown, f.inserted_at, f.updated_at";
inline constexpr std::string_view kQuestionCols =
    "q.id, d.id, q.name, q.title, q.description, q.required, q.type, q.settings, q.inserted_at, "
    "q.updated_at";
inline constexpr std::string_view kPropertyCols =
    "p.id, d.id, p.name, p.title, p.type, p.settings, p.visible_for_annotators, p.inserted_at, "
    "p.updated_at";
inline constexpr std::string_view kVectorSettingsCols =
    "v.id, d.id, v.name, v.title, v.dimensions, v.inserted_at, v.updated_at";

Workspace read_workspace(Rows& r);
User read_user(Rows& r);
// Reads kDatasetCols; seq receives the internal key.
Dataset read_dataset(Rows& r, std::int64_t* seq = nullptr);
Field read_field(Rows& r);
Question read_question(Rows& r);
MetadataProperty read_property(Rows& r);
VectorSettings read_vector_settings(Rows& r);

// A dataset with its settings, loaded once per operation that validates against them.
struct DatasetCtx {
  std::int64_t seq = 0;
  Dataset dataset;
  std::vector<Field> fields;
  std::vector<Question> questions;
  std::vector<MetadataProperty> properties;
  std::vector<VectorSettings> vectors;

  const Question* question_by_id(std::string_view id) const;
  const Question* question_by_name(std::string_view name) const;
  const MetadataProperty* property_by_name(std::string_view name) const;
  std::optional<QuestionType> type_of(const std::string& question_name) const;
};

// nullopt when the dataset does not exist.
std::optional<std::pair<std::int64_t, Dataset>> find_dataset(Conn& c, const std::string& id);
std::pair<std::int64_t, Dataset> require_dataset(Conn& c, const std::string& id);
std::optional<Dataset> dataset_by_seq(Conn& c, std::int64_t seq);
DatasetCtx load_ctx(Conn& c, std::int64_t seq, Dataset dataset);
DatasetCtx load_ctx(Conn& c, const std::string& dataset_id);
// The dataset and its questions only: enough to decode and validate answers.
DatasetCtx dataset_questions_ctx(Conn& c, std::int64_t dataset_seq);

std::vector<Field> fields_of(Conn& c, std::int64_t dataset_seq);
std::vector<Question> questions_of(Conn& c, std::int64_t dataset_seq);
std::vector<MetadataProperty> properties_of(Conn& c, std::int64_t dataset_seq);
std::vector<VectorSettings> vectors_of(Conn& c, std::int64_t dataset_seq);

// The text fields of one record.
std::map<std::string, std::string> record_texts(Conn& c, std::int64_t record_seq);

// Loads records by key, in the given order, with the requested includes.
std::vector<Record> load_records(Conn& c, const Dialect& d, const DatasetCtx& ctx,
                                 const std::vector<std::int64_t>& seqs,
                                 const RecordInclude& include);

// Read kResponseCols / kSuggestionCols starting at column o.
Response read_response(Rows& r, int o, const std::string& record_id, const DatasetCtx& ctx);
inline constexpr std::string_view kResponseCols =
    "x.id, x.user_id, x.status, x.vals, x.inserted_at, x.updated_at";
inline constexpr std::string_view kSuggestionCols =
    "s.id, s.question_id, q.name, q.type, s.value, s.score, s.agent, s.type, s.inserted_at, "
    "s.updated_at";
Suggestion read_suggestion(Rows& r, int o, const std::string& record_id);

// Derived search rows. With replace, the owner's previous rows are deleted first. With a sink,
// the new rows are appended to it (for one execute_many per table) instead of inserted now.
inline constexpr std::string_view kInsertMetadataSql =
    "INSERT INTO record_metadata (record_seq, property_id, term, num) VALUES (?, ?, ?, ?)";
inline constexpr std::string_view kInsertResponseTermSql =
    "INSERT INTO response_terms (record_seq, user_id, question_id, term, num) VALUES (?, ?, ?, ?, "
    "?)";
inline constexpr std::string_view kInsertSuggestionTermSql =
    "INSERT INTO suggestion_terms (record_seq, question_id, term, num) VALUES (?, ?, ?, ?)";
void index_record_metadata(Conn& c, std::int64_t record_seq, const Metadata& metadata,
                           const std::vector<MetadataProperty>& properties, bool replace,
                           std::vector<Params>* sink = nullptr);
void index_response_terms(Conn& c, std::int64_t record_seq, const std::string& user_id,
                          const ResponseValues& values, const DatasetCtx& ctx, bool replace,
                          std::vector<Params>* sink = nullptr);
void index_suggestion_terms(Conn& c, std::int64_t record_seq, const Question& question,
                            const AnswerValue& value, bool replace,
                            std::vector<Params>* sink = nullptr);

// Rows of a new suggestion, response and vector (records inserted in the same transaction
// cannot have them yet, so bulk creates insert them in batches).
inline constexpr std::string_view kInsertSuggestionSql =
    "INSERT INTO suggestions (id, record_seq, dataset_seq, question_id, value, score, score_min, "
    "score_max, agent, type, inserted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
Params suggestion_row(const std::string& id, std::int64_t dataset_seq, std::int64_t record_seq,
                      const Question& question, const SuggestionInput& input, Timestamp now);
inline constexpr std::string_view kInsertResponseSql =
    "INSERT INTO responses (id, record_seq, dataset_seq, user_id, status, vals, inserted_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
inline constexpr std::string_view kUpsertVectorSql =
    "INSERT INTO vectors (record_seq, vector_settings_id, value) VALUES (?, ?, ?) ON CONFLICT "
    "(record_seq, vector_settings_id) DO UPDATE SET value = excluded.value";

// Changes to a dataset's record and completed counters, written once per operation (shards in
// ascending order, so concurrent writers take the counter rows' locks in one order).
class StatsDelta {
 public:
  explicit StatsDelta(const Dialect& d) : shards_(d.stats_shards()) {}
  void add(std::int64_t record_seq, std::int64_t d_records, std::int64_t d_completed);
  void flush(Conn& c, std::int64_t dataset_seq);

 private:
  int shards_;
  std::map<int, std::pair<std::int64_t, std::int64_t>> by_shard_;
};

// Creates the counter rows of a new dataset.
void create_stats(Conn& c, const Dialect& d, std::int64_t dataset_seq);

// Sets each record's status from its submitted-response count (completed iff >= min_submitted).
// The caller holds the records' row locks on PostgreSQL.
void recompute_statuses(Conn& c, const Dialect& d, const DatasetCtx& ctx,
                        const std::vector<std::int64_t>& record_seqs, Timestamp now,
                        StatsDelta& stats);

// recompute_statuses for one record whose response changed, and its counter, as deferred writes
// (on PostgreSQL they reach the server with the COMMIT: no round trip of their own).
// was_completed: the record's status read with its row lock, so the counter's change can be
// computed in SQL from the new status instead of from the update's result.
void recompute_status_deferred(Conn& c, const Dialect& d, const DatasetCtx& ctx,
                               std::int64_t record_seq, bool was_completed, Timestamp now);

// Locks records (PostgreSQL row locks, in key order) before their responses change.
void lock_records(Conn& c, const Dialect& d, std::vector<std::int64_t> record_seqs);

// Upserts one suggestion on (record, question); returns it and whether it was created.
SuggestionUpsertResult write_suggestion(Conn& c, std::int64_t dataset_seq, std::int64_t record_seq,
                                        const std::string& record_id, const Question& question,
                                        const SuggestionInput& input, Timestamp now);
void write_vectors(Conn& c, std::int64_t record_seq, const Vectors& vectors,
                   const std::vector<VectorSettings>& settings,
                   std::vector<Params>* sink = nullptr);

}  // namespace spanloop::store::sql
