// SqlStore: responses (with record status recompute), suggestions and progress counts.
#include <fmt/format.h>

#include "store/sql/codec.h"
#include "store/sql/sql_store_txn.h"
#include "store/sql/store_internal.h"
#include "store/validation.h"

namespace spanloop::store::sql {

namespace {

struct LockedRecord {
  std::int64_t seq = 0;
  std::int64_t dataset_seq = 0;
};

// Reads (and on PostgreSQL row-locks) a record, so concurrent response changes on the same
// record run one after another and each recompute sees the others' committed responses.
LockedRecord lock_record(Conn& c, const Dialect& d, const std::string& record_id) {
  Rows r =
      c.query("SELECT seq, dataset_seq FROM records WHERE id = ?" + std::string(d.for_update()),
              {record_id});
  if (!r.next()) throw_not_found("Record", record_id);
  LockedRecord out{r.i64(0), r.i64(1)};
  while (r.next()) {
  }
  return out;
}

bool touches_span(const ResponseValues& values, const DatasetCtx& ctx) {
  for (const auto& [name, v] : values)
    if (ctx.type_of(name) == QuestionType::kSpan) return true;
  return false;
}

struct ResponseRef {
  std::string record_id;
  std::string user_id;
};

std::optional<ResponseRef> find_response(Conn& c, const std::string& id) {
  Rows r = c.query(
      "SELECT r.id, x.user_id FROM responses x JOIN records r ON r.seq = x.record_seq WHERE x.id = "
      "?",
      {id});
  if (!r.next()) return std::nullopt;
  ResponseRef ref{r.text(0), r.text(1)};
  while (r.next()) {
  }
  return ref;
}

}  // namespace

namespace {

// What a response change needs to know before writing (dataset, user, workspace membership, the
// user's response, the record's texts), read in one statement that also row-locks the record on
// PostgreSQL (FOR UPDATE OF r), so concurrent response changes on the same record run one after
// another and each recompute sees the others' committed responses.
struct ResponseTarget {
  std::int64_t record_seq = 0;
  std::int64_t dataset_seq = 0;
  Dataset dataset;
  std::int64_t questions_rev = 0;  // datasets.questions_rev (QuestionCache)
  bool user_exists = false;
  bool member = false;                     // the user belongs to the dataset's workspace
  bool was_completed = false;              // the record's status (current: read with its row lock)
  std::optional<std::string> response_id;  // the user's existing response on the record
  Timestamp response_inserted_at = 0;
  std::map<std::string, std::string> texts;  // the record's text fields (span validation)
};

ResponseTarget lock_response_target(Conn& c, const Dialect& d, const std::string& record_id,
                                    const std::string& user_id) {
  Rows r = c.query(
      "SELECT " + std::string(kDatasetCols) +
          ", r.seq, CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.id = ?) THEN 1 ELSE 0 END, "
          "CASE WHEN EXISTS (SELECT 1 FROM workspace_users m WHERE m.workspace_id = "
          "d.workspace_id AND m.user_id = ?) THEN 1 ELSE 0 END, d.questions_rev, r.status, x.id, "
          "x.inserted_at, t.field, t.body FROM records r JOIN datasets d ON d.seq = r.dataset_seq "
          "LEFT JOIN responses x ON x.record_seq = r.seq AND x.user_id = ? LEFT JOIN record_texts "
          "t ON t.record_seq = r.seq WHERE r.id = ?" +
          std::string(d.postgres() ? " FOR UPDATE OF r" : ""),
      {user_id, user_id, user_id, record_id});
  if (!r.next()) throw_not_found("Record", record_id);
  ResponseTarget out;
  out.dataset = read_dataset(r, &out.dataset_seq);
  out.record_seq = r.i64(12);
  out.user_exists = r.boolean(13);
  out.member = r.boolean(14);
  out.questions_rev = r.i64(15);
  out.was_completed = r.text(16) == to_string(RecordStatus::kCompleted);
  if (!r.is_null(17)) {
    out.response_id = r.text(17);
    out.response_inserted_at = r.i64(18);
  }
  do {  // one row per text field
    if (!r.is_null(19)) out.texts.emplace(r.text(19), r.text(20));
  } while (r.next());
  return out;
}

}  // namespace

std::vector<Question> SqlStore::cached_questions(Conn& c, std::int64_t dataset_seq,
                                                 const std::string& dataset_id, std::int64_t rev) {
  if (auto hit = question_cache_.find(dataset_seq, dataset_id, rev)) return *hit;
  // Read after rev (a later statement): never older than rev, so a hit never returns questions
  // older than a fresh read would.
  auto questions = std::make_shared<const std::vector<Question>>(questions_of(c, dataset_seq));
  question_cache_.put(dataset_seq, dataset_id, rev, questions);
  return *questions;
}

Response SqlStore::put_response(Conn& c, const std::string& record_id, const std::string& user_id,
                                ResponseInput input, bool must_be_new,
                                const std::string* response_id, const RecordAccessCheck& check) {
  ResponseTarget target = lock_response_target(c, dialect_, record_id, user_id);
  if (check) check(target.dataset, target.member);
  if (!target.user_exists) throw_not_found("User", user_id);
  DatasetCtx ctx;
  ctx.seq = target.dataset_seq;
  ctx.dataset = std::move(target.dataset);
  ctx.questions = cached_questions(c, ctx.seq, ctx.dataset.id, target.questions_rev);
  const auto fields = touches_span(input.values, ctx) ? std::move(target.texts)
                                                      : std::map<std::string, std::string>{};
  validate_response(input, ctx.questions, fields);

  Response out;
  out.record_id = record_id;
  out.user_id = user_id;
  out.status = input.status;
  out.values = std::move(input.values);
  out.updated_at = now_timestamp();
  const bool exists = target.response_id.has_value();
  if (exists) {
    out.id = *target.response_id;
    out.inserted_at = target.response_inserted_at;
  }
  if (exists && must_be_new)
    throw Error(
        ErrorKind::kConflict,
        fmt::format("Response already exists for record with id `{}` and by user with id `{}`",
                    record_id, user_id));
  if (response_id && (!exists || out.id != *response_id)) throw_not_found("Response", *response_id);
  const std::string vals = encode_response_values(out.values);
  const std::string status(to_string(out.status));
  // The writes are deferred: on PostgreSQL they reach the server together with the status
  // recompute and the counters' update below, and the COMMIT (one round trip for all).
  if (exists) {
    c.execute_deferred("UPDATE responses SET status = ?, vals = ?, updated_at = ? WHERE id = ?",
                       {status, vals, out.updated_at, out.id});
  } else {
    out.id = new_uuid();
    out.inserted_at = out.updated_at;
    c.execute_deferred(
        "INSERT INTO responses (id, record_seq, dataset_seq, user_id, status, vals, inserted_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {out.id, target.record_seq, target.dataset_seq, user_id, status, vals, out.inserted_at,
         out.updated_at});
  }
  index_response_terms(c, target.record_seq, user_id, out.values, ctx, exists);
  recompute_status_deferred(c, dialect_, ctx, target.record_seq, target.was_completed,
                            out.updated_at);
  return out;
}

Response SqlStore::create_response(const std::string& record_id, const std::string& user_id,
                                   const ResponseInput& input, const RecordAccessCheck& check) {
  return write(
      [&](Conn& c) { return put_response(c, record_id, user_id, input, true, nullptr, check); });
}

Response SqlStore::upsert_response(const std::string& record_id, const std::string& user_id,
                                   const ResponseInput& input, const RecordAccessCheck& check) {
  return write(
      [&](Conn& c) { return put_response(c, record_id, user_id, input, false, nullptr, check); });
}

Response SqlStore::update_response(const std::string& id, const ResponseInput& input) {
  return write([&](Conn& c) {
    auto ref = find_response(c, id);
    if (!ref) throw_not_found("Response", id);
    return put_response(c, ref->record_id, ref->user_id, input, false, &id, {});
  });
}

Response SqlStore::delete_response(const std::string& id) {
  return write([&](Conn& c) {
    auto ref = find_response(c, id);
    if (!ref) throw_not_found("Response", id);
    const LockedRecord rec = lock_record(c, dialect_, ref->record_id);
    const DatasetCtx ctx = dataset_questions_ctx(c, rec.dataset_seq);
    Rows r =
        c.query("SELECT " + std::string(kResponseCols) + " FROM responses x WHERE x.id = ?", {id});
    if (!r.next()) throw_not_found("Response", id);
    Response out = read_response(r, 0, ref->record_id, ctx);
    while (r.next()) {
    }
    c.execute("DELETE FROM responses WHERE id = ?", {id});
    c.execute("DELETE FROM response_terms WHERE record_seq = ? AND user_id = ?",
              {rec.seq, out.user_id});
    StatsDelta stats(dialect_);
    recompute_statuses(c, dialect_, ctx, {rec.seq}, now_timestamp(), stats);
    stats.flush(c, rec.dataset_seq);
    return out;
  });
}

std::optional<Response> SqlStore::get_response(const std::string& id) {
  return read([&](Conn& c) -> std::optional<Response> {
    auto ref = find_response(c, id);
    if (!ref) return std::nullopt;
    Rows r = c.query("SELECT r.dataset_seq, " + std::string(kResponseCols) +
                         " FROM responses x JOIN records r ON r.seq = x.record_seq WHERE x.id = ?",
                     {id});
    if (!r.next()) return std::nullopt;
    const DatasetCtx ctx = dataset_questions_ctx(c, r.i64(0));
    Response out = read_response(r, 1, ref->record_id, ctx);
    while (r.next()) {
    }
    return out;
  });
}

std::vector<Response> SqlStore::list_responses(const std::string& record_id) {
  return read([&](Conn& c) {
    Rows ref = c.query("SELECT seq, dataset_seq FROM records WHERE id = ?", {record_id});
    if (!ref.next()) throw_not_found("Record", record_id);
    const std::int64_t seq = ref.i64(0);
    const DatasetCtx ctx = dataset_questions_ctx(c, ref.i64(1));
    while (ref.next()) {
    }
    std::vector<Response> out;
    Rows r = c.query("SELECT " + std::string(kResponseCols) +
                         " FROM responses x WHERE x.record_seq = ? ORDER BY x.inserted_at, x.id",
                     {seq});
    while (r.next()) out.push_back(read_response(r, 0, record_id, ctx));
    return out;
  });
}

SuggestionUpsertResult SqlStore::upsert_suggestion(const std::string& record_id,
                                                   const SuggestionInput& input) {
  return write([&](Conn& c) {
    Rows ref = c.query("SELECT seq, dataset_seq FROM records WHERE id = ?", {record_id});
    if (!ref.next()) throw_not_found("Record", record_id);
    const std::int64_t seq = ref.i64(0), dataset_seq = ref.i64(1);
    while (ref.next()) {
    }
    const DatasetCtx ctx = dataset_questions_ctx(c, dataset_seq);
    const Question* q = input.question_id.empty() ? ctx.question_by_name(input.question_name)
                                                  : ctx.question_by_id(input.question_id);
    if (!q)
      throw_invalid(
          fmt::format("question with question_id={} does not exist",
                      input.question_id.empty() ? input.question_name : input.question_id));
    SuggestionInput checked = input;
    const auto fields = question_type(q->settings) == QuestionType::kSpan
                            ? record_texts(c, seq)
                            : std::map<std::string, std::string>{};
    validate_suggestion(checked, *q, fields);
    return write_suggestion(c, dataset_seq, seq, record_id, *q, checked, now_timestamp());
  });
}

namespace {
std::optional<Suggestion> suggestion_where(Conn& c, const std::string& id) {
  Rows r = c.query(
      "SELECT rec.id, " + std::string(kSuggestionCols) +
          " FROM suggestions s JOIN questions q ON q.id = s.question_id JOIN records rec ON "
          "rec.seq = s.record_seq WHERE s.id = ?",
      {id});
  if (!r.next()) return std::nullopt;
  Suggestion s = read_suggestion(r, 1, r.text(0));
  while (r.next()) {
  }
  return s;
}
}  // namespace

std::optional<Suggestion> SqlStore::get_suggestion(const std::string& id) {
  return read([&](Conn& c) { return suggestion_where(c, id); });
}

std::vector<Suggestion> SqlStore::list_suggestions(const std::string& record_id) {
  return read([&](Conn& c) {
    auto seq = c.query_i64("SELECT seq FROM records WHERE id = ?", {record_id});
    if (!seq) throw_not_found("Record", record_id);
    std::vector<Suggestion> out;
    Rows r = c.query(
        "SELECT " + std::string(kSuggestionCols) +
            " FROM suggestions s JOIN questions q ON q.id = s.question_id WHERE s.record_seq "
            "= ? ORDER BY q.inserted_at, q.id",
        {*seq});
    while (r.next()) out.push_back(read_suggestion(r, 0, record_id));
    return out;
  });
}

Suggestion SqlStore::delete_suggestion(const std::string& id) {
  return write([&](Conn& c) {
    auto s = suggestion_where(c, id);
    if (!s) throw_not_found("Suggestion", id);
    c.execute(
        "DELETE FROM suggestion_terms WHERE record_seq = (SELECT record_seq FROM suggestions WHERE "
        "id = ?) "
        "AND question_id = ?",
        {id, s->question_id});
    c.execute("DELETE FROM suggestions WHERE id = ?", {id});
    return *s;
  });
}

std::int64_t SqlStore::delete_suggestions(const std::string& record_id,
                                          const std::vector<std::string>& ids) {
  return write([&](Conn& c) {
    auto seq = c.query_i64("SELECT seq FROM records WHERE id = ?", {record_id});
    if (!seq) throw_not_found("Record", record_id);
    if (ids.empty()) return std::int64_t{0};
    const Param list = dialect_.text_list(ids);
    c.execute(
        "DELETE FROM suggestion_terms WHERE record_seq = ? AND question_id IN (SELECT question_id "
        "FROM "
        "suggestions WHERE record_seq = ? AND " +
            dialect_.in_texts("id") + ")",
        {*seq, *seq, list});
    return c.execute("DELETE FROM suggestions WHERE record_seq = ? AND " + dialect_.in_texts("id"),
                     {*seq, list});
  });
}

std::vector<QuestionAgents> SqlStore::suggestion_agents(const std::string& dataset_id) {
  return read([&](Conn& c) {
    const auto seq = require_dataset(c, dataset_id).first;
    std::vector<QuestionAgents> out;
    for (const auto& q : questions_of(c, seq)) {
      QuestionAgents qa{q.id, q.name, {}};
      Rows r = c.query(
          "SELECT DISTINCT agent FROM suggestions WHERE question_id = ? AND agent IS NOT "
          "NULL ORDER BY agent",
          {q.id});
      while (r.next()) qa.agents.push_back(r.text(0));
      if (!qa.agents.empty()) out.push_back(std::move(qa));
    }
    return out;
  });
}

DatasetProgress SqlStore::dataset_progress(const std::string& dataset_id) {
  return read([&](Conn& c) {
    const auto seq = require_dataset(c, dataset_id).first;
    DatasetProgress p;
    Rows r = c.query(
        "SELECT COALESCE(SUM(records), 0), COALESCE(SUM(completed), 0) FROM dataset_stats "
        "WHERE dataset_seq = ?",
        {seq});
    if (r.next()) {
      p.total = r.i64(0);
      p.completed = r.i64(1);
    }
    p.pending = p.total - p.completed;
    return p;
  });
}

namespace {
void count_into(ResponseCounts& counts, const std::string& status, std::int64_t n) {
  if (status == "submitted") counts.submitted += n;
  if (status == "discarded") counts.discarded += n;
  if (status == "draft") counts.draft += n;
}
}  // namespace

std::vector<UserProgress> SqlStore::users_progress(const std::string& dataset_id) {
  return read([&](Conn& c) {
    const auto seq = require_dataset(c, dataset_id).first;
    std::vector<UserProgress> out;
    Rows r = c.query(
        "SELECT x.user_id, u.username, r.status, x.status, COUNT(*) FROM responses x JOIN "
        "records r ON r.seq = x.record_seq JOIN users u ON u.id = x.user_id WHERE "
        "x.dataset_seq = ? GROUP BY x.user_id, u.username, r.status, x.status ORDER BY "
        "u.username",
        {seq});
    while (r.next()) {
      const std::string user_id = r.text(0);
      if (out.empty() || out.back().user_id != user_id)
        out.push_back(UserProgress{user_id, r.text(1), {}, {}});
      count_into(r.text(2) == "completed" ? out.back().completed : out.back().pending, r.text(3),
                 r.i64(4));
    }
    return out;
  });
}

UserMetrics SqlStore::user_metrics(const std::string& dataset_id, const std::string& user_id) {
  return read([&](Conn& c) {
    const auto seq = require_dataset(c, dataset_id).first;
    UserMetrics m;
    ResponseCounts counts;
    {
      Rows r = c.query(
          "SELECT status, COUNT(*) FROM responses WHERE dataset_seq = ? AND user_id = ? "
          "GROUP BY status",
          {seq, user_id});
      while (r.next()) count_into(counts, r.text(0), r.i64(1));
    }
    const std::int64_t pending_records = c.query_i64(
                                              "SELECT COALESCE(SUM(records - completed), 0) FROM "
                                              "dataset_stats WHERE dataset_seq = ?",
                                              {seq})
                                             .value_or(0);
    const std::int64_t answered_pending =
        c.query_i64(
             "SELECT COUNT(*) FROM responses x JOIN records r ON r.seq = x.record_seq WHERE "
             "x.dataset_seq = ? AND x.user_id = ? AND r.status = 'pending'",
             {seq, user_id})
            .value_or(0);
    m.submitted = counts.submitted;
    m.discarded = counts.discarded;
    m.draft = counts.draft;
    m.pending = pending_records - answered_pending;
    m.total = m.submitted + m.discarded + m.draft + m.pending;
    return m;
  });
}

}  // namespace spanloop::store::sql
