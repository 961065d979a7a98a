// The Store: every read and write of annotation data, behind one interface with two engines.
//
// Contract shared by every method:
// - Thread-safe: one Store serves all server threads (the engines pool their connections).
// - Every write is one transaction: it happens completely or not at all.
// - Errors are spanloop::Error: kNotFound (a named id does not exist), kConflict (a uniqueness
//   rule: duplicate name, second response of a user on a record), kInvalidArgument (validation,
//   with a message naming the offending value, ready for a 422 body), kFailedPrecondition (a
//   state rule: settings frozen after publishing, records in a draft dataset), kUnavailable (the
//   database cannot be reached or stays locked), kInternal (anything else).
// - get_* return nullopt for an unknown id; they never throw kNotFound.
// - Ids are the 36-character UUID strings the store generates; an unknown or malformed id is
//   simply not found.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/model.h"
#include "store/search.h"

namespace spanloop::store {

// A record with its dataset and whether a user belongs to the dataset's workspace: what a
// record route needs for its permission check, read together (get_record_with_access).
struct RecordWithAccess {
  Record record;
  Dataset dataset;
  bool member = false;  // user_id is a member of dataset.workspace_id
};

// A record's dataset and whether a user belongs to the dataset's workspace, without the record
// itself: the permission check before a write on the record (get_record_dataset).
struct RecordDataset {
  std::string record_id;
  Dataset dataset;
  bool member = false;  // user_id is a member of dataset.workspace_id
};

// The caller's permission check on a record's dataset, run by a response write inside its own
// transaction (after the record is found, before anything is validated or written), so a submit
// needs no separate read for it. It throws to refuse; member: the user belongs to the dataset's
// workspace.
using RecordAccessCheck = std::function<void(const Dataset& dataset, bool member)>;

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite" or "postgresql".
  virtual std::string_view engine() const = 0;
  // The newest migration applied to the database.
  virtual int schema_version() = 0;

  // ---- workspaces (names unique) ----
  virtual Workspace create_workspace(const std::string& name) = 0;
  virtual std::optional<Workspace> get_workspace(const std::string& id) = 0;
  virtual std::optional<Workspace> get_workspace_by_name(const std::string& name) = 0;
  virtual std::vector<Workspace> list_workspaces() = 0;  // by name
  // kConflict while the workspace still has datasets.
  virtual Workspace delete_workspace(const std::string& id) = 0;

  // ---- users (usernames unique) and their API keys ----
  virtual User create_user(const UserCreate& user) = 0;
  virtual std::optional<User> get_user(const std::string& id) = 0;
  virtual std::optional<User> get_user_by_username(const std::string& username) = 0;
  virtual std::vector<User> list_users() = 0;  // by insertion
  virtual std::int64_t count_users() = 0;
  // Grows after every change of a user or API key made through this Store object (counted once
  // the change committed or failed), so callers may cache users by credential and drop what
  // they read before a change (server/user_cache.h). Changes by other processes do not count.
  virtual std::uint64_t accounts_generation() const = 0;
  virtual User update_user(const std::string& id, const UserUpdate& update) = 0;
  // Removes the user with their memberships, API keys and responses (record statuses are
  // recomputed).
  virtual User delete_user(const std::string& id) = 0;

  // key_hash is unique (kConflict on a duplicate).
  virtual ApiKey create_api_key(const std::string& user_id, const std::string& key_hash,
                                const std::string& name) = 0;
  virtual std::optional<User> find_user_by_api_key_hash(const std::string& key_hash) = 0;
  virtual std::vector<ApiKey> list_api_keys(const std::string& user_id) = 0;
  virtual ApiKey delete_api_key(const std::string& id) = 0;

  // ---- workspace memberships ----
  // kConflict when already a member.
  virtual void add_workspace_user(const std::string& workspace_id, const std::string& user_id) = 0;
  // kNotFound when not a member.
  virtual void remove_workspace_user(const std::string& workspace_id,
                                     const std::string& user_id) = 0;
  virtual std::vector<User> list_workspace_users(const std::string& workspace_id) = 0;
  virtual std::vector<Workspace> list_user_workspaces(const std::string& user_id) = 0;
  virtual bool is_workspace_member(const std::string& workspace_id, const std::string& user_id) = 0;

  // ---- datasets ----
  virtual Dataset create_dataset(const DatasetCreate& dataset) = 0;
  virtual std::optional<Dataset> get_dataset(const std::string& id) = 0;
  virtual std::vector<Dataset> list_datasets(const DatasetFilter& filter) = 0;  // by insertion
  virtual Dataset update_dataset(const std::string& id, const DatasetUpdate& update) = 0;
  // draft -> ready; needs >= 1 field and >= 1 required question (kFailedPrecondition).
  virtual Dataset publish_dataset(const std::string& id) = 0;
  // Removes the dataset with its settings, records, responses, suggestions and search index.
  virtual Dataset delete_dataset(const std::string& id) = 0;

  // ---- fields (created and deleted only while the dataset is a draft) ----
  virtual Field create_field(const std::string& dataset_id, const FieldCreate& field) = 0;
  virtual std::optional<Field> get_field(const std::string& id) = 0;
  virtual std::vector<Field> list_fields(const std::string& dataset_id) = 0;  // by insertion
  virtual Field update_field(const std::string& id, const FieldUpdate& update) = 0;
  virtual Field delete_field(const std::string& id) = 0;

  // ---- questions (created and deleted only while the dataset is a draft) ----
  virtual Question create_question(const std::string& dataset_id, const QuestionCreate& q) = 0;
  virtual std::optional<Question> get_question(const std::string& id) = 0;
  virtual std::vector<Question> list_questions(const std::string& dataset_id) = 0;
  virtual Question update_question(const std::string& id, const QuestionUpdate& update) = 0;
  virtual Question delete_question(const std::string& id) = 0;

  // ---- metadata properties ----
  virtual MetadataProperty create_metadata_property(const std::string& dataset_id,
                                                    const MetadataPropertyCreate& property) = 0;
  virtual std::optional<MetadataProperty> get_metadata_property(const std::string& id) = 0;
  virtual std::vector<MetadataProperty> list_metadata_properties(const std::string& dataset_id) = 0;
  virtual MetadataProperty update_metadata_property(const std::string& id,
                                                    const MetadataPropertyUpdate& update) = 0;
  virtual MetadataProperty delete_metadata_property(const std::string& id) = 0;
  virtual MetadataMetrics metadata_property_metrics(const std::string& id) = 0;

  // ---- vector settings ----
  virtual VectorSettings create_vector_settings(const std::string& dataset_id,
                                                const VectorSettingsCreate& settings) = 0;
  virtual std::optional<VectorSettings> get_vector_settings(const std::string& id) = 0;
  virtual std::vector<VectorSettings> list_vector_settings(const std::string& dataset_id) = 0;
  virtual VectorSettings update_vector_settings(const std::string& id,
                                                const std::string& title) = 0;
  virtual VectorSettings delete_vector_settings(const std::string& id) = 0;

  // ---- records ----
  // Creates every item or none (<= 500 per call is the API's limit; the store takes any size).
  // kFailedPrecondition for a draft dataset; kConflict when an external_id already exists or
  // repeats in the batch; kInvalidArgument "record at position N is not valid because ...".
  virtual BulkResult bulk_create_records(const std::string& dataset_id,
                                         const std::vector<RecordInput>& items) = 0;
  // Upsert semantics in model.h (RecordInput); one transaction; statuses recomputed.
  virtual BulkResult bulk_upsert_records(const std::string& dataset_id,
                                         const std::vector<RecordInput>& items) = 0;
  virtual std::optional<Record> get_record(const std::string& id,
                                           const RecordInclude& include = {}) = 0;
  // The record, its dataset and user_id's membership of the dataset's workspace in one read
  // transaction (one pool connection), instead of get_record + get_dataset +
  // is_workspace_member; nullopt for an unknown record.
  virtual std::optional<RecordWithAccess> get_record_with_access(
      const std::string& id, const std::string& user_id, const RecordInclude& include = {}) = 0;
  // The same without the record's body (one statement): for routes that only write to the
  // record (submits). nullopt for an unknown record.
  virtual std::optional<RecordDataset> get_record_dataset(const std::string& id,
                                                          const std::string& user_id) = 0;
  virtual Record update_record(const std::string& id, const RecordUpdate& update) = 0;
  virtual Record delete_record(const std::string& id) = 0;
  // Deletes those of ids that belong to the dataset; returns how many were deleted.
  virtual std::int64_t delete_records(const std::string& dataset_id,
                                      const std::vector<std::string>& ids) = 0;

  // ---- responses (one per record and user) ----
  // Each call validates the values against the questions and the record's text (span rules in
  // validation.h) and recomputes the record status in the same transaction.
  // kConflict when the user already has a response on the record. check (optional) runs as
  // described at RecordAccessCheck.
  virtual Response create_response(const std::string& record_id, const std::string& user_id,
                                   const ResponseInput& input,
                                   const RecordAccessCheck& check = {}) = 0;
  virtual Response update_response(const std::string& id, const ResponseInput& input) = 0;
  // Creates or replaces the user's response on the record (POST /me/responses/bulk items).
  virtual Response upsert_response(const std::string& record_id, const std::string& user_id,
                                   const ResponseInput& input,
                                   const RecordAccessCheck& check = {}) = 0;
  virtual Response delete_response(const std::string& id) = 0;
  virtual std::optional<Response> get_response(const std::string& id) = 0;
  virtual std::vector<Response> list_responses(const std::string& record_id) = 0;

  // ---- suggestions (one per record and question) ----
  virtual SuggestionUpsertResult upsert_suggestion(const std::string& record_id,
                                                   const SuggestionInput& input) = 0;
  virtual std::optional<Suggestion> get_suggestion(const std::string& id) = 0;
  virtual std::vector<Suggestion> list_suggestions(const std::string& record_id) = 0;
  virtual Suggestion delete_suggestion(const std::string& id) = 0;
  // Deletes those of ids that belong to the record; returns how many were deleted.
  virtual std::int64_t delete_suggestions(const std::string& record_id,
                                          const std::vector<std::string>& ids) = 0;
  virtual std::vector<QuestionAgents> suggestion_agents(const std::string& dataset_id) = 0;

  // ---- progress ----
  virtual DatasetProgress dataset_progress(const std::string& dataset_id) = 0;
  virtual std::vector<UserProgress> users_progress(const std::string& dataset_id) = 0;
  virtual UserMetrics user_metrics(const std::string& dataset_id, const std::string& user_id) = 0;

  // ---- search and export ----
  // kInvalidArgument for an unknown question, field or metadata property, a bad cursor, or a
  // filter that does not fit its scope.
  virtual SearchResult search(const SearchQuery& query) = 0;
};

struct StoreOptions {
  int pool_size = 8;  // connections kept open (readers; SQLite writes are serialized)
  std::chrono::milliseconds busy_timeout{15000};  // SQLite lock wait, PostgreSQL retry budget
  bool migrate = true;                            // apply pending migrations at open
  // SQLite: add new texts to the full-text index in a background thread, off the write path.
  // Either way a text search first indexes whatever is still pending, so results are exact.
  bool background_indexing = true;
  // Datasets up to this many records use a per-user hash order for shuffled queues (a sort of
  // the candidates); larger ones use an index-served rotation (model.h).
  std::int64_t shuffle_hash_max_records = 20000;
};

// Opens (creating if needed) and migrates a store:
//   "sqlite:///abs/path/db.sqlite" or "sqlite://rel/path.sqlite" (directories are created)
//   "postgresql://user:pass@host:port/db" or "postgres://..."; an extra "schema=NAME" query
//   parameter keeps all tables in that schema (created if missing).
// kInvalidArgument for an unknown scheme, kUnavailable when the database cannot be opened.
std::unique_ptr<Store> open_store(const std::string& url, const StoreOptions& options = {});

// The SQLite URL of the database file inside a data directory (DIR/spanloop.db); the directory
// is created by open_store.
std::string sqlite_url_for_data_dir(const std::string& data_dir);

// Pulls all records matching a query in batches, one short read per batch (cursor paging in
// the query's order), for exports that stream.
class RecordStream {
 public:
  RecordStream(Store& store, SearchQuery query, std::int64_t batch_size = 500);
  // Fills batch with the next records; false when there are no more.
  bool next(std::vector<Record>& batch);

 private:
  Store& store_;
  SearchQuery query_;
  bool done_ = false;
};

}  // namespace spanloop::store
