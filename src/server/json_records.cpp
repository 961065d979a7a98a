// Records, responses, suggestions and search bodies as Argilla v2 JSON.
#include "server/json_records.h"

#include "server/json_models.h"
#include "server/json_read.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

std::string at(std::string_view where, std::string_view key) {
  return std::string(where) + "." + std::string(key);
}
std::string at(std::string_view where, std::size_t index) {
  return std::string(where) + "[" + std::to_string(index) + "]";
}

const json* member(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

std::vector<float> vector_from_json(const json& v, std::string_view where) {
  if (!v.is_array()) throw_invalid("`" + std::string(where) + "` must be a list of numbers");
  std::vector<float> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    out.push_back(static_cast<float>(json_read::as_number(v[i], at(where, i))));
  return out;
}

store::Vectors vectors_from_json(const json& v, std::string_view where) {
  json_read::object(v, where);
  store::Vectors out;
  for (const auto& [name, values] : v.items())
    out[name] = vector_from_json(values, at(where, name));
  return out;
}

}  // namespace

store::AnswerValue answer_value_from_json(const json& v, std::string_view where) {
  const std::string w(where);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  }
  if (v.is_array()) {
    if (v.empty()) return std::vector<store::SpanValue>{};
    if (v[0].is_string()) {
      std::vector<std::string> labels;
      for (std::size_t i = 0; i < v.size(); ++i)
        labels.push_back(json_read::as_string(v[i], at(w, i)));
      return labels;
    }
    if (v[0].is_object()) {
      std::vector<store::SpanValue> spans;
      spans.reserve(v.size());
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string item = at(w, i);
        const json& s = json_read::object(v[i], item);
        store::SpanValue span;
        span.label = json_read::as_string(json_read::required(s, "label", item), at(item, "label"));
        span.start = json_read::as_int(json_read::required(s, "start", item), at(item, "start"));
        span.end = json_read::as_int(json_read::required(s, "end", item), at(item, "end"));
        spans.push_back(std::move(span));
      }
      return spans;
    }
  }
  throw_invalid("`" + w +
                "` must be a string, an integer, a list of strings or a list of spans "
                "{label, start, end}");
}

json answer_value_json(const store::AnswerValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<store::SpanValue>>) {
          json out = json::array();
          for (const auto& s : v)
            out.push_back({{"label", s.label}, {"start", s.start}, {"end", s.end}});
          return out;
        } else {
          return v;
        }
      },
      value);
}

store::ResponseValues response_values_from_json(const json& values, std::string_view where) {
  json_read::object(values, where);
  store::ResponseValues out;
  for (const auto& [question, v] : values.items()) {
    const std::string w = at(where, question);
    const json& obj = json_read::object(v, w);
    out[question] = answer_value_from_json(json_read::required(obj, "value", w), at(w, "value"));
  }
  return out;
}

json response_values_json(const store::ResponseValues& values) {
  json out = json::object();
  for (const auto& [q, v] : values) out[q] = {{"value", answer_value_json(v)}};
  return out;
}

json response_json(const store::Response& r) {
  return json{{"id", r.id},
              {"values", response_values_json(r.values)},
              {"status", store::to_string(r.status)},
              {"record_id", r.record_id},
              {"user_id", r.user_id},
              {"inserted_at", timestamp_json(r.inserted_at)},
              {"updated_at", timestamp_json(r.updated_at)}};
}

store::ResponseInput response_input_from_json(const json& body, std::string_view where) {
  json_read::object(body, where);
  store::ResponseInput in;
  const std::string status = json_read::string(body, "status", where);
  auto parsed = store::parse_response_status(status);
  if (!parsed)
    throw_invalid("`" + at(where, "status") + "` must be draft, submitted or discarded, not `" +
                  status + "`");
  in.status = *parsed;
  if (const json* values = member(body, "values"))
    in.values = response_values_from_json(*values, at(where, "values"));
  return in;
}

json suggestion_json(const store::Suggestion& s) {
  json score = nullptr;
  if (auto* d = std::get_if<double>(&s.score)) score = *d;
  if (auto* l = std::get_if<std::vector<double>>(&s.score)) score = *l;
  return json{{"id", s.id},
              {"question_id", s.question_id},
              {"question_name", s.question_name},
              {"type", s.type ? json(store::to_string(*s.type)) : json(nullptr)},
              {"value", answer_value_json(s.value)},
              {"score", score},
              {"agent", s.agent ? json(*s.agent) : json(nullptr)},
              {"record_id", s.record_id},
              {"inserted_at", timestamp_json(s.inserted_at)},
              {"updated_at", timestamp_json(s.updated_at)}};
}

store::SuggestionInput suggestion_input_from_json(const json& body, std::string_view where) {
  json_read::object(body, where);
  store::SuggestionInput in;
  in.question_id = json_read::opt_string(body, "question_id", where).value_or("");
  in.question_name = json_read::opt_string(body, "question_name", where).value_or("");
  if (in.question_id.empty() && in.question_name.empty())
    throw_invalid("missing required key `" + at(where, "question_id") + "`");
  in.value = answer_value_from_json(json_read::required(body, "value", where), at(where, "value"));
  if (const json* score = member(body, "score")) {
    if (score->is_array()) {
      std::vector<double> scores;
      for (std::size_t i = 0; i < score->size(); ++i)
        scores.push_back(json_read::as_number((*score)[i], at(at(where, "score"), i)));
      in.score = std::move(scores);
    } else {
      in.score = json_read::as_number(*score, at(where, "score"));
    }
  }
  in.agent = json_read::opt_string(body, "agent", where);
  if (auto type = json_read::opt_string(body, "type", where)) {
    in.type = store::parse_suggestion_type(*type);
    if (!in.type)
      throw_invalid("`" + at(where, "type") + "` must be model or human, not `" + *type + "`");
  }
  return in;
}

namespace {
// The records of one write share their timestamps: format each distinct one once.
const std::string& timestamp_text(store::Timestamp t) {
  thread_local store::Timestamp last = -1;
  thread_local std::string text;
  if (t != last) {
    text = store::format_timestamp(t);
    last = t;
  }
  return text;
}
}  // namespace

void write_record(JsonWriter& w, const store::Record& r) {
  w.begin_object();
  w.key("id").string(r.id);
  w.key("status").string(store::to_string(r.status));
  w.key("fields").begin_object();
  for (const auto& [name, text] : r.fields) w.key(name).string(text);
  w.end_object();
  w.key("metadata");
  r.metadata.empty() ? w.begin_object().end_object() : w.value(metadata_json(r.metadata));
  w.key("external_id");
  r.external_id ? w.string(*r.external_id) : w.null();
  w.key("dataset_id").string(r.dataset_id);
  w.key("inserted_at").string(timestamp_text(r.inserted_at));
  w.key("updated_at").string(timestamp_text(r.updated_at));
  if (r.responses) {
    w.key("responses").begin_array();
    for (const auto& x : *r.responses) w.value(response_json(x));
    w.end_array();
  }
  if (r.suggestions) {
    w.key("suggestions").begin_array();
    for (const auto& x : *r.suggestions) w.value(suggestion_json(x));
    w.end_array();
  }
  if (r.vectors) w.key("vectors").value(*r.vectors);
  w.end_object();
}

std::string search_result_json(const store::SearchResult& result, bool with_scores) {
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& hit : result.items) {
    if (!with_scores) {
      write_record(w, hit.record);
      continue;
    }
    w.begin_object().key("record");
    write_record(w, hit.record);
    w.key("query_score").value(hit.query_score).end_object();
  }
  w.end_array().key("total").number(result.total);
  if (result.next_cursor) w.key("next_cursor").string(*result.next_cursor);
  return w.end_object().take();
}

store::RecordInput record_input_from_json(const json& item, std::string_view where) {
  json_read::object(item, where);
  store::RecordInput in;
  in.id = json_read::opt_string(item, "id", where);
  if (const json* ext = member(item, "external_id")) {
    if (ext->is_number_integer())
      in.external_id = ext->dump();
    else
      in.external_id = json_read::as_string(*ext, at(where, "external_id"));
  }
  if (const json* fields = member(item, "fields")) {
    json_read::object(*fields, at(where, "fields"));
    for (const auto& [name, v] : fields->items()) {
      if (v.is_null()) continue;
      in.fields[name] = json_read::as_string(v, at(at(where, "fields"), name));
    }
  }
  if (item.contains("metadata")) {
    const json& m = item["metadata"];
    in.metadata = m.is_null() ? store::Metadata{} : metadata_from_json(m, at(where, "metadata"));
  }
  if (const json* vectors = member(item, "vectors"))
    in.vectors = vectors_from_json(*vectors, at(where, "vectors"));
  if (const json* suggestions = member(item, "suggestions")) {
    if (!suggestions->is_array())
      throw_invalid("`" + at(where, "suggestions") + "` must be a list");
    for (std::size_t i = 0; i < suggestions->size(); ++i)
      in.suggestions.push_back(
          suggestion_input_from_json((*suggestions)[i], at(at(where, "suggestions"), i)));
  }
  if (const json* responses = member(item, "responses")) {
    if (!responses->is_array()) throw_invalid("`" + at(where, "responses") + "` must be a list");
    for (std::size_t i = 0; i < responses->size(); ++i) {
      const std::string w = at(at(where, "responses"), i);
      const json& r = (*responses)[i];
      store::ResponseInput parsed = response_input_from_json(r, w);
      store::RecordResponseInput out;
      out.user_id = json_read::string(r, "user_id", w);
      out.status = parsed.status;
      out.values = std::move(parsed.values);
      in.responses.push_back(std::move(out));
    }
  }
  return in;
}

store::RecordUpdate record_update_from_json(const json& body) {
  json_read::object(body, "body");
  store::RecordUpdate u;
  if (body.contains("metadata")) {
    const json& m = body["metadata"];
    u.metadata = m.is_null() ? store::Metadata{} : metadata_from_json(m, "metadata");
  }
  if (const json* suggestions = member(body, "suggestions")) {
    if (!suggestions->is_array()) throw_invalid("`suggestions` must be a list");
    std::vector<store::SuggestionInput> list;
    for (std::size_t i = 0; i < suggestions->size(); ++i)
      list.push_back(suggestion_input_from_json((*suggestions)[i], at("suggestions", i)));
    u.suggestions = std::move(list);
  }
  if (const json* vectors = member(body, "vectors"))
    u.vectors = vectors_from_json(*vectors, "vectors");
  return u;
}

store::RecordInclude record_include_from_params(const std::vector<std::string>& values) {
  store::RecordInclude include;
  for (const auto& raw : values) {
    // Tolerate include=responses,suggestions as well as repeated parameters.
    std::size_t pos = 0;
    while (pos <= raw.size()) {
      std::size_t comma = raw.find(',', pos);
      std::string v = raw.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      pos = comma == std::string::npos ? raw.size() + 1 : comma + 1;
      if (v.rfind("vectors:", 0) == 0) {
        include.vectors = true;
        // vectors:a,b -> the rest of the comma list are names
        include.vector_names.push_back(v.substr(8));
        while (pos <= raw.size()) {
          comma = raw.find(',', pos);
          include.vector_names.push_back(
              raw.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
          pos = comma == std::string::npos ? raw.size() + 1 : comma + 1;
        }
        break;
      }
      if (v == "responses")
        include.responses = true;
      else if (v == "suggestions")
        include.suggestions = true;
      else if (v == "vectors")
        include.vectors = true;
      else if (!v.empty())
        throw_invalid("`include` must be responses, suggestions or vectors[:name,...], not `" + v +
                      "`");
    }
  }
  return include;
}

namespace {

store::FilterScope scope_from_json(const json& s, const std::string& where) {
  json_read::object(s, where);
  store::FilterScope scope;
  const std::string entity = json_read::string(s, "entity", where);
  if (entity == "record")
    scope.entity = store::ScopeEntity::kRecord;
  else if (entity == "response")
    scope.entity = store::ScopeEntity::kResponse;
  else if (entity == "suggestion")
    scope.entity = store::ScopeEntity::kSuggestion;
  else if (entity == "metadata")
    scope.entity = store::ScopeEntity::kMetadata;
  else
    throw_invalid("`" + where + ".entity` must be record, response, suggestion or metadata, not `" +
                  entity + "`");
  scope.property = json_read::opt_string(s, "property", where).value_or("");
  scope.question = json_read::opt_string(s, "question", where).value_or("");
  scope.metadata_property = json_read::opt_string(s, "metadata_property", where).value_or("");
  if (scope.entity == store::ScopeEntity::kMetadata && scope.metadata_property.empty())
    scope.metadata_property = json_read::opt_string(s, "name", where).value_or("");
  return scope;
}

store::Filter filter_from_json(const json& f, const std::string& where) {
  json_read::object(f, where);
  const std::string type = json_read::string(f, "type", where);
  store::FilterScope scope =
      scope_from_json(json_read::required(f, "scope", where), where + ".scope");
  if (type == "terms") {
    store::TermsFilter t;
    t.scope = std::move(scope);
    const json& values = json_read::required(f, "values", where);
    if (!values.is_array()) throw_invalid("`" + where + ".values` must be a list");
    for (std::size_t i = 0; i < values.size(); ++i) {
      const json& v = values[i];
      t.values.push_back(v.is_number() ? v.dump()
                                       : json_read::as_string(v, at(where + ".values", i)));
    }
    return t;
  }
  if (type == "range") {
    store::RangeFilter r;
    r.scope = std::move(scope);
    r.ge = json_read::opt_number(f, "ge", where);
    r.le = json_read::opt_number(f, "le", where);
    if (!r.ge && !r.le) throw_invalid("`" + where + "` needs `ge`, `le` or both");
    return r;
  }
  throw_invalid("`" + where + ".type` must be terms or range, not `" + type + "`");
}

}  // namespace

void search_body_into(const json& body, store::SearchQuery& query) {
  json_read::object(body, "body");
  if (const json* q = member(body, "query")) {
    json_read::object(*q, "query");
    if (member(*q, "vector"))
      throw_invalid("`query.vector`: similarity search is not supported by this server");
    if (const json* text = member(*q, "text")) {
      json_read::object(*text, "query.text");
      store::TextQuery t;
      t.q = json_read::string(*text, "q", "query.text");
      t.field = json_read::opt_string(*text, "field", "query.text");
      query.text = std::move(t);
    }
  }
  if (const json* filters = member(body, "filters")) {
    json_read::object(*filters, "filters");
    const json& list = json_read::required(*filters, "and", "filters");
    if (!list.is_array()) throw_invalid("`filters.and` must be a list");
    for (std::size_t i = 0; i < list.size(); ++i)
      query.filters.push_back(filter_from_json(list[i], at("filters.and", i)));
  }
  if (const json* sort = member(body, "sort")) {
    if (!sort->is_array()) throw_invalid("`sort` must be a list");
    for (std::size_t i = 0; i < sort->size(); ++i) {
      const std::string w = at("sort", i);
      const json& s = json_read::object((*sort)[i], w);
      store::SortKey key;
      key.scope = scope_from_json(json_read::required(s, "scope", w), w + ".scope");
      const std::string order = json_read::opt_string(s, "order", w).value_or("asc");
      if (order == "asc")
        key.order = store::SortOrder::kAsc;
      else if (order == "desc")
        key.order = store::SortOrder::kDesc;
      else
        throw_invalid("`" + w + ".order` must be asc or desc, not `" + order + "`");
      query.sort.push_back(std::move(key));
    }
  }
  if (auto cursor = json_read::opt_string(body, "cursor", "body")) query.cursor = *cursor;
}

}  // namespace spanloop::server
