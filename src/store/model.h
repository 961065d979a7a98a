// The annotation data model as plain structs: what the Store reads and writes (no JSON types).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace spanloop::store {

// Microseconds since the Unix epoch, UTC.
using Timestamp = std::int64_t;
Timestamp now_timestamp();
// ISO-8601 without zone suffix, as Argilla prints it: "2024-05-01T10:11:12.123456".
std::string format_timestamp(Timestamp t);

// A time-ordered (version 7) UUID in its 36-character lowercase form; every id the store
// creates. Clients must treat ids as opaque strings.
std::string new_uuid();

// ---- enums, persisted and sent over the wire as the stable strings of to_string() ----

enum class Role { kOwner, kAdmin, kAnnotator };
enum class DatasetStatus { kDraft, kReady };
enum class RecordStatus { kPending, kCompleted };
enum class ResponseStatus { kDraft, kSubmitted, kDiscarded };
enum class QuestionType { kText, kRating, kLabelSelection, kMultiLabelSelection, kSpan };
enum class MetadataType { kTerms, kInteger, kFloat };
enum class SuggestionType { kModel, kHuman };

std::string_view to_string(Role v);            // owner | admin | annotator
std::string_view to_string(DatasetStatus v);   // draft | ready
std::string_view to_string(RecordStatus v);    // pending | completed
std::string_view to_string(ResponseStatus v);  // draft | submitted | discarded
std::string_view to_string(QuestionType v);    // text | rating | label_selection | ...
std::string_view to_string(MetadataType v);    // terms | integer | float
std::string_view to_string(SuggestionType v);  // model | human
// Parsers return nullopt for an unknown string (the caller names the field in its error).
std::optional<Role> parse_role(std::string_view s);
std::optional<DatasetStatus> parse_dataset_status(std::string_view s);
std::optional<RecordStatus> parse_record_status(std::string_view s);
std::optional<ResponseStatus> parse_response_status(std::string_view s);
std::optional<QuestionType> parse_question_type(std::string_view s);
std::optional<MetadataType> parse_metadata_type(std::string_view s);
std::optional<SuggestionType> parse_suggestion_type(std::string_view s);

// ---- free-form values (dataset metadata, record metadata) ----

// Any JSON value that is not one of the plain alternatives (objects, mixed arrays), kept as its
// serialized text. Only extra (undeclared) metadata keys can hold one.
struct RawJson {
  std::string text;
  bool operator==(const RawJson&) const = default;
};
// monostate is JSON null. Terms metadata is a string or a list of strings.
using MetadataValue = std::variant<std::monostate, bool, std::int64_t, double, std::string,
                                   std::vector<std::string>, RawJson>;
using Metadata = std::map<std::string, MetadataValue>;

// ---- workspaces, users, API keys ----

struct Workspace {
  std::string id;
  std::string name;
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
};

struct User {
  std::string id;
  std::string username;
  std::string first_name;
  std::optional<std::string> last_name;
  Role role = Role::kAnnotator;
  std::string password_hash;  // encoded Argon2id string made by the server's auth code
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
};

struct UserCreate {
  std::string username;  // ^[A-Za-z0-9][A-Za-z0-9_-]*$, 1..200, unique
  std::string first_name;
  std::optional<std::string> last_name;
  Role role = Role::kAnnotator;
  std::string password_hash;
};

struct UserUpdate {
  std::optional<std::string> username;
  std::optional<std::string> first_name;
  std::optional<std::optional<std::string>> last_name;  // set to nullopt-inside to clear
  std::optional<Role> role;
  std::optional<std::string> password_hash;
};

// An API key as stored: only a hash of the secret (the server hashes, e.g. SHA-256 hex).
struct ApiKey {
  std::string id;
  std::string user_id;
  std::string key_hash;
  std::string name;
  Timestamp inserted_at = 0;
};

// ---- datasets and their settings ----

struct Distribution {
  std::string strategy = "overlap";  // the only strategy
  std::int64_t min_submitted = 1;    // >= 1
};

struct Dataset {
  std::string id;
  std::string workspace_id;
  std::string name;
  std::optional<std::string> guidelines;
  bool allow_extra_metadata = true;
  DatasetStatus status = DatasetStatus::kDraft;
  Distribution distribution;
  Metadata metadata;
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
};

struct DatasetCreate {
  std::string workspace_id;
  std::string name;                       // 1..200, unique within the workspace
  std::optional<std::string> guidelines;  // <= 10,000 code points
  bool allow_extra_metadata = true;
  Distribution distribution;
  Metadata metadata;
};

struct DatasetUpdate {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> guidelines;
  std::optional<bool> allow_extra_metadata;
  std::optional<Distribution> distribution;  // only while the dataset has no responses
  std::optional<Metadata> metadata;
};

struct DatasetFilter {
  std::optional<std::string> workspace_id;
  std::optional<std::string> name;
  std::optional<DatasetStatus> status;
  // Only datasets in workspaces this user is a member of (for /me/datasets of non-owners).
  std::optional<std::string> member_user_id;
};

// A text field (the only field type spanloop stores).
struct Field {
  std::string id;
  std::string dataset_id;
  std::string name;
  std::string title;
  bool required = true;
  bool use_markdown = false;
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
};

struct FieldCreate {
  std::string name;   // ^(?=.*[a-z0-9])[a-z0-9_-]+$, 1..200, unique within the dataset
  std::string title;  // 1..500
  bool required = true;
  bool use_markdown = false;
};

struct FieldUpdate {
  std::optional<std::string> title;
  std::optional<bool> required;
  std::optional<bool> use_markdown;
};

// One option of a span, label or multi-label question.
struct LabelOption {
  std::string value;  // 1..200 code points, unique within the question
  std::string text;   // 1..500 code points
  std::optional<std::string> description;
  std::optional<std::string> color;  // "#rrggbb", for the UI
};

struct TextQuestionSettings {
  bool use_markdown = false;
};
struct RatingQuestionSettings {
  std::vector<std::int64_t> values;  // 2..11 distinct values in 0..10
};
struct LabelSelectionSettings {
  std::vector<LabelOption> options;
  std::optional<std::int64_t> visible_options;  // null, or >= 3 and <= options.size()
};
struct MultiLabelSelectionSettings {
  std::vector<LabelOption> options;
  std::optional<std::int64_t> visible_options;
  std::string options_order = "natural";  // natural | suggestion
};
struct SpanQuestionSettings {
  std::string field;                 // an existing text field; one span question per field
  std::vector<LabelOption> options;  // 1..500
  std::optional<std::int64_t> visible_options;
  bool allow_overlapping = false;
  // allow_character_annotation is always true and not stored.
};
using QuestionSettings =
    std::variant<TextQuestionSettings, RatingQuestionSettings, LabelSelectionSettings,
                 MultiLabelSelectionSettings, SpanQuestionSettings>;
QuestionType question_type(const QuestionSettings& settings);

struct Question {
  std::string id;
  std::string dataset_id;
  std::string name;
  std::string title;
  std::optional<std::string> description;
  bool required = true;
  QuestionSettings settings;
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
};

struct QuestionCreate {
  std::string name;                        // same pattern as field names, unique within the dataset
  std::string title;                       // 1..500
  std::optional<std::string> description;  // 1..1000
  bool required = true;
  QuestionSettings settings;
};

// Settings changes follow the reference: same type; same option values (text, description,
// colour and order may change); visible_options may change; allow_overlapping false -> true only.
struct QuestionUpdate {
  std::optional<std::string> title;
  std::optional<std::optional<std::string>> description;
  std::optional<bool> required;
  std::optional<QuestionSettings> settings;
};

struct TermsMetadataSettings {
  std::optional<std::vector<std::string>> values;  // allowed terms (<= 250), or any
};
struct IntegerMetadataSettings {
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
};
struct FloatMetadataSettings {
  std::optional<double> min;
  std::optional<double> max;
};
using MetadataSettings =
    std::variant<TermsMetadataSettings, IntegerMetadataSettings, FloatMetadataSettings>;
MetadataType metadata_type(const MetadataSettings& settings);

struct MetadataProperty {
  std::string id;
  std::string dataset_id;
  std::string name;
  std::string title;
  MetadataSettings settings;
  bool visible_for_annotators = true;
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
};

struct MetadataPropertyCreate {
  std::string name;  // 1..200, unique within the dataset
  std::string title;
  MetadataSettings settings;
  bool visible_for_annotators = true;
};

struct MetadataPropertyUpdate {
  std::optional<std::string> title;
  std::optional<bool> visible_for_annotators;
};

struct TermCount {
  std::string term;
  std::int64_t count = 0;
};
// GET /metadata-properties/{id}/metrics: terms -> values (most frequent first); numeric -> min/max.
struct MetadataMetrics {
  MetadataType type = MetadataType::kTerms;
  std::int64_t total = 0;         // records with a value for this property
  std::vector<TermCount> values;  // terms only
  std::optional<double> min;      // numeric only (integral for integer properties)
  std::optional<double> max;
};

struct VectorSettings {
  std::string id;
  std::string dataset_id;
  std::string name;
  std::string title;
  std::int64_t dimensions = 0;
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
};

struct VectorSettingsCreate {
  std::string name;  // 1..200, unique within the dataset
  std::string title;
  std::int64_t dimensions = 0;  // > 0
};

// ---- answers: response values and suggestion values ----

// One span: code point offsets into the question's field text, end exclusive.
struct SpanValue {
  std::string label;
  std::int64_t start = 0;
  std::int64_t end = 0;
  bool operator==(const SpanValue&) const = default;
};

// The value of one question. The question's type decides which alternative is valid:
//   text, label_selection -> string; rating -> int64; multi_label_selection -> vector<string>;
//   span -> vector<SpanValue>.
// An empty JSON array may arrive as either list alternative; the store accepts both for span
// and multi-label questions and normalizes to the right one.
using AnswerValue =
    std::variant<std::string, std::int64_t, std::vector<std::string>, std::vector<SpanValue>>;
using ResponseValues = std::map<std::string, AnswerValue>;  // question name -> value

struct Response {
  std::string id;
  std::string record_id;
  std::string user_id;
  ResponseStatus status = ResponseStatus::kDraft;
  ResponseValues values;
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
};

// POST /records/{id}/responses, PUT /responses/{id}: submitted needs values for every
// required question; draft and discarded may leave values empty or partial.
struct ResponseInput {
  ResponseStatus status = ResponseStatus::kDraft;
  ResponseValues values;
};

// A response carried inside a bulk record item.
struct RecordResponseInput {
  std::string user_id;
  ResponseStatus status = ResponseStatus::kSubmitted;
  ResponseValues values;
};

// A number for single values, a list (one per item) for span and multi-label values.
using SuggestionScore = std::variant<std::monostate, double, std::vector<double>>;

struct Suggestion {
  std::string id;
  std::string record_id;
  std::string question_id;
  std::string question_name;
  AnswerValue value;
  SuggestionScore score;
  std::optional<std::string> agent;
  std::optional<SuggestionType> type;
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
};

struct SuggestionInput {
  std::string question_id;  // or empty and question_name set (offline import)
  std::string question_name;
  AnswerValue value;
  SuggestionScore score;
  std::optional<std::string> agent;  // ^(?=.*[a-zA-Z0-9])[a-zA-Z0-9-_:./\s]+$, 1..200
  std::optional<SuggestionType> type;
};

struct SuggestionUpsertResult {
  Suggestion suggestion;
  bool created = false;  // 201 vs 200
};

// The agents seen per question (GET .../records/search/suggestions/options).
struct QuestionAgents {
  std::string question_id;
  std::string question_name;
  std::vector<std::string> agents;
};

// ---- records ----

using Vectors = std::map<std::string, std::vector<float>>;  // vector settings name -> values

struct Record {
  std::string id;
  std::string dataset_id;
  std::optional<std::string> external_id;
  std::map<std::string, std::string> fields;  // text field name -> text
  Metadata metadata;
  RecordStatus status = RecordStatus::kPending;
  Timestamp inserted_at = 0;
  Timestamp updated_at = 0;
  // Present only when asked for through RecordInclude.
  std::optional<std::vector<Response>> responses;
  std::optional<std::vector<Suggestion>> suggestions;
  std::optional<Vectors> vectors;
};

// A bulk item. Upsert matches an existing record by external_id first, then by id; an unmatched
// item creates a record with a new id. For a matched record, fields are left unchanged,
// metadata is replaced only when present, suggestions are upserted per question, responses per
// user and vectors per name; the record status is then recomputed.
struct RecordInput {
  std::optional<std::string> id;
  std::optional<std::string> external_id;
  std::map<std::string, std::string> fields;
  std::optional<Metadata> metadata;
  Vectors vectors;
  std::vector<SuggestionInput> suggestions;
  std::vector<RecordResponseInput> responses;
};

struct BulkResult {
  std::vector<Record> records;           // in input order, without includes
  std::vector<std::string> updated_ids;  // ids of the items that matched existing records
};

// PATCH /records/{id}: fields are not editable.
struct RecordUpdate {
  std::optional<Metadata> metadata;
  std::optional<std::vector<SuggestionInput>> suggestions;  // upserted per question
  std::optional<Vectors> vectors;                           // upserted per name
};

struct RecordInclude {
  bool responses = false;
  // When set, only this user's response is included (annotators never see others').
  std::optional<std::string> responses_user_id;
  bool suggestions = false;
  bool vectors = false;
  std::vector<std::string> vector_names;  // empty: all vectors
};

// ---- progress ----

struct DatasetProgress {
  std::int64_t total = 0;
  std::int64_t completed = 0;
  std::int64_t pending = 0;
};

struct ResponseCounts {
  std::int64_t submitted = 0;
  std::int64_t discarded = 0;
  std::int64_t draft = 0;
};

// One user's responses, split by the status of the records they answered.
struct UserProgress {
  std::string user_id;
  std::string username;
  ResponseCounts completed;  // responses on completed records
  ResponseCounts pending;    // responses on pending records
};

// /me/datasets/{id}/metrics: pending = pending records the user has not answered;
// total = submitted + discarded + draft + pending.
struct UserMetrics {
  std::int64_t total = 0;
  std::int64_t submitted = 0;
  std::int64_t discarded = 0;
  std::int64_t draft = 0;
  std::int64_t pending = 0;
};

// ---- the per-user shuffled queue order ----

// Each record gets shuffle_key(record id) when inserted. A user's shuffled order depends on the
// dataset's size (records, pending or not):
// - up to StoreOptions::shuffle_hash_max_records (20,000): records sorted by
//   shuffle_rank(shuffle_key, user), an independent permutation per user;
// - above it: a rotation of one shared order that an index can serve at any size. The shared
//   order puts records in kQueueBuckets buckets by the top bits of shuffle_key
//   (queue_bucket(key)), each bucket in insertion order; the user's rotation starts at
//   queue_start(user, first seq, last seq) of the dataset and wraps around. Two users share an
//   order only if their starts fall between the same two records, about 2 in N per pair. A batch
//   of new records lands at the end of each bucket, a few index pages, where random keys touched
//   one page per record (a 1M-record import wrote 1.6x the bytes and took 1.6x as long).
// All are FNV-1a 32-bit hashes and integer arithmetic the store computes the same way on every
// engine.
std::uint32_t shuffle_key(std::string_view record_id);
std::uint32_t user_shuffle_offset(std::string_view user_id);
// ((key * (offset | 1)) mod 2^32) XOR mix, with offset = user_shuffle_offset(user) and mix =
// FNV-1a of "mix:" + user id.
std::uint32_t shuffle_rank(std::uint32_t key, std::string_view user_id);
std::uint32_t user_shuffle_mix(std::string_view user_id);

constexpr int kQueueBucketBits = 6;
constexpr std::int64_t kQueueBuckets = std::int64_t{1} << kQueueBucketBits;
constexpr std::int64_t queue_bucket(std::uint32_t key) {
  return key >> (32 - kQueueBucketBits);
}
struct QueuePosition {
  std::int64_t bucket = 0;
  std::int64_t seq = 0;
  auto operator<=>(const QueuePosition&) const = default;
};
// The user's bucket is queue_bucket(user_shuffle_offset(user)); the rest of the offset picks the
// seq as a fraction of first_seq..last_seq (so starts spread over the records that exist).
QueuePosition queue_start(std::string_view user_id, std::int64_t first_seq, std::int64_t last_seq);

}  // namespace spanloop::store
