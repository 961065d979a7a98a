// SqlStore: the Store written once over the database layer; the engines differ only in their
// Conn and Dialect.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "store/sql/db.h"
#include "store/sql/dialect.h"
#include "store/sql/group_commit.h"
#include "store/sql/question_cache.h"
#include "store/store.h"

namespace spanloop::store::sql {

struct DatasetCtx;
struct SqlText;

class SqlStore final : public Store {
 public:
  SqlStore(Engine engine, Pool::Factory factory, const StoreOptions& options);
  ~SqlStore() override;

  std::string_view engine() const override;
  int schema_version() override;

  Workspace create_workspace(const std::string& name) override;
  std::optional<Workspace> get_workspace(const std::string& id) override;
  std::optional<Workspace> get_workspace_by_name(const std::string& name) override;
  std::vector<Workspace> list_workspaces() override;
  Workspace delete_workspace(const std::string& id) override;

  User create_user(const UserCreate& user) override;
  std::optional<User> get_user(const std::string& id) override;
  std::optional<User> get_user_by_username(const std::string& username) override;
  std::vector<User> list_users() override;
  std::int64_t count_users() override;
  std::uint64_t accounts_generation() const override { return accounts_generation_.load(); }
  User update_user(const std::string& id, const UserUpdate& update) override;
  User delete_user(const std::string& id) override;
  ApiKey create_api_key(const std::string& user_id, const std::string& key_hash,
                        const std::string& name) override;
  std::optional<User> find_user_by_api_key_hash(const std::string& key_hash) override;
  std::vector<ApiKey> list_api_keys(const std::string& user_id) override;
  ApiKey delete_api_key(const std::string& id) override;

  void add_workspace_user(const std::string& workspace_id, const std::string& user_id) override;
  void remove_workspace_user(const std::string& workspace_id, const std::string& user_id) override;
  std::vector<User> list_workspace_users(const std::string& workspace_id) override;
  std::vector<Workspace> list_user_workspaces(const std::string& user_id) override;
  bool is_workspace_member(const std::string& workspace_id, const std::string& user_id) override;

  Dataset create_dataset(const DatasetCreate& dataset) override;
  std::optional<Dataset> get_dataset(const std::string& id) override;
  std::vector<Dataset> list_datasets(const DatasetFilter& filter) override;
  Dataset update_dataset(const std::string& id, const DatasetUpdate& update) override;
  Dataset publish_dataset(const std::string& id) override;
  Dataset delete_dataset(const std::string& id) override;

  Field create_field(const std::string& dataset_id, const FieldCreate& field) override;
  std::optional<Field> get_field(const std::string& id) override;
  std::vector<Field> list_fields(const std::string& dataset_id) override;
  Field update_field(const std::string& id, const FieldUpdate& update) override;
  Field delete_field(const std::string& id) override;

  Question create_question(const std::string& dataset_id, const QuestionCreate& q) override;
  std::optional<Question> get_question(const std::string& id) override;
  std::vector<Question> list_questions(const std::string& dataset_id) override;
  Question update_question(const std::string& id, const QuestionUpdate& update) override;
  Question delete_question(const std::string& id) override;

  MetadataProperty create_metadata_property(const std::string& dataset_id,
                                            const MetadataPropertyCreate& property) override;
  std::optional<MetadataProperty> get_metadata_property(const std::string& id) override;
  std::vector<MetadataProperty> list_metadata_properties(const std::string& dataset_id) override;
  MetadataProperty update_metadata_property(const std::string& id,
                                            const MetadataPropertyUpdate& update) override;
  MetadataProperty delete_metadata_property(const std::string& id) override;
  MetadataMetrics metadata_property_metrics(const std::string& id) override;

  VectorSettings create_vector_settings(const std::string& dataset_id,
                                        const VectorSettingsCreate& settings) override;
  std::optional<VectorSettings> get_vector_settings(const std::string& id) override;
  std::vector<VectorSettings> list_vector_settings(const std::string& dataset_id) override;
  VectorSettings update_vector_settings(const std::string& id, const std::string& title) override;
  VectorSettings delete_vector_settings(const std::string& id) override;

  BulkResult bulk_create_records(const std::string& dataset_id,
                                 const std::vector<RecordInput>& items) override;
  BulkResult bulk_upsert_records(const std::string& dataset_id,
                                 const std::vector<RecordInput>& items) override;
  std::optional<Record> get_record(const std::string& id, const RecordInclude& include) override;
  std::optional<RecordWithAccess> get_record_with_access(const std::string& id,
                                                         const std::string& user_id,
                                                         const RecordInclude& include) override;
  std::optional<RecordDataset> get_record_dataset(const std::string& id,
                                                  const std::string& user_id) override;
  Record update_record(const std::string& id, const RecordUpdate& update) override;
  Record delete_record(const std::string& id) override;
  std::int64_t delete_records(const std::string& dataset_id,
                              const std::vector<std::string>& ids) override;

  Response create_response(const std::string& record_id, const std::string& user_id,
                           const ResponseInput& input, const RecordAccessCheck& check) override;
  Response update_response(const std::string& id, const ResponseInput& input) override;
  Response upsert_response(const std::string& record_id, const std::string& user_id,
                           const ResponseInput& input, const RecordAccessCheck& check) override;
  Response delete_response(const std::string& id) override;
  std::optional<Response> get_response(const std::string& id) override;
  std::vector<Response> list_responses(const std::string& record_id) override;

  SuggestionUpsertResult upsert_suggestion(const std::string& record_id,
                                           const SuggestionInput& input) override;
  std::optional<Suggestion> get_suggestion(const std::string& id) override;
  std::vector<Suggestion> list_suggestions(const std::string& record_id) override;
  Suggestion delete_suggestion(const std::string& id) override;
  std::int64_t delete_suggestions(const std::string& record_id,
                                  const std::vector<std::string>& ids) override;
  std::vector<QuestionAgents> suggestion_agents(const std::string& dataset_id) override;

  DatasetProgress dataset_progress(const std::string& dataset_id) override;
  std::vector<UserProgress> users_progress(const std::string& dataset_id) override;
  UserMetrics user_metrics(const std::string& dataset_id, const std::string& user_id) override;

  SearchResult search(const SearchQuery& query) override;

 private:
  // Runs f(conn) on a pooled connection; "busy" becomes Unavailable, and a connection that
  // failed as unavailable is dropped instead of going back to the pool.
  template <typename F>
  auto on_connection(F&& f);
  // Runs f(conn) in a read transaction.
  template <typename F>
  auto read(F&& f);
  // Runs f(conn), which issues exactly one statement: on PostgreSQL without a transaction (a
  // statement is atomic and sees one snapshot by itself; saves BEGIN and COMMIT round trips).
  template <typename F>
  auto read_statement(F&& f);
  // Runs f(conn) in a write transaction, retrying on lock timeouts and serialization failures
  // until the busy budget is spent.
  template <typename F>
  auto write(F&& f);

  // A response change for one record, with validation, terms and status recompute.
  Response put_response(Conn& c, const std::string& record_id, const std::string& user_id,
                        ResponseInput input, bool must_be_new, const std::string* response_id,
                        const RecordAccessCheck& check);
  // The dataset's questions at revision rev (datasets.questions_rev), cached between writes.
  std::vector<Question> cached_questions(Conn& c, std::int64_t dataset_seq,
                                         const std::string& dataset_id, std::int64_t rev);
  std::int64_t count(Conn& c, const SearchQuery& q, const DatasetCtx& ctx, const SqlText& where,
                     const std::optional<SqlText>& text_only);
  BulkResult bulk_write(const std::string& dataset_id, const std::vector<RecordInput>& items,
                        bool upsert);

  // SQLite full-text indexing (sqlite/fts_indexer.h): wakes the background indexer after
  // writes that added texts; fts_catch_up() indexes everything pending before a text search.
  void fts_notify(std::int64_t queued);
  void fts_catch_up();
  void fts_indexer_loop();

  Engine engine_;
  Dialect dialect_;
  Pool pool_;
  std::chrono::milliseconds busy_budget_;
  GroupCommitter committer_;  // SQLite writes (one writer at a time, committed in groups)
  std::int64_t shuffle_hash_max_records_;
  QuestionCache question_cache_;  // per dataset, for response writes

  static constexpr std::chrono::milliseconds kIndexerQuiet{50};
  static constexpr std::int64_t kIndexerMaxBacklog = 50000;
  // WAL size (4 KiB frames, 64 MiB) above which the group commit leader finishes a checkpoint.
  static constexpr std::int64_t kWalRestartFrames = 16384;
  std::atomic<std::uint64_t> accounts_generation_{0};
  std::atomic<std::int64_t> last_write_ns_{0};  // steady clock of the last bulk write
  std::atomic<std::int64_t> queued_texts_{0};   // texts this process queued, not yet indexed
  std::mutex fts_mu_;
  std::condition_variable fts_cv_;
  bool fts_dirty_ = false;
  bool fts_stop_ = false;
  bool background_indexing_ = true;
  std::thread fts_thread_;  // SQLite: full-text indexing and WAL checkpoints
};

}  // namespace spanloop::store::sql
