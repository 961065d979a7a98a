// import_records: rows -> RecordInput (checked with the store's validation for per-row errors)
// -> bulk upsert in batches; a row the store still refuses is listed and its batch retried.
#include "server/dataio/import.h"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>

#include "server/dataio/import_rows.h"
#include "store/validation.h"
#include "text/error.h"

namespace spanloop::dataio {
namespace {

using nlohmann::json;

struct MetadataColumn {
  std::string key;
  std::string column;
  const store::MetadataProperty* property = nullptr;  // null: an extra (undeclared) key
};

// The mapping resolved against the dataset's settings and the file's header.
struct Plan {
  store::Dataset dataset;
  std::vector<store::Field> fields;
  std::vector<store::MetadataProperty> properties;
  std::vector<store::Question> questions;
  std::vector<std::pair<const store::Field*, std::string>> field_columns;
  std::vector<MetadataColumn> metadata;
  bool metadata_explicit = false;
  std::vector<std::string> external_id;  // empty with JSONL: "external_id" or "id" per row
  bool external_id_default = false;      // JSONL without a mapping: look per row
  std::optional<std::string> spans_column;
  const store::Question* span_question = nullptr;
};

class RowFailure : public std::exception {
 public:
  RowFailure(std::string message, std::optional<std::string> field = std::nullopt)
      : message_(std::move(message)), field_(std::move(field)) {}
  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& message() const { return message_; }
  const std::optional<std::string>& field() const { return field_; }

 private:
  std::string message_;
  std::optional<std::string> field_;
};

bool has_column(const std::vector<std::string>* header, const std::string& column) {
  if (!header) return true;  // JSONL: checked per row
  for (const auto& h : *header)
    if (h == column) return true;
  return false;
}

void require_column(const std::vector<std::string>* header, const std::string& column,
                    const std::string& what) {
  if (!has_column(header, column))
    throw_invalid("mapping: column `" + column + "` (" + what + ") is not in the file's header");
}

Plan make_plan(store::Store& store, const std::string& dataset_id, const ImportOptions& options,
               const std::vector<std::string>* header) {
  Plan p;
  auto dataset = store.get_dataset(dataset_id);
  if (!dataset) throw_not_found("Dataset with id `" + dataset_id + "` not found");
  p.dataset = *dataset;
  p.fields = store.list_fields(dataset_id);
  p.properties = store.list_metadata_properties(dataset_id);
  p.questions = store.list_questions(dataset_id);
  const ImportMapping& m = options.mapping;

  for (const auto& [name, column] : m.fields) {
    bool known = false;
    for (const auto& f : p.fields) known = known || f.name == name;
    if (!known) throw_invalid("mapping: `" + name + "` is not a field of the dataset");
  }
  for (const auto& f : p.fields) {
    auto it = m.fields.find(f.name);
    const std::string column = it == m.fields.end() ? f.name : it->second;
    if (!has_column(header, column)) {
      if (it != m.fields.end()) require_column(header, column, "field `" + f.name + "`");
      if (f.required)
        throw_invalid("the file has no column `" + column + "` for the required field `" + f.name +
                      "`; map one with {\"fields\": {\"" + f.name + "\": \"COLUMN\"}}");
      continue;
    }
    p.field_columns.emplace_back(&f, column);
  }

  auto property = [&](const std::string& key) -> const store::MetadataProperty* {
    for (const auto& prop : p.properties)
      if (prop.name == key) return &prop;
    return nullptr;
  };
  p.metadata_explicit = !m.metadata.empty();
  if (p.metadata_explicit) {
    for (const auto& [key, column] : m.metadata) {
      require_column(header, column, "metadata `" + key + "`");
      p.metadata.push_back({key, column, property(key)});
    }
  } else {
    for (const auto& prop : p.properties)
      if (has_column(header, prop.name)) p.metadata.push_back({prop.name, prop.name, &prop});
  }

  if (!m.external_id.empty()) {
    for (const auto& c : m.external_id) require_column(header, c, "external_id");
    p.external_id = m.external_id;
  } else if (header) {
    if (has_column(header, "external_id"))
      p.external_id = {"external_id"};
    else if (has_column(header, "id"))
      p.external_id = {"id"};
  } else {
    p.external_id_default = true;
  }

  if (m.spans) {
    require_column(header, *m.spans, "spans");
    p.spans_column = m.spans;
  } else if (has_column(header, "spans")) {
    p.spans_column = "spans";
  }
  if (p.spans_column) {
    for (const auto& q : p.questions) {
      if (store::question_type(q.settings) != store::QuestionType::kSpan) continue;
      if (m.spans_question.empty() || q.name == m.spans_question) {
        p.span_question = &q;
        break;
      }
    }
    if (!p.span_question) {
      if (!m.spans_question.empty())
        throw_invalid("mapping: `" + m.spans_question + "` is not a span question of the dataset");
      if (m.spans) throw_invalid("mapping: spans given but the dataset has no span question");
      p.spans_column.reset();  // a "spans" column by default, with nothing to put it in
    }
  }
  if (p.spans_column && m.spans_as == SpansTarget::kResponse && !options.user_id)
    throw_invalid("mapping: spans_as \"response\" needs a user to own the responses");
  return p;
}

// ---- one row -> one RecordInput ----

const json* cell(const json& row, const std::string& column) {
  auto it = row.find(column);
  if (it == row.end() || it->is_null()) return nullptr;
  return &*it;
}

std::int64_t parse_integer(const std::string& s, const std::string& key) {
  std::int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || ptr != end)
    throw RowFailure("metadata `" + key + "`: `" + s + "` is not an integer", key);
  return v;
}

double parse_number(const std::string& s, const std::string& key) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || v != v)
    throw RowFailure("metadata `" + key + "`: `" + s + "` is not a number", key);
  return v;
}

std::optional<store::MetadataValue> metadata_value(const json& v, const MetadataColumn& mc) {
  const auto type =
      mc.property ? std::optional(store::metadata_type(mc.property->settings)) : std::nullopt;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;  // an empty CSV cell: no value
    if (type == store::MetadataType::kInteger) return parse_integer(s, mc.key);
    if (type == store::MetadataType::kFloat) return parse_number(s, mc.key);
    return s;
  }
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) {
    if (type == store::MetadataType::kFloat) return v.get<double>();
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      throw RowFailure("metadata `" + mc.key + "`: integer out of range", mc.key);
    return v.get<std::int64_t>();
  }
  if (v.is_number_float()) return v.get<double>();
  if (v.is_array()) {
    std::vector<std::string> terms;
    bool strings = true;
    for (const auto& e : v) {
      strings = strings && e.is_string();
      if (strings) terms.push_back(e.get<std::string>());
    }
    if (strings) return terms;
  }
  return store::RawJson{v.dump()};
}

std::string id_part(const json& v, const std::string& column) {
  if (v.is_string() && !v.get_ref<const std::string&>().empty()) return v.get<std::string>();
  if (v.is_number_integer()) return v.dump();
  throw RowFailure("external id column `" + column + "` must be a non-empty string or an integer",
                   column);
}

std::vector<store::SpanValue> parse_spans(const json& v, const std::string& column) {
  json list;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) return {};
    try {
      list = json::parse(s);
    } catch (const json::parse_error& e) {
      throw RowFailure("spans column `" + column + "`: invalid JSON: " + e.what(), column);
    }
  } else {
    list = v;
  }
  if (!list.is_array())
    throw RowFailure("spans column `" + column + "`: expected a JSON list of spans", column);
  std::vector<store::SpanValue> spans;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& s = list[i];
    auto bad = [&](const std::string& why) {
      return RowFailure(
          "spans column `" + column + "`: span at index " + std::to_string(i) + ": " + why, column);
    };
    if (!s.is_object()) throw bad("expected an object {\"start\", \"end\", \"label\"}");
    auto start = s.find("start"), end = s.find("end"), label = s.find("label");
    if (start == s.end() || !start->is_number_integer()) throw bad("`start` must be an integer");
    if (end == s.end() || !end->is_number_integer()) throw bad("`end` must be an integer");
    if (label == s.end() || !label->is_string()) throw bad("`label` must be a string");
    spans.push_back(
        {label->get<std::string>(), start->get<std::int64_t>(), end->get<std::int64_t>()});
  }
  return spans;
}

store::RecordInput to_record(const Plan& p, const ImportOptions& options, const json& row) {
  store::RecordInput in;
  for (const auto& [field, column] : p.field_columns) {
    const json* v = cell(row, column);
    if (v && v->is_string() && v->get_ref<const std::string&>().empty()) v = nullptr;
    if (!v) {
      if (field->required)
        throw RowFailure(
            "missing value for the required field `" + field->name + "` (column `" + column + "`)",
            field->name);
      continue;
    }
    if (!v->is_string())
      throw RowFailure("field `" + field->name + "` (column `" + column + "`) must be a string",
                       field->name);
    in.fields[field->name] = v->get<std::string>();
  }
  try {
    store::validate_record_fields(in.fields, p.fields);
  } catch (const Error& e) {
    throw RowFailure(e.what());
  }

  store::Metadata metadata;
  for (const auto& mc : p.metadata) {
    const json* v = cell(row, mc.column);
    if (!v) continue;
    if (auto value = metadata_value(*v, mc)) metadata[mc.key] = std::move(*value);
  }
  if (!metadata.empty() || p.metadata_explicit) {
    try {
      store::validate_record_metadata(metadata, p.properties, p.dataset.allow_extra_metadata,
                                      p.dataset.id);
    } catch (const Error& e) {
      throw RowFailure(e.what());
    }
    in.metadata = std::move(metadata);
  }

  if (p.external_id_default) {
    for (const char* column : {"external_id", "id"})
      if (const json* v = cell(row, column)) {
        in.external_id = id_part(*v, column);
        break;
      }
  } else if (!p.external_id.empty()) {
    std::string id;
    for (const auto& column : p.external_id) {
      const json* v = cell(row, column);
      if (!v) throw RowFailure("missing external id column `" + column + "`", column);
      id += (id.empty() ? "" : ":") + id_part(*v, column);
    }
    in.external_id = std::move(id);
  }

  if (p.spans_column) {
    const json* v = cell(row, *p.spans_column);
    // An empty CSV cell means "no spans given"; an explicit [] is a "no entities" answer.
    if (v && v->is_string() &&
        v->get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos)
      v = nullptr;
    if (v) {
      std::vector<store::SpanValue> spans = parse_spans(*v, *p.spans_column);
      const auto& q = *p.span_question;
      const auto& settings = std::get<store::SpanQuestionSettings>(q.settings);
      auto text = in.fields.find(settings.field);
      if (text == in.fields.end())
        throw RowFailure("spans need the field `" + settings.field + "`, which the row lacks",
                         *p.spans_column);
      try {
        store::validate_spans(spans, settings, q.name, text->second);
      } catch (const Error& e) {
        throw RowFailure(e.what(), *p.spans_column);
      }
      if (options.mapping.spans_as == SpansTarget::kSuggestion) {
        store::SuggestionInput s;
        s.question_id = q.id;
        s.question_name = q.name;
        s.value = std::move(spans);
        s.agent = options.mapping.agent;
        in.suggestions.push_back(std::move(s));
      } else {
        store::RecordResponseInput r;
        r.user_id = *options.user_id;
        r.status = store::ResponseStatus::kSubmitted;
        r.values[q.name] = std::move(spans);
        in.responses.push_back(std::move(r));
      }
    }
  }
  return in;
}

// ---- batches ----

class Importer {
 public:
  Importer(store::Store& store, const std::string& dataset_id, const ImportOptions& options,
           ImportResult& result)
      : store_(store), dataset_id_(dataset_id), options_(options), result_(result) {}

  void add_error(std::size_t row, std::string message, std::optional<std::string> field) {
    ++result_.error_count;
    if (result_.errors.size() < options_.max_errors_kept)
      result_.errors.push_back({row, std::move(message), std::move(field)});
  }

  void add(store::RecordInput in, std::size_t row) {
    // Two rows with one external id in a batch would be refused; the later one must win.
    if (in.external_id && !batch_ids_.insert(*in.external_id).second) flush();
    if (in.external_id) batch_ids_.insert(*in.external_id);
    batch_.push_back(std::move(in));
    rows_.push_back(row);
    if (batch_.size() >= options_.batch_size) flush();
  }

  void flush() {
    while (!batch_.empty()) {
      try {
        const store::BulkResult r = store_.bulk_upsert_records(dataset_id_, batch_);
        result_.imported += r.records.size();
        result_.updated += r.updated_ids.size();
        result_.created += r.records.size() - r.updated_ids.size();
        break;
      } catch (const Error& e) {
        // "record at position N is not valid because WHY": list the row, retry without it.
        const std::string what = e.what();
        const std::string prefix = "record at position ", because = " is not valid because ";
        const auto at = what.find(prefix), why = what.find(because);
        if (e.kind() != ErrorKind::kInvalidArgument || at == std::string::npos ||
            why == std::string::npos)
          throw;
        const std::size_t pos = std::strtoull(what.c_str() + at + prefix.size(), nullptr, 10);
        if (pos >= batch_.size()) throw;
        add_error(rows_[pos], what.substr(why + because.size()), std::nullopt);
        batch_.erase(batch_.begin() + static_cast<std::ptrdiff_t>(pos));
        rows_.erase(rows_.begin() + static_cast<std::ptrdiff_t>(pos));
      }
    }
    batch_.clear();
    rows_.clear();
    batch_ids_.clear();
  }

 private:
  store::Store& store_;
  const std::string& dataset_id_;
  const ImportOptions& options_;
  ImportResult& result_;
  std::vector<store::RecordInput> batch_;
  std::vector<std::size_t> rows_;
  std::set<std::string> batch_ids_;
};

}  // namespace

ImportResult import_records(store::Store& store, const std::string& dataset_id, std::istream& in,
                            const ImportOptions& options) {
  if (options.batch_size == 0) throw_invalid("import batch size must be at least 1");
  auto source = detail::make_row_source(options.format, in);
  const Plan plan = make_plan(store, dataset_id, options, source->header());
  if (plan.dataset.status != store::DatasetStatus::kReady)
    throw Error(ErrorKind::kFailedPrecondition, "records cannot be imported into dataset `" +
                                                    plan.dataset.name + "` before it is published");
  ImportResult result;
  Importer importer(store, dataset_id, options, result);
  detail::SourceRow row;
  while (source->next(row)) {
    if (++result.rows > options.max_rows)
      throw_invalid("line " + std::to_string(row.line) + ": more than " +
                    std::to_string(options.max_rows) + " rows in one import");
    if (row.problem) {
      importer.add_error(row.line, *row.problem, std::nullopt);
      continue;
    }
    try {
      importer.add(to_record(plan, options, row.values), row.line);
    } catch (const RowFailure& f) {
      importer.add_error(row.line, f.message(), f.field());
    }
  }
  importer.flush();
  return result;
}

std::string ImportResult::to_json() const {
  json j = {{"imported", imported}, {"created", created},         {"updated", updated},
            {"rows", rows},         {"error_count", error_count}, {"errors", json::array()}};
  for (const auto& e : errors) {
    json item = {{"row", e.row}, {"message", e.message}};
    if (e.field) item["field"] = *e.field;
    j["errors"].push_back(std::move(item));
  }
  return j.dump();
}

std::string ImportResult::to_text() const {
  std::ostringstream out;
  out << "rows: " << rows << ", imported: " << imported << " (created " << created << ", updated "
      << updated << "), errors: " << error_count << "\n";
  for (const auto& e : errors)
    out << "row " << e.row << (e.field ? " [" + *e.field + "]" : "") << ": " << e.message << "\n";
  if (error_count > errors.size())
    out << "... " << error_count - errors.size() << " more errors not listed\n";
  return out.str();
}

}  // namespace spanloop::dataio
