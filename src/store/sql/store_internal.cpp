// Row readers, dataset context, record loading and derived-index writers for SqlStore.
#include "store/sql/store_internal.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "store/sql/codec.h"
#include "text/error.h"

namespace spanloop::store::sql {

void throw_not_found(std::string_view what, std::string_view id) {
  throw Error(ErrorKind::kNotFound, fmt::format("{} with id `{}` not found", what, id));
}

namespace {
template <typename E>
E parse_or_throw(std::optional<E> v, std::string_view column) {
  if (!v) throw Error(ErrorKind::kInternal, fmt::format("corrupt {} column", column));
  return *v;
}
}  // namespace

Workspace read_workspace(Rows& r) {
  return Workspace{r.text(0), r.text(1), r.i64(2), r.i64(3)};
}

User read_user(Rows& r) {
  User u;
  u.id = r.text(0);
  u.username = r.text(1);
  u.first_name = r.text(2);
  u.last_name = r.opt_text(3);
  u.role = parse_or_throw(parse_role(r.text(4)), "users.role");
  u.password_hash = r.text(5);
  u.inserted_at = r.i64(6);
  u.updated_at = r.i64(7);
  return u;
}

Dataset read_dataset(Rows& r, std::int64_t* seq) {
  if (seq) *seq = r.i64(0);
  Dataset d;
  d.id = r.text(1);
  d.workspace_id = r.text(2);
  d.name = r.text(3);
  d.guidelines = r.opt_text(4);
  d.allow_extra_metadata = r.boolean(5);
  d.status = parse_or_throw(parse_dataset_status(r.text(6)), "datasets.status");
  d.distribution.strategy = r.text(7);
  d.distribution.min_submitted = r.i64(8);
  d.metadata = decode_metadata(r.text(9));
  d.inserted_at = r.i64(10);
  d.updated_at = r.i64(11);
  return d;
}

Field read_field(Rows& r) {
  return Field{r.text(0),    r.text(1),    r.text(2), r.text(3),
               r.boolean(4), r.boolean(5), r.i64(6),  r.i64(7)};
}

Question read_question(Rows& r) {
  Question q;
  q.id = r.text(0);
  q.dataset_id = r.text(1);
  q.name = r.text(2);
  q.title = r.text(3);
  q.description = r.opt_text(4);
  q.required = r.boolean(5);
  const QuestionType type = parse_or_throw(parse_question_type(r.text(6)), "questions.type");
  q.settings = decode_question_settings(type, r.text(7));
  q.inserted_at = r.i64(8);
  q.updated_at = r.i64(9);
  return q;
}

MetadataProperty read_property(Rows& r) {
  MetadataProperty p;
  p.id = r.text(0);
  p.dataset_id = r.text(1);
  p.name = r.text(2);
  p.title = r.text(3);
  const MetadataType type =
      parse_or_throw(parse_metadata_type(r.text(4)), "metadata_properties.type");
  p.settings = decode_metadata_settings(type, r.text(5));
  p.visible_for_annotators = r.boolean(6);
  p.inserted_at = r.i64(7);
  p.updated_at = r.i64(8);
  return p;
}

VectorSettings read_vector_settings(Rows& r) {
  return VectorSettings{r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4), r.i64(5), r.i64(6)};
}

const Question* DatasetCtx::question_by_id(std::string_view id) const {
  for (const auto& q : questions)
    if (q.id == id) return &q;
  return nullptr;
}
const Question* DatasetCtx::question_by_name(std::string_view name) const {
  for (const auto& q : questions)
    if (q.name == name) return &q;
  return nullptr;
}
const MetadataProperty* DatasetCtx::property_by_name(std::string_view name) const {
  for (const auto& p : properties)
    if (p.name == name) return &p;
  return nullptr;
}
std::optional<QuestionType> DatasetCtx::type_of(const std::string& name) const {
  const Question* q = question_by_name(name);
  if (!q) return std::nullopt;
  return question_type(q->settings);
}

std::optional<std::pair<std::int64_t, Dataset>> find_dataset(Conn& c, const std::string& id) {
  Rows r = c.query("SELECT " + std::string(kDatasetCols) + " FROM datasets d WHERE d.id = ?", {id});
  if (!r.next()) return std::nullopt;
  std::int64_t seq = 0;
  Dataset d = read_dataset(r, &seq);
  return std::make_pair(seq, std::move(d));
}

std::pair<std::int64_t, Dataset> require_dataset(Conn& c, const std::string& id) {
  auto d = find_dataset(c, id);
  if (!d) throw_not_found("Dataset", id);
  return std::move(*d);
}

std::optional<Dataset> dataset_by_seq(Conn& c, std::int64_t seq) {
  Rows r =
      c.query("SELECT " + std::string(kDatasetCols) + " FROM datasets d WHERE d.seq = ?", {seq});
  if (!r.next()) return std::nullopt;
  return read_dataset(r);
}

std::vector<Field> fields_of(Conn& c, std::int64_t seq) {
  std::vector<Field> out;
  Rows r =
      c.query("SELECT " + std::string(kFieldCols) +
                  " FROM fields f JOIN datasets d ON d.seq = f.dataset_seq WHERE f.dataset_seq = ? "
                  "ORDER BY f.inserted_at, f.id",
              {seq});
  while (r.next()) out.push_back(read_field(r));
  return out;
}

std::vector<Question> questions_of(Conn& c, std::int64_t seq) {
  std::vector<Question> out;
  Rows r = c.query(
      "SELECT " + std::string(kQuestionCols) +
          " FROM questions q JOIN datasets d ON d.seq = q.dataset_seq WHERE q.dataset_seq = "
          "? ORDER BY q.inserted_at, q.id",
      {seq});
  while (r.next()) out.push_back(read_question(r));
  return out;
}

std::vector<MetadataProperty> properties_of(Conn& c, std::int64_t seq) {
  std::vector<MetadataProperty> out;
  Rows r = c.query("SELECT " + std::string(kPropertyCols) +
                       " FROM metadata_properties p JOIN datasets d ON d.seq = p.dataset_seq WHERE "
                       "p.dataset_seq = ? ORDER BY p.inserted_at, p.id",
                   {seq});
  while (r.next()) out.push_back(read_property(r));
  return out;
}

std::vector<VectorSettings> vectors_of(Conn& c, std::int64_t seq) {
  std::vector<VectorSettings> out;
  Rows r = c.query("SELECT " + std::string(kVectorSettingsCols) +
                       " FROM vector_settings v JOIN datasets d ON d.seq = v.dataset_seq WHERE "
                       "v.dataset_seq = ? ORDER BY v.inserted_at, v.id",
                   {seq});
  while (r.next()) out.push_back(read_vector_settings(r));
  return out;
}

DatasetCtx load_ctx(Conn& c, std::int64_t seq, Dataset dataset) {
  DatasetCtx ctx;
  ctx.seq = seq;
  ctx.dataset = std::move(dataset);
  ctx.fields = fields_of(c, seq);
  ctx.questions = questions_of(c, seq);
  ctx.properties = properties_of(c, seq);
  ctx.vectors = vectors_of(c, seq);
  return ctx;
}

DatasetCtx load_ctx(Conn& c, const std::string& dataset_id) {
  auto [seq, d] = require_dataset(c, dataset_id);
  return load_ctx(c, seq, std::move(d));
}

DatasetCtx dataset_questions_ctx(Conn& c, std::int64_t dataset_seq) {
  DatasetCtx ctx;
  ctx.seq = dataset_seq;
  auto d = dataset_by_seq(c, dataset_seq);
  if (!d) throw Error(ErrorKind::kNotFound, "the record's dataset no longer exists");
  ctx.dataset = std::move(*d);
  ctx.questions = questions_of(c, dataset_seq);
  return ctx;
}

std::map<std::string, std::string> record_texts(Conn& c, std::int64_t record_seq) {
  std::map<std::string, std::string> out;
  Rows r = c.query("SELECT field, body FROM record_texts WHERE record_seq = ?", {record_seq});
  while (r.next()) out.emplace(r.text(0), r.text(1));
  return out;
}

Response read_response(Rows& r, int o, const std::string& record_id, const DatasetCtx& ctx) {
  Response x;
  x.id = r.text(o + 0);
  x.record_id = record_id;
  x.user_id = r.text(o + 1);
  x.status = parse_or_throw(parse_response_status(r.text(o + 2)), "responses.status");
  x.values =
      decode_response_values(r.text(o + 3), [&](const std::string& q) { return ctx.type_of(q); });
  x.inserted_at = r.i64(o + 4);
  x.updated_at = r.i64(o + 5);
  return x;
}

Suggestion read_suggestion(Rows& r, int o, const std::string& record_id) {
  Suggestion s;
  s.id = r.text(o + 0);
  s.record_id = record_id;
  s.question_id = r.text(o + 1);
  s.question_name = r.text(o + 2);
  const auto type = parse_question_type(r.text(o + 3));
  s.value = decode_answer(r.text(o + 4), type);
  s.score = decode_score(r.text(o + 5));
  s.agent = r.opt_text(o + 6);
  if (auto t = r.opt_text(o + 7)) s.type = parse_suggestion_type(*t);
  s.inserted_at = r.i64(o + 8);
  s.updated_at = r.i64(o + 9);
  return s;
}

std::vector<Record> load_records(Conn& c, const Dialect& d, const DatasetCtx& ctx,
                                 const std::vector<std::int64_t>& seqs,
                                 const RecordInclude& include) {
  if (seqs.empty()) return {};
  const Param list = d.int_list(seqs);
  std::unordered_map<std::int64_t, std::size_t> pos;
  for (std::size_t i = 0; i < seqs.size(); ++i) pos.emplace(seqs[i], i);
  std::vector<Record> out(seqs.size());
  {
    Rows r = c.query(
        "SELECT r.seq, r.id, r.external_id, r.metadata, r.status, r.inserted_at, "
        "r.updated_at FROM records r WHERE " +
            d.in_ints("r.seq"),
        {list});
    while (r.next()) {
      Record& rec = out[pos.at(r.i64(0))];
      rec.id = r.text(1);
      rec.dataset_id = ctx.dataset.id;
      rec.external_id = r.opt_text(2);
      rec.metadata = decode_metadata(r.text(3));
      rec.status = parse_or_throw(parse_record_status(r.text(4)), "records.status");
      rec.inserted_at = r.i64(5);
      rec.updated_at = r.i64(6);
    }
  }
  {
    Rows r = c.query("SELECT rt.record_seq, rt.field, rt.body FROM record_texts rt WHERE " +
                         d.in_ints("rt.record_seq"),
                     {list});
    while (r.next()) out[pos.at(r.i64(0))].fields.emplace(r.text(1), r.text(2));
  }
  if (include.responses) {
    for (auto& rec : out) rec.responses.emplace();
    std::string sql = "SELECT x.record_seq, " + std::string(kResponseCols) +
                      " FROM responses x WHERE " + d.in_ints("x.record_seq");
    Params params{list};
    if (include.responses_user_id) {
      sql += " AND x.user_id = ?";
      params.push_back(*include.responses_user_id);
    }
    sql += " ORDER BY x.inserted_at, x.id";
    Rows r = c.query(sql, params);
    while (r.next()) {
      Record& rec = out[pos.at(r.i64(0))];
      rec.responses->push_back(read_response(r, 1, rec.id, ctx));
    }
  }
  if (include.suggestions) {
    for (auto& rec : out) rec.suggestions.emplace();
    Rows r = c.query("SELECT s.record_seq, " + std::string(kSuggestionCols) +
                         " FROM suggestions s JOIN questions q ON q.id = s.question_id WHERE " +
                         d.in_ints("s.record_seq") + " ORDER BY q.inserted_at, q.id",
                     {list});
    while (r.next()) {
      Record& rec = out[pos.at(r.i64(0))];
      rec.suggestions->push_back(read_suggestion(r, 1, rec.id));
    }
  }
  if (include.vectors) {
    for (auto& rec : out) rec.vectors.emplace();
    Rows r = c.query(
        "SELECT v.record_seq, vs.name, v.value FROM vectors v JOIN vector_settings vs "
        "ON vs.id = v.vector_settings_id WHERE " +
            d.in_ints("v.record_seq"),
        {list});
    std::set<std::string> wanted(include.vector_names.begin(), include.vector_names.end());
    while (r.next()) {
      std::string name = r.text(1);
      if (!wanted.empty() && !wanted.count(name)) continue;
      out[pos.at(r.i64(0))].vectors->emplace(std::move(name), decode_vector(r.blob(2)));
    }
  }
  // Records deleted between the search and this load are dropped.
  out.erase(std::remove_if(out.begin(), out.end(), [](const Record& r) { return r.id.empty(); }),
            out.end());
  return out;
}

void index_record_metadata(Conn& c, std::int64_t record_seq, const Metadata& metadata,
                           const std::vector<MetadataProperty>& properties, bool replace,
                           std::vector<Params>* sink) {
  if (replace) c.execute("DELETE FROM record_metadata WHERE record_seq = ?", {record_seq});
  std::vector<Params> local;
  std::vector<Params>& rows = sink ? *sink : local;
  for (const auto& p : properties) {
    auto it = metadata.find(p.name);
    if (it == metadata.end()) continue;
    const MetadataValue& v = it->second;
    if (auto* s = std::get_if<std::string>(&v)) {
      rows.push_back({record_seq, p.id, *s, nullptr});
    } else if (auto* list = std::get_if<std::vector<std::string>>(&v)) {
      for (const auto& t : std::set<std::string>(list->begin(), list->end()))
        rows.push_back({record_seq, p.id, t, nullptr});
    } else if (auto* i = std::get_if<std::int64_t>(&v)) {
      rows.push_back({record_seq, p.id, nullptr, static_cast<double>(*i)});
    } else if (auto* f = std::get_if<double>(&v)) {
      rows.push_back({record_seq, p.id, nullptr, *f});
    }
  }
  if (!sink) c.execute_many(kInsertMetadataSql, local);
}

namespace {

// The searchable terms of an answer: span labels, chosen labels, or the rating.
std::vector<std::pair<std::string, std::optional<double>>> answer_terms(const AnswerValue& v) {
  std::vector<std::pair<std::string, std::optional<double>>> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& t) {
    if (seen.insert(t).second) out.emplace_back(t, std::nullopt);
  };
  if (auto* spans = std::get_if<std::vector<SpanValue>>(&v)) {
    for (const auto& s : *spans) add(s.label);
  } else if (auto* labels = std::get_if<std::vector<std::string>>(&v)) {
    for (const auto& l : *labels) add(l);
  } else if (auto* i = std::get_if<std::int64_t>(&v)) {
    out.emplace_back(std::to_string(*i), static_cast<double>(*i));
  } else if (auto* label = std::get_if<std::string>(&v)) {
    add(*label);  // label_selection (text answers are not indexed)
  }
  return out;
}

bool indexed(const Question& q) {
  return question_type(q.settings) != QuestionType::kText;
}

}  // namespace

void index_response_terms(Conn& c, std::int64_t record_seq, const std::string& user_id,
                          const ResponseValues& values, const DatasetCtx& ctx, bool replace,
                          std::vector<Params>* sink) {
  // Deferred: on PostgreSQL these travel with the transaction's next statement.
  if (replace)
    c.execute_deferred("DELETE FROM response_terms WHERE record_seq = ? AND user_id = ?",
                       {record_seq, user_id});
  std::vector<Params> local;
  std::vector<Params>& rows = sink ? *sink : local;
  for (const auto& [name, value] : values) {
    const Question* q = ctx.question_by_name(name);
    if (!q || !indexed(*q)) continue;
    for (const auto& [term, num] : answer_terms(value))
      rows.push_back({record_seq, user_id, q->id, term, num ? Param(*num) : Param(nullptr)});
  }
  if (sink) return;
  if (local.size() <= 8)
    for (const auto& row : local) c.execute_deferred(kInsertResponseTermSql, row);
  else
    c.execute_many(kInsertResponseTermSql, local);
}

void index_suggestion_terms(Conn& c, std::int64_t record_seq, const Question& question,
                            const AnswerValue& value, bool replace, std::vector<Params>* sink) {
  if (replace)
    c.execute("DELETE FROM suggestion_terms WHERE record_seq = ? AND question_id = ?",
              {record_seq, question.id});
  if (!indexed(question)) return;
  std::vector<Params> local;
  std::vector<Params>& rows = sink ? *sink : local;
  for (const auto& [term, num] : answer_terms(value))
    rows.push_back({record_seq, question.id, term, num ? Param(*num) : Param(nullptr)});
  if (!sink) c.execute_many(kInsertSuggestionTermSql, local);
}

void StatsDelta::add(std::int64_t record_seq, std::int64_t d_records, std::int64_t d_completed) {
  if (d_records == 0 && d_completed == 0) return;
  auto& [r, done] = by_shard_[static_cast<int>(record_seq % shards_)];
  r += d_records;
  done += d_completed;
}

void StatsDelta::flush(Conn& c, std::int64_t dataset_seq) {
  for (const auto& [shard, delta] : by_shard_) {
    if (delta.first == 0 && delta.second == 0) continue;
    c.execute_deferred(
        "UPDATE dataset_stats SET records = records + ?, completed = completed + ? WHERE "
        "dataset_seq = ? AND shard = ?",
        {delta.first, delta.second, dataset_seq, std::int64_t{shard}});
  }
  by_shard_.clear();
}

void create_stats(Conn& c, const Dialect& d, std::int64_t dataset_seq) {
  for (int shard = 0; shard < d.stats_shards(); ++shard)
    c.execute(
        "INSERT INTO dataset_stats (dataset_seq, shard, records, completed) VALUES (?, ?, 0, 0)",
        {dataset_seq, std::int64_t{shard}});
}

void lock_records(Conn& c, const Dialect& d, std::vector<std::int64_t> seqs) {
  if (!d.postgres() || seqs.empty()) return;
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  Rows r = c.query("SELECT seq FROM records WHERE " + d.in_ints("seq") + " ORDER BY seq FOR UPDATE",
                   {d.int_list(seqs)});
  while (r.next()) {
  }
}

void recompute_statuses(Conn& c, const Dialect& d, const DatasetCtx& ctx,
                        const std::vector<std::int64_t>& seqs, Timestamp now, StatsDelta& stats) {
  if (seqs.empty()) return;
  // One statement: count the submitted responses, update the records whose status changes and
  // return them for the counters.
  Rows r = c.query(
      "UPDATE records SET status = n.status, updated_at = ? FROM (SELECT s.seq AS seq, CASE WHEN "
      "(SELECT COUNT(*) FROM responses x WHERE x.record_seq = s.seq AND x.status = 'submitted') "
      ">= ? THEN 'completed' ELSE 'pending' END AS status FROM records s WHERE " +
          d.in_ints("s.seq") +
          ") AS n WHERE records.seq = n.seq AND records.status <> n.status RETURNING records.seq, "
          "records.status",
      {now, ctx.dataset.distribution.min_submitted, d.int_list(seqs)});
  while (r.next())
    stats.add(r.i64(0), 0, r.text(1) == to_string(RecordStatus::kCompleted) ? 1 : -1);
}

void recompute_status_deferred(Conn& c, const Dialect& d, const DatasetCtx& ctx,
                               std::int64_t record_seq, bool was_completed, Timestamp now) {
  c.execute_deferred(
      "UPDATE records SET status = n.status, updated_at = ? FROM (SELECT CASE WHEN (SELECT "
      "COUNT(*) FROM responses x WHERE x.record_seq = ? AND x.status = 'submitted') >= ? THEN "
      "'completed' ELSE 'pending' END AS status) AS n WHERE records.seq = ? AND records.status <> "
      "n.status",
      {now, record_seq, ctx.dataset.distribution.min_submitted, record_seq});
  // Touches the counter row (and takes its lock) only when the status changed.
  c.execute_deferred(
      "UPDATE dataset_stats SET completed = completed + n.delta FROM (SELECT CASE WHEN status = "
      "'completed' THEN 1 ELSE 0 END - ? AS delta FROM records WHERE seq = ?) AS n WHERE "
      "dataset_seq = ? AND shard = ? AND n.delta <> 0",
      {std::int64_t{was_completed}, record_seq, ctx.seq,
       std::int64_t{record_seq % d.stats_shards()}});
}

Params suggestion_row(const std::string& id, std::int64_t dataset_seq, std::int64_t record_seq,
                      const Question& question, const SuggestionInput& input, Timestamp now) {
  Param score_min = nullptr, score_max = nullptr;
  if (auto* d = std::get_if<double>(&input.score)) {
    score_min = *d;
    score_max = *d;
  } else if (auto* list = std::get_if<std::vector<double>>(&input.score); list && !list->empty()) {
    score_min = *std::min_element(list->begin(), list->end());
    score_max = *std::max_element(list->begin(), list->end());
  }
  return {id,
          record_seq,
          dataset_seq,
          question.id,
          encode_answer(input.value),
          encode_score(input.score),
          score_min,
          score_max,
          input.agent ? Param(*input.agent) : Param(nullptr),
          input.type ? Param(std::string(to_string(*input.type))) : Param(nullptr),
          now,
          now};
}

SuggestionUpsertResult write_suggestion(Conn& c, std::int64_t dataset_seq, std::int64_t record_seq,
                                        const std::string& record_id, const Question& question,
                                        const SuggestionInput& input, Timestamp now) {
  const std::string new_id = new_uuid();
  Rows r = c.query(
      std::string(kInsertSuggestionSql) +
          " ON CONFLICT (record_seq, question_id) DO UPDATE SET value = excluded.value, score = "
          "excluded.score, score_min = excluded.score_min, score_max = excluded.score_max, agent = "
          "excluded.agent, type = excluded.type, updated_at = excluded.updated_at RETURNING id, "
          "inserted_at",
      suggestion_row(new_id, dataset_seq, record_seq, question, input, now));
  if (!r.next()) throw Error(ErrorKind::kInternal, "suggestion upsert returned no row");
  SuggestionUpsertResult out;
  out.suggestion.id = r.text(0);
  out.suggestion.inserted_at = r.i64(1);
  while (r.next()) {
  }
  out.created = out.suggestion.id == new_id;
  out.suggestion.record_id = record_id;
  out.suggestion.question_id = question.id;
  out.suggestion.question_name = question.name;
  out.suggestion.value = input.value;
  out.suggestion.score = input.score;
  out.suggestion.agent = input.agent;
  out.suggestion.type = input.type;
  out.suggestion.updated_at = now;
  index_suggestion_terms(c, record_seq, question, input.value, !out.created);
  return out;
}

void write_vectors(Conn& c, std::int64_t record_seq, const Vectors& vectors,
                   const std::vector<VectorSettings>& settings, std::vector<Params>* sink) {
  std::vector<Params> local;
  std::vector<Params>& rows = sink ? *sink : local;
  for (const auto& [name, values] : vectors) {
    auto it = std::find_if(settings.begin(), settings.end(),
                           [&](const VectorSettings& s) { return s.name == name; });
    if (it == settings.end()) continue;  // validated before
    rows.push_back({record_seq, it->id, Blob{encode_vector(values)}});
  }
  if (!sink) c.execute_many(kUpsertVectorSql, local);
}

}  // namespace spanloop::store::sql
