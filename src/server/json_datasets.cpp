// JSON for datasets, fields, metadata properties and vector settings.
#include "server/json_models.h"
#include "server/json_read.h"
#include "text/error.h"

namespace spanloop::server {

namespace jr = json_read;

json dataset_json(const store::Dataset& d) {
  return json{
      {"id", d.id},
      {"name", d.name},
      {"guidelines", d.guidelines ? json(*d.guidelines) : json(nullptr)},
      {"allow_extra_metadata", d.allow_extra_metadata},
      {"status", store::to_string(d.status)},
      {"distribution",
       {{"strategy", d.distribution.strategy}, {"min_submitted", d.distribution.min_submitted}}},
      {"metadata", d.metadata.empty() ? json(nullptr) : metadata_json(d.metadata)},
      {"workspace_id", d.workspace_id},
      {"last_activity_at", timestamp_json(d.updated_at)},
      {"inserted_at", timestamp_json(d.inserted_at)},
      {"updated_at", timestamp_json(d.updated_at)}};
}

namespace {

store::Distribution distribution_from_json(const json& value) {
  jr::object(value, "distribution");
  store::Distribution out;
  if (auto s = jr::opt_string(value, "strategy", "distribution")) {
    if (*s != "overlap") {
      throw_invalid("distribution strategy `" + *s + "` is not supported; use `overlap`");
    }
  }
  if (auto m = jr::opt_int(value, "min_submitted", "distribution")) out.min_submitted = *m;
  return out;
}

}  // namespace

store::DatasetCreate dataset_create_from_json(const json& body) {
  jr::object(body, "body");
  store::DatasetCreate d;
  d.name = jr::string(body, "name", "");
  d.workspace_id = jr::string(body, "workspace_id", "");
  d.guidelines = jr::opt_string(body, "guidelines", "");
  if (auto b = jr::opt_bool(body, "allow_extra_metadata", "")) d.allow_extra_metadata = *b;
  if (auto it = body.find("distribution"); it != body.end() && !it->is_null()) {
    d.distribution = distribution_from_json(*it);
  }
  if (auto it = body.find("metadata"); it != body.end() && !it->is_null()) {
    d.metadata = metadata_from_json(*it, "metadata");
  }
  return d;
}

store::DatasetUpdate dataset_update_from_json(const json& body) {
  jr::object(body, "body");
  store::DatasetUpdate u;
  u.name = jr::opt_string(body, "name", "");
  u.guidelines = jr::nullable_string(body, "guidelines", "");
  u.allow_extra_metadata = jr::opt_bool(body, "allow_extra_metadata", "");
  if (auto it = body.find("distribution"); it != body.end() && !it->is_null()) {
    u.distribution = distribution_from_json(*it);
  }
  if (auto it = body.find("metadata"); it != body.end()) {
    u.metadata = it->is_null() ? store::Metadata{} : metadata_from_json(*it, "metadata");
  }
  return u;
}

json field_json(const store::Field& f) {
  return json{{"id", f.id},
              {"name", f.name},
              {"title", f.title},
              {"required", f.required},
              {"settings", {{"type", "text"}, {"use_markdown", f.use_markdown}}},
              {"dataset_id", f.dataset_id},
              {"inserted_at", timestamp_json(f.inserted_at)},
              {"updated_at", timestamp_json(f.updated_at)}};
}

namespace {
// Field settings: only text fields exist in spanloop.
std::optional<bool> field_settings_markdown(const json& body) {
  auto it = body.find("settings");
  if (it == body.end() || it->is_null()) return std::nullopt;
  jr::object(*it, "settings");
  if (auto type = jr::opt_string(*it, "type", "settings"); type && *type != "text") {
    throw_invalid("field type `" + *type + "` is not supported; spanloop fields are `text`");
  }
  return jr::opt_bool(*it, "use_markdown", "settings");
}
}  // namespace

store::FieldCreate field_create_from_json(const json& body) {
  jr::object(body, "body");
  store::FieldCreate f;
  f.name = jr::string(body, "name", "");
  f.title = jr::opt_string(body, "title", "").value_or(f.name);
  if (auto r = jr::opt_bool(body, "required", "")) f.required = *r;
  if (auto m = field_settings_markdown(body)) f.use_markdown = *m;
  return f;
}

store::FieldUpdate field_update_from_json(const json& body) {
  jr::object(body, "body");
  store::FieldUpdate u;
  u.title = jr::opt_string(body, "title", "");
  u.required = jr::opt_bool(body, "required", "");
  u.use_markdown = field_settings_markdown(body);
  return u;
}

namespace {

json metadata_settings_json(const store::MetadataSettings& s) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, store::TermsMetadataSettings>) {
          return json{{"type", "terms"}, {"values", v.values ? json(*v.values) : json(nullptr)}};
        } else {
          json out{
              {"type", std::is_same_v<T, store::IntegerMetadataSettings> ? "integer" : "float"}};
          out["min"] = v.min ? json(*v.min) : json(nullptr);
          out["max"] = v.max ? json(*v.max) : json(nullptr);
          return out;
        }
      },
      s);
}

}  // namespace

json metadata_property_json(const store::MetadataProperty& p) {
  return json{{"id", p.id},
              {"name", p.name},
              {"title", p.title},
              {"settings", metadata_settings_json(p.settings)},
              {"visible_for_annotators", p.visible_for_annotators},
              {"dataset_id", p.dataset_id},
              {"inserted_at", timestamp_json(p.inserted_at)},
              {"updated_at", timestamp_json(p.updated_at)}};
}

store::MetadataPropertyCreate metadata_property_create_from_json(const json& body) {
  jr::object(body, "body");
  store::MetadataPropertyCreate p;
  p.name = jr::string(body, "name", "");
  p.title = jr::opt_string(body, "title", "").value_or(p.name);
  if (auto v = jr::opt_bool(body, "visible_for_annotators", "")) p.visible_for_annotators = *v;
  const json& s = jr::object(jr::required(body, "settings", ""), "settings");
  std::string type = jr::string(s, "type", "settings");
  if (type == "terms") {
    p.settings = store::TermsMetadataSettings{jr::opt_string_list(s, "values", "settings")};
  } else if (type == "integer") {
    p.settings = store::IntegerMetadataSettings{jr::opt_int(s, "min", "settings"),
                                                jr::opt_int(s, "max", "settings")};
  } else if (type == "float") {
    p.settings = store::FloatMetadataSettings{jr::opt_number(s, "min", "settings"),
                                              jr::opt_number(s, "max", "settings")};
  } else {
    throw_invalid("metadata property type `" + type + "` is not one of terms, integer, float");
  }
  return p;
}

store::MetadataPropertyUpdate metadata_property_update_from_json(const json& body) {
  jr::object(body, "body");
  store::MetadataPropertyUpdate u;
  u.title = jr::opt_string(body, "title", "");
  u.visible_for_annotators = jr::opt_bool(body, "visible_for_annotators", "");
  return u;
}

json metadata_metrics_json(const store::MetadataMetrics& m) {
  json out{{"type", store::to_string(m.type)}};
  if (m.type == store::MetadataType::kTerms) {
    out["total"] = m.total;
    json values = json::array();
    for (const auto& tc : m.values) values.push_back({{"term", tc.term}, {"count", tc.count}});
    out["values"] = std::move(values);
  } else {
    auto num = [&](const std::optional<double>& v) -> json {
      if (!v) return nullptr;
      if (m.type == store::MetadataType::kInteger) return static_cast<std::int64_t>(*v);
      return *v;
    };
    out["min"] = num(m.min);
    out["max"] = num(m.max);
  }
  return out;
}

json vector_settings_json(const store::VectorSettings& v) {
  return json{{"id", v.id},
              {"name", v.name},
              {"title", v.title},
              {"dimensions", v.dimensions},
              {"dataset_id", v.dataset_id},
              {"inserted_at", timestamp_json(v.inserted_at)},
              {"updated_at", timestamp_json(v.updated_at)}};
}

store::VectorSettingsCreate vector_settings_create_from_json(const json& body) {
  jr::object(body, "body");
  store::VectorSettingsCreate v;
  v.name = jr::string(body, "name", "");
  v.title = jr::opt_string(body, "title", "").value_or(v.name);
  v.dimensions = jr::as_int(jr::required(body, "dimensions", ""), "dimensions");
  return v;
}

}  // namespace spanloop::server
