// SqlStore: records (bulk create and upsert, read, update, delete).
#include <fmt/format.h>

#include <set>
#include <unordered_map>

#include "store/sql/codec.h"
#include "store/sql/sql_store_txn.h"
#include "store/sql/store_internal.h"
#include "store/sql/text_index.h"
#include "store/validation.h"

namespace spanloop::store::sql {

namespace {

struct ExistingRecord {
  std::int64_t seq = 0;
  std::string id;
  std::optional<std::string> external_id;
};

// What a bulk item turns into once matched and validated.
struct Planned {
  std::int64_t seq = 0;
  std::string id;
  bool existing = false;
  std::map<std::string, std::string> fields;  // for span validation (existing: loaded)
  std::vector<std::pair<const Question*, SuggestionInput>> suggestions;
  std::vector<RecordResponseInput> responses;
};

[[noreturn]] void item_invalid(std::size_t idx, const std::string& why) {
  throw Error(ErrorKind::kInvalidArgument,
              fmt::format("record at position {} is not valid because {}", idx, why));
}

bool needs_texts(const RecordInput& in, const DatasetCtx& ctx) {
  auto span_question = [&](const std::string& name) {
    const Question* q = ctx.question_by_name(name);
    return q && question_type(q->settings) == QuestionType::kSpan;
  };
  for (const auto& s : in.suggestions) {
    const Question* q = s.question_id.empty() ? ctx.question_by_name(s.question_name)
                                              : ctx.question_by_id(s.question_id);
    if (q && question_type(q->settings) == QuestionType::kSpan) return true;
  }
  for (const auto& r : in.responses)
    for (const auto& [name, v] : r.values)
      if (span_question(name)) return true;
  return false;
}

std::map<std::int64_t, ExistingRecord> find_existing(Conn& c, const Dialect& d,
                                                     std::int64_t dataset_seq,
                                                     std::string_view column,
                                                     const std::vector<std::string>& values) {
  std::map<std::int64_t, ExistingRecord> out;
  if (values.empty()) return out;
  // external_id is unique per dataset (one index on both); id is unique everywhere, so that
  // lookup uses the id index alone and the dataset is checked here.
  const bool by_id = column == "id";
  if (d.postgres()) {
    // One index probe per key: the `LIMIT 1` keeps the subquery a parameterized scan of the
    // unique index. As `= ANY(keys)` PostgreSQL, without statistics on a table being filled,
    // scanned all the dataset's records for every batch (imports slowed as the table grew).
    // The generic plan cached per connection (pg_conn.cpp) is made the first time this runs,
    // often while `records` is empty (a sequential scan); a custom plan sees the current size.
    // Both SETs travel with the neighbouring statements (no round trip of their own).
    c.execute_deferred("SET LOCAL plan_cache_mode = force_custom_plan");
    Rows r = c.query(
        "SELECT r.seq, r.id, r.external_id, r.dataset_seq FROM unnest(?::text[]) AS k(v) CROSS "
        "JOIN LATERAL (SELECT seq, id, external_id, dataset_seq FROM records WHERE " +
            std::string(by_id ? "" : "dataset_seq = ? AND ") + std::string(column) +
            " = k.v LIMIT 1) r",
        by_id ? Params{d.text_list(values)} : Params{d.text_list(values), dataset_seq});
    c.execute_deferred("SET LOCAL plan_cache_mode = force_generic_plan");
    while (r.next())
      if (r.i64(3) == dataset_seq)
        out.emplace(r.i64(0), ExistingRecord{r.i64(0), r.text(1), r.opt_text(2)});
    return out;
  }
  Rows r = c.query("SELECT seq, id, external_id, dataset_seq FROM records WHERE " +
                       (by_id ? std::string() : std::string("dataset_seq = ? AND ")) +
                       d.in_texts(column),
                   by_id ? Params{d.text_list(values)} : Params{dataset_seq, d.text_list(values)});
  while (r.next())
    if (r.i64(3) == dataset_seq)
      out.emplace(r.i64(0), ExistingRecord{r.i64(0), r.text(1), r.opt_text(2)});
  return out;
}

}  // namespace

BulkResult SqlStore::bulk_create_records(const std::string& dataset_id,
                                         const std::vector<RecordInput>& items) {
  BulkResult r = bulk_write(dataset_id, items, false);
  fts_notify(static_cast<std::int64_t>(r.records.size() - r.updated_ids.size()));
  return r;
}

BulkResult SqlStore::bulk_upsert_records(const std::string& dataset_id,
                                         const std::vector<RecordInput>& items) {
  BulkResult r = bulk_write(dataset_id, items, true);
  fts_notify(static_cast<std::int64_t>(r.records.size() - r.updated_ids.size()));
  return r;
}

BulkResult SqlStore::bulk_write(const std::string& dataset_id,
                                const std::vector<RecordInput>& items, bool upsert) {
  return write([&](Conn& c) {
    BulkResult result;
    const DatasetCtx ctx = load_ctx(c, dataset_id);
    if (ctx.dataset.status != DatasetStatus::kReady)
      throw Error(ErrorKind::kFailedPrecondition,
                  upsert ? "records cannot be created or updated for a non published dataset"
                         : "records cannot be created for a non published dataset");
    if (items.empty()) return result;

    // Match items to existing records: external_id first, then id.
    std::unordered_map<std::string, std::size_t> first_ext;
    std::vector<std::string> ext_ids, ids;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& ext = items[i].external_id;
      if (!ext) continue;
      auto [it, fresh] = first_ext.emplace(*ext, i);
      if (!fresh)
        item_invalid(
            i, fmt::format("its external_id `{}` repeats the one of the record at position {}",
                           *ext, it->second));
      ext_ids.push_back(*ext);
    }
    std::unordered_map<std::string, ExistingRecord> by_ext, by_id;
    for (auto& [seq, e] : find_existing(c, dialect_, ctx.seq, "external_id", ext_ids))
      by_ext.emplace(*e.external_id, e);
    if (!upsert && !by_ext.empty()) {
      std::vector<std::string> found;
      for (const auto& e : ext_ids)
        if (by_ext.count(e)) found.push_back(e);
      throw Error(ErrorKind::kConflict,
                  fmt::format("found records with same external ids: {}", fmt::join(found, ", ")));
    }
    if (upsert) {
      for (const auto& in : items)
        if (in.id && !(in.external_id && by_ext.count(*in.external_id))) ids.push_back(*in.id);
      for (auto& [seq, e] : find_existing(c, dialect_, ctx.seq, "id", ids)) by_id.emplace(e.id, e);
    }

    // Known users for responses carried in the items.
    std::set<std::string> user_ids;
    for (const auto& in : items)
      for (const auto& r : in.responses) user_ids.insert(r.user_id);
    std::set<std::string> known_users;
    if (!user_ids.empty()) {
      Rows r = c.query("SELECT id FROM users WHERE " + dialect_.in_texts("id"),
                       {dialect_.text_list({user_ids.begin(), user_ids.end()})});
      while (r.next()) known_users.insert(r.text(0));
    }

    // Plan and validate every item before writing anything.
    std::vector<Planned> plan(items.size());
    std::set<std::int64_t> matched;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const RecordInput& in = items[i];
      Planned& p = plan[i];
      const ExistingRecord* e = nullptr;
      if (in.external_id && by_ext.count(*in.external_id))
        e = &by_ext.at(*in.external_id);
      else if (upsert && in.id && by_id.count(*in.id))
        e = &by_id.at(*in.id);
      try {
        if (e) {
          if (!matched.insert(e->seq).second)
            throw Error(
                ErrorKind::kInvalidArgument,
                fmt::format("it matches record `{}`, which an earlier item also matches", e->id));
          p.existing = true;
          p.seq = e->seq;
          p.id = e->id;
          if (needs_texts(in, ctx)) p.fields = record_texts(c, e->seq);
        } else {
          p.id = new_uuid();
          validate_record_fields(in.fields, ctx.fields);
          p.fields = in.fields;
        }
        if (in.metadata)
          validate_record_metadata(*in.metadata, ctx.properties, ctx.dataset.allow_extra_metadata,
                                   ctx.dataset.id);
        validate_vectors(in.vectors, ctx.vectors, ctx.dataset.id);
        std::set<std::string> suggested;
        for (const auto& s : in.suggestions) {
          const Question* q = s.question_id.empty() ? ctx.question_by_name(s.question_name)
                                                    : ctx.question_by_id(s.question_id);
          if (!q)
            throw Error(
                ErrorKind::kInvalidArgument,
                s.question_id.empty()
                    ? fmt::format("question with name={} does not exist", s.question_name)
                    : fmt::format("question with question_id={} does not exist", s.question_id));
          if (!suggested.insert(q->id).second)
            throw Error(ErrorKind::kInvalidArgument, "found duplicate suggestions question IDs");
          SuggestionInput checked = s;
          try {
            validate_suggestion(checked, *q, p.fields);
          } catch (const Error& err) {
            throw Error(err.kind(), fmt::format("suggestion for question name={} is not valid: {}",
                                                q->name, err.what()));
          }
          p.suggestions.emplace_back(q, std::move(checked));
        }
        std::set<std::string> responders;
        for (const auto& r : in.responses) {
          if (!known_users.count(r.user_id))
            throw Error(ErrorKind::kInvalidArgument,
                        fmt::format("user with id {} not found", r.user_id));
          if (!responders.insert(r.user_id).second)
            throw Error(ErrorKind::kInvalidArgument,
                        fmt::format("it has more than one response of user with id {}", r.user_id));
          ResponseInput checked{r.status, r.values};
          validate_response(checked, ctx.questions, p.fields);
          p.responses.push_back(
              RecordResponseInput{r.user_id, checked.status, std::move(checked.values)});
        }
      } catch (const Error& err) {
        if (err.kind() != ErrorKind::kInvalidArgument) throw;
        item_invalid(i, err.what());
      }
    }

    // Write.
    const Timestamp now = now_timestamp();
    StatsDelta stats(dialect_);
    std::size_t new_count = 0;
    for (const auto& p : plan) new_count += p.existing ? 0 : 1;
    const auto seqs = dialect_.allocate_ids(c, "records", "seq", new_count);
    std::vector<Params> record_rows, text_rows, queue_rows;
    std::size_t next_seq = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      Planned& p = plan[i];
      const RecordInput& in = items[i];
      if (p.existing) continue;
      p.seq = seqs[next_seq++];
      record_rows.push_back(
          {p.seq, p.id, ctx.seq, in.external_id ? Param(*in.external_id) : Param(nullptr),
           encode_metadata(in.metadata ? *in.metadata : Metadata{}), std::string("pending"),
           static_cast<std::int64_t>(shuffle_key(p.id)), now, now});
      for (const auto& [field, body] : in.fields) {
        const auto pos = std::find_if(ctx.fields.begin(), ctx.fields.end(),
                                      [&](const Field& f) { return f.name == field; }) -
                         ctx.fields.begin();
        const std::int64_t id = text_id(ctx.seq, p.seq, pos);
        text_rows.push_back(dialect_.insert_text_params(id, p.seq, field, body));
        if (!dialect_.queue_text_sql().empty()) queue_rows.push_back({id});
      }
      stats.add(p.seq, 1, 0);
    }
    using Col = Dialect::Column;
    dialect_.insert_rows(c, "records",
                         {{"seq", "bigint"},
                          {"id", "text"},
                          {"dataset_seq", "bigint"},
                          {"external_id", "text"},
                          {"metadata", "text"},
                          {"status", "text"},
                          {"shuffle_key", "bigint"},
                          {"inserted_at", "bigint"},
                          {"updated_at", "bigint"}},
                         record_rows);
    std::vector<Col> text_columns{
        {"id", "bigint"}, {"record_seq", "bigint"}, {"field", "text"}, {"body", "text"}};
    if (dialect_.postgres()) text_columns.push_back({"tsv", "tsvector"});
    dialect_.insert_rows(c, "record_texts", text_columns, text_rows);
    if (!queue_rows.empty()) c.execute_many(dialect_.queue_text_sql(), queue_rows);

    std::vector<std::int64_t> answered;
    for (const auto& p : plan)
      if (p.existing && !p.responses.empty()) answered.push_back(p.seq);
    lock_records(c, dialect_, answered);
    answered.clear();

    // Children: new records' rows go in batches (one round trip per table on PostgreSQL);
    // matched records are updated row by row.
    struct {
      std::vector<Params> metadata, suggestions, suggestion_terms, vectors, responses,
          response_terms;
    } batch;
    for (std::size_t i = 0; i < items.size(); ++i) {
      Planned& p = plan[i];
      const RecordInput& in = items[i];
      if (p.existing) {
        if (in.metadata) {
          c.execute("UPDATE records SET metadata = ?, updated_at = ? WHERE seq = ?",
                    {encode_metadata(*in.metadata), now, p.seq});
          index_record_metadata(c, p.seq, *in.metadata, ctx.properties, true);
        }
        for (const auto& [q, s] : p.suggestions)
          write_suggestion(c, ctx.seq, p.seq, p.id, *q, s, now);
        write_vectors(c, p.seq, in.vectors, ctx.vectors);
        for (const auto& r : p.responses) {
          const std::string new_id = new_uuid();
          Rows rows = c.query(
              std::string(kInsertResponseSql) +
                  " ON CONFLICT (record_seq, user_id) DO UPDATE SET status = excluded.status, "
                  "vals = excluded.vals, updated_at = excluded.updated_at RETURNING id",
              {new_id, p.seq, ctx.seq, r.user_id, std::string(to_string(r.status)),
               encode_response_values(r.values), now, now});
          const bool replaced = rows.next() && rows.text(0) != new_id;
          while (rows.next()) {
          }
          index_response_terms(c, p.seq, r.user_id, r.values, ctx, replaced);
        }
        if (std::find(result.updated_ids.begin(), result.updated_ids.end(), p.id) ==
            result.updated_ids.end())
          result.updated_ids.push_back(p.id);
      } else {
        if (in.metadata)
          index_record_metadata(c, p.seq, *in.metadata, ctx.properties, false, &batch.metadata);
        for (const auto& [q, s] : p.suggestions) {
          batch.suggestions.push_back(suggestion_row(new_uuid(), ctx.seq, p.seq, *q, s, now));
          index_suggestion_terms(c, p.seq, *q, s.value, false, &batch.suggestion_terms);
        }
        write_vectors(c, p.seq, in.vectors, ctx.vectors, &batch.vectors);
        for (const auto& r : p.responses) {
          batch.responses.push_back({new_uuid(), p.seq, ctx.seq, r.user_id,
                                     std::string(to_string(r.status)),
                                     encode_response_values(r.values), now, now});
          index_response_terms(c, p.seq, r.user_id, r.values, ctx, false, &batch.response_terms);
        }
      }
      if (!p.responses.empty()) answered.push_back(p.seq);
    }
    dialect_.insert_rows(
        c, "record_metadata",
        {{"record_seq", "bigint"}, {"property_id", "text"}, {"term", "text"}, {"num", "float8"}},
        batch.metadata);
    dialect_.insert_rows(c, "suggestions",
                         {{"id", "text"},
                          {"record_seq", "bigint"},
                          {"dataset_seq", "bigint"},
                          {"question_id", "text"},
                          {"value", "text"},
                          {"score", "text"},
                          {"score_min", "float8"},
                          {"score_max", "float8"},
                          {"agent", "text"},
                          {"type", "text"},
                          {"inserted_at", "bigint"},
                          {"updated_at", "bigint"}},
                         batch.suggestions);
    dialect_.insert_rows(
        c, "suggestion_terms",
        {{"record_seq", "bigint"}, {"question_id", "text"}, {"term", "text"}, {"num", "float8"}},
        batch.suggestion_terms);
    c.execute_many(kUpsertVectorSql, batch.vectors);
    dialect_.insert_rows(c, "responses",
                         {{"id", "text"},
                          {"record_seq", "bigint"},
                          {"dataset_seq", "bigint"},
                          {"user_id", "text"},
                          {"status", "text"},
                          {"vals", "text"},
                          {"inserted_at", "bigint"},
                          {"updated_at", "bigint"}},
                         batch.responses);
    dialect_.insert_rows(c, "response_terms",
                         {{"record_seq", "bigint"},
                          {"user_id", "text"},
                          {"question_id", "text"},
                          {"term", "text"},
                          {"num", "float8"}},
                         batch.response_terms);
    recompute_statuses(c, dialect_, ctx, answered, now, stats);
    stats.flush(c, ctx.seq);

    // The records as stored now: new ones from the input (status read back where responses
    // may have completed them), matched ones loaded (their fields were left unchanged).
    std::vector<std::int64_t> reload;
    for (std::size_t i = 0; i < plan.size(); ++i)
      if (plan[i].existing || !plan[i].responses.empty()) reload.push_back(plan[i].seq);
    std::unordered_map<std::string, Record> loaded;
    for (auto& r : load_records(c, dialect_, ctx, reload, {})) loaded.emplace(r.id, std::move(r));
    result.records.reserve(plan.size());
    for (std::size_t i = 0; i < plan.size(); ++i) {
      auto it = loaded.find(plan[i].id);
      if (it != loaded.end()) {
        result.records.push_back(it->second);
        continue;
      }
      Record r;
      r.id = plan[i].id;
      r.dataset_id = ctx.dataset.id;
      r.external_id = items[i].external_id;
      r.fields = items[i].fields;
      if (items[i].metadata) r.metadata = *items[i].metadata;
      r.inserted_at = r.updated_at = now;
      result.records.push_back(std::move(r));
    }
    return result;
  });
}

namespace {

struct RecordRef {
  std::int64_t seq;
  std::int64_t dataset_seq;
};

std::optional<RecordRef> find_record(Conn& c, const std::string& id) {
  Rows r = c.query("SELECT seq, dataset_seq FROM records WHERE id = ?", {id});
  if (!r.next()) return std::nullopt;
  RecordRef ref{r.i64(0), r.i64(1)};
  while (r.next()) {
  }
  return ref;
}

}  // namespace

std::optional<Record> SqlStore::get_record(const std::string& id, const RecordInclude& include) {
  return read([&](Conn& c) -> std::optional<Record> {
    auto ref = find_record(c, id);
    if (!ref) return std::nullopt;
    const DatasetCtx ctx = dataset_questions_ctx(c, ref->dataset_seq);
    auto records = load_records(c, dialect_, ctx, {ref->seq}, include);
    if (records.empty()) return std::nullopt;
    return std::move(records.front());
  });
}

std::optional<RecordWithAccess> SqlStore::get_record_with_access(const std::string& id,
                                                                 const std::string& user_id,
                                                                 const RecordInclude& include) {
  // One transaction: after another connection's commit each new SQLite read transaction starts
  // with an empty page cache, so three small reads cost three cache refills.
  return read([&](Conn& c) -> std::optional<RecordWithAccess> {
    auto ref = find_record(c, id);
    if (!ref) return std::nullopt;
    DatasetCtx ctx = dataset_questions_ctx(c, ref->dataset_seq);
    auto records = load_records(c, dialect_, ctx, {ref->seq}, include);
    if (records.empty()) return std::nullopt;
    const bool member =
        c.query_i64("SELECT 1 FROM workspace_users WHERE workspace_id = ? AND user_id = ?",
                    {ctx.dataset.workspace_id, user_id})
            .has_value();
    return RecordWithAccess{std::move(records.front()), std::move(ctx.dataset), member};
  });
}

std::optional<RecordDataset> SqlStore::get_record_dataset(const std::string& id,
                                                          const std::string& user_id) {
  return read_statement([&](Conn& c) -> std::optional<RecordDataset> {
    Rows r = c.query("SELECT " + std::string(kDatasetCols) +
                         ", CASE WHEN EXISTS (SELECT 1 FROM workspace_users m WHERE "
                         "m.workspace_id = d.workspace_id AND m.user_id = ?) THEN 1 ELSE 0 END "
                         "FROM records r JOIN datasets d ON d.seq = r.dataset_seq WHERE r.id = ?",
                     {user_id, id});
    if (!r.next()) return std::nullopt;
    RecordDataset out{id, read_dataset(r), r.boolean(12)};
    while (r.next()) {
    }
    return out;
  });
}

Record SqlStore::update_record(const std::string& id, const RecordUpdate& up) {
  return write([&](Conn& c) {
    auto ref = find_record(c, id);
    if (!ref) throw_not_found("Record", id);
    auto ds = dataset_by_seq(c, ref->dataset_seq);
    const DatasetCtx ctx = load_ctx(c, ref->dataset_seq, std::move(*ds));
    if (up.metadata)
      validate_record_metadata(*up.metadata, ctx.properties, ctx.dataset.allow_extra_metadata,
                               ctx.dataset.id);
    if (up.vectors) validate_vectors(*up.vectors, ctx.vectors, ctx.dataset.id);
    std::vector<std::pair<const Question*, SuggestionInput>> suggestions;
    if (up.suggestions) {
      const auto fields = record_texts(c, ref->seq);
      std::set<std::string> seen;
      for (const auto& s : *up.suggestions) {
        const Question* q = s.question_id.empty() ? ctx.question_by_name(s.question_name)
                                                  : ctx.question_by_id(s.question_id);
        if (!q)
          throw_invalid(fmt::format("question with question_id={} does not exist",
                                    s.question_id.empty() ? s.question_name : s.question_id));
        if (!seen.insert(q->id).second) throw_invalid("found duplicate suggestions question IDs");
        SuggestionInput checked = s;
        validate_suggestion(checked, *q, fields);
        suggestions.emplace_back(q, std::move(checked));
      }
    }
    const Timestamp now = now_timestamp();
    if (up.metadata) {
      c.execute("UPDATE records SET metadata = ?, updated_at = ? WHERE seq = ?",
                {encode_metadata(*up.metadata), now, ref->seq});
      index_record_metadata(c, ref->seq, *up.metadata, ctx.properties, true);
    } else {
      c.execute("UPDATE records SET updated_at = ? WHERE seq = ?", {now, ref->seq});
    }
    for (const auto& [q, s] : suggestions) write_suggestion(c, ctx.seq, ref->seq, id, *q, s, now);
    if (up.vectors) write_vectors(c, ref->seq, *up.vectors, ctx.vectors);
    return load_records(c, dialect_, ctx, {ref->seq}, {}).front();
  });
}

Record SqlStore::delete_record(const std::string& id) {
  return write([&](Conn& c) {
    auto ref = find_record(c, id);
    if (!ref) throw_not_found("Record", id);
    const DatasetCtx ctx = dataset_questions_ctx(c, ref->dataset_seq);
    Record rec = load_records(c, dialect_, ctx, {ref->seq}, {}).front();
    c.execute("DELETE FROM records WHERE seq = ?", {ref->seq});
    StatsDelta stats(dialect_);
    stats.add(ref->seq, -1, rec.status == RecordStatus::kCompleted ? -1 : 0);
    stats.flush(c, ref->dataset_seq);
    return rec;
  });
}

std::int64_t SqlStore::delete_records(const std::string& dataset_id,
                                      const std::vector<std::string>& ids) {
  if (ids.empty()) return 0;
  return write([&](Conn& c) {
    auto [dataset_seq, d] = require_dataset(c, dataset_id);
    StatsDelta stats(dialect_);
    std::vector<std::int64_t> seqs;
    {
      Rows r = c.query(
          "SELECT seq, status FROM records WHERE dataset_seq = ? AND " + dialect_.in_texts("id"),
          {dataset_seq, dialect_.text_list(ids)});
      while (r.next()) {
        seqs.push_back(r.i64(0));
        stats.add(r.i64(0), -1, r.text(1) == "completed" ? -1 : 0);
      }
    }
    if (seqs.empty()) return std::int64_t{0};
    c.execute("DELETE FROM records WHERE " + dialect_.in_ints("seq"), {dialect_.int_list(seqs)});
    stats.flush(c, dataset_seq);
    return static_cast<std::int64_t>(seqs.size());
  });
}

}  // namespace spanloop::store::sql
