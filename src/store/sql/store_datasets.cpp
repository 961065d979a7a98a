// SqlStore: datasets and their settings (fields, questions, metadata properties, vectors).
#include <fmt/format.h>

#include <random>

#include "store/sql/codec.h"
#include "store/sql/sql_store_txn.h"
#include "store/sql/store_internal.h"
#include "store/sql/text_index.h"
#include "store/validation.h"

namespace spanloop::store::sql {

namespace {

constexpr std::string_view kPublished = "for a published dataset";

void require_draft(const Dataset& d, std::string_view what) {
  if (d.status != DatasetStatus::kDraft)
    throw Error(ErrorKind::kFailedPrecondition, fmt::format("{} {}", what, kPublished));
}

template <typename T, typename Reader>
std::optional<T> one(Conn& c, const std::string& sql, const std::string& id, Reader read) {
  Rows r = c.query(sql, {id});
  if (!r.next()) return std::nullopt;
  T v = read(r);
  while (r.next()) {
  }
  return v;
}

std::optional<Field> field_by_id(Conn& c, const std::string& id) {
  return one<Field>(c,
                    "SELECT " + std::string(kFieldCols) +
                        " FROM fields f JOIN datasets d ON d.seq = f.dataset_seq WHERE f.id = ?",
                    id, read_field);
}
std::optional<Question> question_by_id(Conn& c, const std::string& id) {
  return one<Question>(
      c,
      "SELECT " + std::string(kQuestionCols) +
          " FROM questions q JOIN datasets d ON d.seq = q.dataset_seq WHERE q.id = ?",
      id, read_question);
}
std::optional<MetadataProperty> property_by_id(Conn& c, const std::string& id) {
  return one<MetadataProperty>(c,
                               "SELECT " + std::string(kPropertyCols) +
                                   " FROM metadata_properties p JOIN datasets d ON d.seq = "
                                   "p.dataset_seq WHERE p.id = ?",
                               id, read_property);
}
std::optional<VectorSettings> vector_settings_by_id(Conn& c, const std::string& id) {
  return one<VectorSettings>(c,
                             "SELECT " + std::string(kVectorSettingsCols) +
                                 " FROM vector_settings v JOIN datasets d ON d.seq = v.dataset_seq "
                                 "WHERE v.id = ?",
                             id, read_vector_settings);
}

void check_dataset_name_free(Conn& c, const std::string& workspace_id, const std::string& name) {
  if (c.query_i64("SELECT 1 FROM datasets WHERE workspace_id = ? AND name = ?",
                  {workspace_id, name}))
    throw Error(ErrorKind::kConflict,
                fmt::format("Dataset with name `{}` already exists for workspace with id `{}`",
                            name, workspace_id));
}

void check_setting_name_free(Conn& c, std::string_view table, std::string_view what,
                             std::int64_t dataset_seq, const std::string& name,
                             const std::string& dataset_id) {
  if (c.query_i64("SELECT 1 FROM " + std::string(table) + " WHERE dataset_seq = ? AND name = ?",
                  {dataset_seq, name}))
    throw Error(ErrorKind::kConflict,
                fmt::format("{} with name `{}` already exists for dataset with id `{}`", what, name,
                            dataset_id));
}

Param opt(const std::optional<std::string>& s) {
  return s ? Param(*s) : Param(nullptr);
}

}  // namespace

Dataset SqlStore::create_dataset(const DatasetCreate& in) {
  validate_dataset_create(in);
  return write([&](Conn& c) {
    if (!c.query_i64("SELECT 1 FROM workspaces WHERE id = ?", {in.workspace_id}))
      throw_not_found("Workspace", in.workspace_id);
    check_dataset_name_free(c, in.workspace_id, in.name);
    const Timestamp now = now_timestamp();
    Dataset d;
    d.id = new_uuid();
    d.workspace_id = in.workspace_id;
    d.name = in.name;
    d.guidelines = in.guidelines;
    d.allow_extra_metadata = in.allow_extra_metadata;
    d.distribution = in.distribution;
    d.metadata = in.metadata;
    d.inserted_at = d.updated_at = now;
    c.execute(
        "INSERT INTO datasets (id, workspace_id, name, guidelines, allow_extra_metadata, "
        "status, distribution_strategy, min_submitted, metadata, inserted_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?)",
        {d.id, d.workspace_id, d.name, opt(d.guidelines), std::int64_t{d.allow_extra_metadata},
         d.distribution.strategy, d.distribution.min_submitted, encode_metadata(d.metadata), now,
         now});
    const std::int64_t seq = *c.query_i64("SELECT seq FROM datasets WHERE id = ?", {d.id});
    if (seq >= kMaxTextDatasets)
      throw Error(ErrorKind::kFailedPrecondition,
                  fmt::format("this database has used all {} dataset keys", kMaxTextDatasets));
    create_stats(c, dialect_, seq);
    return d;
  });
}

std::optional<Dataset> SqlStore::get_dataset(const std::string& id) {
  return read([&](Conn& c) -> std::optional<Dataset> {
    auto d = find_dataset(c, id);
    if (!d) return std::nullopt;
    return std::move(d->second);
  });
}

std::vector<Dataset> SqlStore::list_datasets(const DatasetFilter& f) {
  std::string sql = "SELECT " + std::string(kDatasetCols) + " FROM datasets d WHERE 1 = 1";
  Params params;
  if (f.workspace_id) {
    sql += " AND d.workspace_id = ?";
    params.push_back(*f.workspace_id);
  }
  if (f.name) {
    sql += " AND d.name = ?";
    params.push_back(*f.name);
  }
  if (f.status) {
    sql += " AND d.status = ?";
    params.push_back(std::string(to_string(*f.status)));
  }
  if (f.member_user_id) {
    sql += " AND d.workspace_id IN (SELECT workspace_id FROM workspace_users WHERE user_id = ?)";
    params.push_back(*f.member_user_id);
  }
  sql += " ORDER BY d.inserted_at, d.seq";
  return read([&](Conn& c) {
    std::vector<Dataset> out;
    Rows r = c.query(sql, params);
    while (r.next()) out.push_back(read_dataset(r));
    return out;
  });
}

Dataset SqlStore::update_dataset(const std::string& id, const DatasetUpdate& up) {
  if (up.name) validate_dataset_name("dataset", *up.name);
  if (up.guidelines && *up.guidelines) {
    DatasetCreate probe;
    probe.name = "x";
    probe.guidelines = *up.guidelines;
    validate_dataset_create(probe);
  }
  if (up.distribution) validate_distribution(*up.distribution);
  return write([&](Conn& c) {
    auto [seq, d] = require_dataset(c, id);
    if (up.name && *up.name != d.name) {
      check_dataset_name_free(c, d.workspace_id, *up.name);
      d.name = *up.name;
    }
    if (up.guidelines) d.guidelines = *up.guidelines;
    if (up.allow_extra_metadata) d.allow_extra_metadata = *up.allow_extra_metadata;
    if (up.distribution && (up.distribution->min_submitted != d.distribution.min_submitted ||
                            up.distribution->strategy != d.distribution.strategy)) {
      if (c.query_i64("SELECT 1 FROM responses WHERE dataset_seq = ? LIMIT 1", {seq}))
        throw Error(ErrorKind::kFailedPrecondition,
                    "distribution settings cannot be modified for a dataset with responses");
      d.distribution = *up.distribution;
    }
    if (up.metadata) d.metadata = *up.metadata;
    d.updated_at = now_timestamp();
    c.execute(
        "UPDATE datasets SET name = ?, guidelines = ?, allow_extra_metadata = ?, "
        "distribution_strategy = ?, min_submitted = ?, metadata = ?, updated_at = ? WHERE seq = ?",
        {d.name, opt(d.guidelines), std::int64_t{d.allow_extra_metadata}, d.distribution.strategy,
         d.distribution.min_submitted, encode_metadata(d.metadata), d.updated_at, seq});
    return d;
  });
}

Dataset SqlStore::publish_dataset(const std::string& id) {
  return write([&](Conn& c) {
    auto [seq, d] = require_dataset(c, id);
    if (d.status == DatasetStatus::kReady)
      throw Error(ErrorKind::kFailedPrecondition, "Dataset is already published");
    if (!c.query_i64("SELECT 1 FROM fields WHERE dataset_seq = ? LIMIT 1", {seq}))
      throw Error(ErrorKind::kFailedPrecondition, "Dataset cannot be published without fields");
    if (!c.query_i64("SELECT 1 FROM questions WHERE dataset_seq = ? AND required = 1 LIMIT 1",
                     {seq}))
      throw Error(ErrorKind::kFailedPrecondition,
                  "Dataset cannot be published without required questions");
    d.status = DatasetStatus::kReady;
    d.updated_at = now_timestamp();
    c.execute("UPDATE datasets SET status = 'ready', updated_at = ? WHERE seq = ?",
              {d.updated_at, seq});
    return d;
  });
}

Dataset SqlStore::delete_dataset(const std::string& id) {
  return write([&](Conn& c) {
    auto [seq, d] = require_dataset(c, id);
    // Everything below the dataset goes by ON DELETE CASCADE along indexed keys; the
    // full-text rows go with record_texts (trigger on SQLite, same table on PostgreSQL).
    c.execute("DELETE FROM datasets WHERE seq = ?", {seq});
    return d;
  });
}

Field SqlStore::create_field(const std::string& dataset_id, const FieldCreate& in) {
  validate_field_create(in);
  return write([&](Conn& c) {
    auto [seq, d] = require_dataset(c, dataset_id);
    require_draft(d, "Field cannot be created");
    check_setting_name_free(c, "fields", "Field", seq, in.name, dataset_id);
    if (c.query_i64("SELECT COUNT(*) FROM fields WHERE dataset_seq = ?", {seq}).value_or(0) >=
        kMaxTextFields)
      throw_invalid(fmt::format("a dataset has at most {} fields", kMaxTextFields));
    const Timestamp now = now_timestamp();
    Field f{new_uuid(), dataset_id, in.name, in.title, in.required, in.use_markdown, now, now};
    c.execute(
        "INSERT INTO fields (id, dataset_seq, name, title, required, use_markdown, inserted_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {f.id, seq, f.name, f.title, std::int64_t{f.required}, std::int64_t{f.use_markdown}, now,
         now});
    return f;
  });
}

std::optional<Field> SqlStore::get_field(const std::string& id) {
  return read([&](Conn& c) { return field_by_id(c, id); });
}

std::vector<Field> SqlStore::list_fields(const std::string& dataset_id) {
  return read([&](Conn& c) { return fields_of(c, require_dataset(c, dataset_id).first); });
}

Field SqlStore::update_field(const std::string& id, const FieldUpdate& up) {
  if (up.title) {
    FieldCreate probe{"x", *up.title};
    validate_field_create(probe);
  }
  return write([&](Conn& c) {
    auto f = field_by_id(c, id);
    if (!f) throw_not_found("Field", id);
    if (up.title) f->title = *up.title;
    if (up.required) f->required = *up.required;
    if (up.use_markdown) f->use_markdown = *up.use_markdown;
    f->updated_at = now_timestamp();
    c.execute(
        "UPDATE fields SET title = ?, required = ?, use_markdown = ?, updated_at = ? WHERE id = ?",
        {f->title, std::int64_t{f->required}, std::int64_t{f->use_markdown}, f->updated_at, id});
    return *f;
  });
}

Field SqlStore::delete_field(const std::string& id) {
  return write([&](Conn& c) {
    auto f = field_by_id(c, id);
    if (!f) throw_not_found("Field", id);
    auto [seq, d] = require_dataset(c, f->dataset_id);
    require_draft(d, "Fields cannot be deleted");
    for (const auto& q : questions_of(c, seq))
      if (auto* span = std::get_if<SpanQuestionSettings>(&q.settings);
          span && span->field == f->name)
        throw Error(ErrorKind::kFailedPrecondition,
                    fmt::format("Field `{}` cannot be deleted: span question `{}` uses it", f->name,
                                q.name));
    c.execute("DELETE FROM fields WHERE id = ?", {id});
    return *f;
  });
}

namespace {
// A question change gives its dataset a new questions_rev, which response writes compare with
// the revision they cached the questions for (question_cache.h). Random rather than incremented:
// in SQLite's group commit a write sees the revision of an earlier write in its group, whose
// commit may still fail, and a number that is never reused cannot later name other questions.
void bump_questions_rev(Conn& c, const std::string& dataset_id) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  c.execute("UPDATE datasets SET questions_rev = ? WHERE id = ?",
            {static_cast<std::int64_t>(random() >> 1), dataset_id});
}
}  // namespace

Question SqlStore::create_question(const std::string& dataset_id, const QuestionCreate& in) {
  return write([&](Conn& c) {
    auto [seq, d] = require_dataset(c, dataset_id);
    require_draft(d, "Question cannot be created");
    validate_question_create(in, fields_of(c, seq), questions_of(c, seq));
    const Timestamp now = now_timestamp();
    Question q{new_uuid(),  dataset_id,  in.name, in.title, in.description,
               in.required, in.settings, now,     now};
    c.execute(
        "INSERT INTO questions (id, dataset_seq, name, title, description, required, type, "
        "settings, inserted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {q.id, seq, q.name, q.title, opt(q.description), std::int64_t{q.required},
         std::string(to_string(question_type(q.settings))), encode_question_settings(q.settings),
         now, now});
    bump_questions_rev(c, dataset_id);
    return q;
  });
}

std::optional<Question> SqlStore::get_question(const std::string& id) {
  return read([&](Conn& c) { return question_by_id(c, id); });
}

std::vector<Question> SqlStore::list_questions(const std::string& dataset_id) {
  return read([&](Conn& c) { return questions_of(c, require_dataset(c, dataset_id).first); });
}

Question SqlStore::update_question(const std::string& id, const QuestionUpdate& up) {
  return write([&](Conn& c) {
    auto q = question_by_id(c, id);
    if (!q) throw_not_found("Question", id);
    QuestionCreate probe{q->name, up.title ? *up.title : q->title,
                         up.description ? *up.description : q->description, true,
                         TextQuestionSettings{}};
    validate_question_create(probe, {}, {});
    if (up.settings) {
      validate_question_settings_update(q->name, q->settings, *up.settings);
      q->settings = *up.settings;
    }
    q->title = probe.title;
    q->description = probe.description;
    if (up.required) q->required = *up.required;
    q->updated_at = now_timestamp();
    c.execute(
        "UPDATE questions SET title = ?, description = ?, required = ?, settings = ?, "
        "updated_at = ? WHERE id = ?",
        {q->title, opt(q->description), std::int64_t{q->required},
         encode_question_settings(q->settings), q->updated_at, id});
    bump_questions_rev(c, q->dataset_id);
    return *q;
  });
}

Question SqlStore::delete_question(const std::string& id) {
  return write([&](Conn& c) {
    auto q = question_by_id(c, id);
    if (!q) throw_not_found("Question", id);
    auto [seq, d] = require_dataset(c, q->dataset_id);
    require_draft(d, "Questions cannot be deleted");
    c.execute("DELETE FROM questions WHERE id = ?", {id});
    bump_questions_rev(c, q->dataset_id);
    return *q;
  });
}

MetadataProperty SqlStore::create_metadata_property(const std::string& dataset_id,
                                                    const MetadataPropertyCreate& in) {
  validate_metadata_property_create(in);
  return write([&](Conn& c) {
    auto [seq, d] = require_dataset(c, dataset_id);
    check_setting_name_free(c, "metadata_properties", "Metadata property", seq, in.name,
                            dataset_id);
    const Timestamp now = now_timestamp();
    MetadataProperty p{new_uuid(), dataset_id,  in.name,
                       in.title,   in.settings, in.visible_for_annotators,
                       now,        now};
    c.execute(
        "INSERT INTO metadata_properties (id, dataset_seq, name, title, type, settings, "
        "visible_for_annotators, inserted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {p.id, seq, p.name, p.title, std::string(to_string(metadata_type(p.settings))),
         encode_metadata_settings(p.settings), std::int64_t{p.visible_for_annotators}, now, now});
    // Records stored before the property existed become filterable on it now, when their
    // value fits the property (others keep the value but stay out of the index).
    std::int64_t after = 0;
    for (;;) {
      std::vector<std::pair<std::int64_t, Metadata>> batch;
      {
        Rows r = c.query(
            "SELECT seq, metadata FROM records WHERE dataset_seq = ? AND seq > ? ORDER "
            "BY seq LIMIT 1000",
            {seq, after});
        while (r.next()) batch.emplace_back(r.i64(0), decode_metadata(r.text(1)));
      }
      if (batch.empty()) break;
      for (auto& [record_seq, metadata] : batch) {
        auto it = metadata.find(p.name);
        if (it == metadata.end()) continue;
        try {
          validate_record_metadata({{it->first, it->second}}, {p}, true, dataset_id);
        } catch (const Error&) {
          continue;
        }
        index_record_metadata(c, record_seq, {{it->first, it->second}}, {p}, false);
      }
      after = batch.back().first;
    }
    return p;
  });
}

std::optional<MetadataProperty> SqlStore::get_metadata_property(const std::string& id) {
  return read([&](Conn& c) { return property_by_id(c, id); });
}

std::vector<MetadataProperty> SqlStore::list_metadata_properties(const std::string& dataset_id) {
  return read([&](Conn& c) { return properties_of(c, require_dataset(c, dataset_id).first); });
}

MetadataProperty SqlStore::update_metadata_property(const std::string& id,
                                                    const MetadataPropertyUpdate& up) {
  return write([&](Conn& c) {
    auto p = property_by_id(c, id);
    if (!p) throw_not_found("Metadata property", id);
    if (up.title) {
      MetadataPropertyCreate probe{p->name, *up.title, TermsMetadataSettings{}, true};
      validate_metadata_property_create(probe);
      p->title = *up.title;
    }
    if (up.visible_for_annotators) p->visible_for_annotators = *up.visible_for_annotators;
    p->updated_at = now_timestamp();
    c.execute(
        "UPDATE metadata_properties SET title = ?, visible_for_annotators = ?, updated_at = ? "
        "WHERE id = ?",
        {p->title, std::int64_t{p->visible_for_annotators}, p->updated_at, id});
    return *p;
  });
}

MetadataProperty SqlStore::delete_metadata_property(const std::string& id) {
  return write([&](Conn& c) {
    auto p = property_by_id(c, id);
    if (!p) throw_not_found("Metadata property", id);
    c.execute("DELETE FROM metadata_properties WHERE id = ?", {id});
    return *p;
  });
}

MetadataMetrics SqlStore::metadata_property_metrics(const std::string& id) {
  return read([&](Conn& c) {
    auto p = property_by_id(c, id);
    if (!p) throw_not_found("Metadata property", id);
    MetadataMetrics m;
    m.type = metadata_type(p->settings);
    m.total =
        c.query_i64("SELECT COUNT(DISTINCT record_seq) FROM record_metadata WHERE property_id = ?",
                    {id})
            .value_or(0);
    if (m.type == MetadataType::kTerms) {
      Rows r = c.query(
          "SELECT term, COUNT(*) AS n FROM record_metadata WHERE property_id = ? AND term "
          "IS NOT NULL GROUP BY term ORDER BY n DESC, term LIMIT 16384",
          {id});
      while (r.next()) m.values.push_back(TermCount{r.text(0), r.i64(1)});
    } else {
      Rows r =
          c.query("SELECT MIN(num), MAX(num) FROM record_metadata WHERE property_id = ?", {id});
      if (r.next() && !r.is_null(0)) {
        m.min = r.f64(0);
        m.max = r.f64(1);
      }
    }
    return m;
  });
}

VectorSettings SqlStore::create_vector_settings(const std::string& dataset_id,
                                                const VectorSettingsCreate& in) {
  validate_vector_settings_create(in);
  return write([&](Conn& c) {
    auto [seq, d] = require_dataset(c, dataset_id);
    check_setting_name_free(c, "vector_settings", "Vector settings", seq, in.name, dataset_id);
    const Timestamp now = now_timestamp();
    VectorSettings v{new_uuid(), dataset_id, in.name, in.title, in.dimensions, now, now};
    c.execute(
        "INSERT INTO vector_settings (id, dataset_seq, name, title, dimensions, inserted_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {v.id, seq, v.name, v.title, v.dimensions, now, now});
    return v;
  });
}

std::optional<VectorSettings> SqlStore::get_vector_settings(const std::string& id) {
  return read([&](Conn& c) { return vector_settings_by_id(c, id); });
}

std::vector<VectorSettings> SqlStore::list_vector_settings(const std::string& dataset_id) {
  return read([&](Conn& c) { return vectors_of(c, require_dataset(c, dataset_id).first); });
}

VectorSettings SqlStore::update_vector_settings(const std::string& id, const std::string& title) {
  return write([&](Conn& c) {
    auto v = vector_settings_by_id(c, id);
    if (!v) throw_not_found("Vector settings", id);
    validate_vector_settings_create(VectorSettingsCreate{v->name, title, v->dimensions});
    v->title = title;
    v->updated_at = now_timestamp();
    c.execute("UPDATE vector_settings SET title = ?, updated_at = ? WHERE id = ?",
              {title, v->updated_at, id});
    return *v;
  });
}

VectorSettings SqlStore::delete_vector_settings(const std::string& id) {
  return write([&](Conn& c) {
    auto v = vector_settings_by_id(c, id);
    if (!v) throw_not_found("Vector settings", id);
    c.execute("DELETE FROM vector_settings WHERE id = ?", {id});
    return *v;
  });
}

}  // namespace spanloop::store::sql
