// JSON for questions and their settings (reference §1.3).
#include "server/json_models.h"
#include "server/json_read.h"
#include "text/error.h"

namespace spanloop::server {

namespace jr = json_read;

json label_option_json(const store::LabelOption& o) {
  json out{{"value", o.value},
           {"text", o.text},
           {"description", o.description ? json(*o.description) : json(nullptr)}};
  if (o.color) out["color"] = *o.color;
  return out;
}

namespace {

json options_json(const std::vector<store::LabelOption>& options) {
  json out = json::array();
  for (const auto& o : options) out.push_back(label_option_json(o));
  return out;
}

json optional_int(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

std::vector<store::LabelOption> options_from_json(const json& value, std::string_view where) {
  if (!value.is_array()) throw_invalid("`" + std::string(where) + "` must be a list of options");
  std::vector<store::LabelOption> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string at = std::string(where) + "[" + std::to_string(i) + "]";
    const json& o = value[i];
    store::LabelOption opt;
    if (o.is_string()) {  // tolerate the SDK's plain label lists
      opt.value = opt.text = o.get<std::string>();
    } else {
      jr::object(o, at);
      opt.value = jr::string(o, "value", at);
      opt.text = jr::opt_string(o, "text", at).value_or(opt.value);
      opt.description = jr::opt_string(o, "description", at);
      opt.color = jr::opt_string(o, "color", at);
    }
    out.push_back(std::move(opt));
  }
  return out;
}

std::vector<std::int64_t> rating_values_from_json(const json& value, std::string_view where) {
  if (!value.is_array()) throw_invalid("`" + std::string(where) + "` must be a list");
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string at = std::string(where) + "[" + std::to_string(i) + "]";
    const json& o = value[i];
    out.push_back(o.is_object() ? jr::as_int(jr::required(o, "value", at), at + ".value")
                                : jr::as_int(o, at));
  }
  return out;
}

// visible_options: key absent -> keep `current`; null -> none.
std::optional<std::int64_t> visible_options(const json& s, std::optional<std::int64_t> current) {
  auto it = s.find("visible_options");
  if (it == s.end()) return current;
  if (it->is_null()) return std::nullopt;
  return jr::as_int(*it, "settings.visible_options");
}

// Fills `settings` (already of the right alternative) from the keys present in `s`.
void apply_settings(store::QuestionSettings& settings, const json& s) {
  std::visit(
      [&](auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, store::TextQuestionSettings>) {
          if (auto m = jr::opt_bool(s, "use_markdown", "settings")) v.use_markdown = *m;
        } else if constexpr (std::is_same_v<T, store::RatingQuestionSettings>) {
          if (auto it = s.find("options"); it != s.end() && !it->is_null()) {
            v.values = rating_values_from_json(*it, "settings.options");
          }
        } else {
          if (auto it = s.find("options"); it != s.end() && !it->is_null()) {
            v.options = options_from_json(*it, "settings.options");
          }
          v.visible_options = visible_options(s, v.visible_options);
          if constexpr (std::is_same_v<T, store::MultiLabelSelectionSettings>) {
            if (auto o = jr::opt_string(s, "options_order", "settings")) v.options_order = *o;
          }
          if constexpr (std::is_same_v<T, store::SpanQuestionSettings>) {
            if (auto f = jr::opt_string(s, "field", "settings")) v.field = *f;
            if (auto a = jr::opt_bool(s, "allow_overlapping", "settings")) v.allow_overlapping = *a;
          }
        }
      },
      settings);
}

store::QuestionSettings empty_settings(store::QuestionType type) {
  switch (type) {
    case store::QuestionType::kText:
      return store::TextQuestionSettings{};
    case store::QuestionType::kRating:
      return store::RatingQuestionSettings{};
    case store::QuestionType::kLabelSelection:
      return store::LabelSelectionSettings{};
    case store::QuestionType::kMultiLabelSelection:
      return store::MultiLabelSelectionSettings{};
    case store::QuestionType::kSpan:
      return store::SpanQuestionSettings{};
  }
  return store::TextQuestionSettings{};
}

}  // namespace

json question_settings_json(const store::QuestionSettings& settings) {
  json out{{"type", store::to_string(store::question_type(settings))}};
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, store::TextQuestionSettings>) {
          out["use_markdown"] = v.use_markdown;
        } else if constexpr (std::is_same_v<T, store::RatingQuestionSettings>) {
          json opts = json::array();
          for (auto value : v.values) opts.push_back({{"value", value}});
          out["options"] = std::move(opts);
        } else {
          if constexpr (std::is_same_v<T, store::SpanQuestionSettings>) out["field"] = v.field;
          out["options"] = options_json(v.options);
          out["visible_options"] = optional_int(v.visible_options);
          if constexpr (std::is_same_v<T, store::MultiLabelSelectionSettings>) {
            out["options_order"] = v.options_order;
          }
          if constexpr (std::is_same_v<T, store::SpanQuestionSettings>) {
            out["allow_overlapping"] = v.allow_overlapping;
            out["allow_character_annotation"] = true;
          }
        }
      },
      settings);
  return out;
}

json question_json(const store::Question& q) {
  return json{{"id", q.id},
              {"name", q.name},
              {"title", q.title},
              {"description", q.description ? json(*q.description) : json(nullptr)},
              {"required", q.required},
              {"settings", question_settings_json(q.settings)},
              {"dataset_id", q.dataset_id},
              {"inserted_at", timestamp_json(q.inserted_at)},
              {"updated_at", timestamp_json(q.updated_at)}};
}

store::QuestionSettings question_settings_from_json(const json& s) {
  jr::object(s, "settings");
  std::string type = jr::string(s, "type", "settings");
  auto parsed = store::parse_question_type(type);
  if (!parsed) {
    throw_invalid("question type `" + type +
                  "` is not one of text, rating, label_selection, multi_label_selection, span");
  }
  auto settings = empty_settings(*parsed);
  apply_settings(settings, s);
  return settings;
}

store::QuestionCreate question_create_from_json(const json& body) {
  jr::object(body, "body");
  store::QuestionCreate q;
  q.name = jr::string(body, "name", "");
  q.title = jr::opt_string(body, "title", "").value_or(q.name);
  q.description = jr::opt_string(body, "description", "");
  if (auto r = jr::opt_bool(body, "required", "")) q.required = *r;
  q.settings = question_settings_from_json(jr::required(body, "settings", ""));
  return q;
}

store::QuestionUpdate question_update_from_json(const json& body, const store::Question& current) {
  jr::object(body, "body");
  store::QuestionUpdate u;
  u.title = jr::opt_string(body, "title", "");
  u.description = jr::nullable_string(body, "description", "");
  u.required = jr::opt_bool(body, "required", "");
  if (auto it = body.find("settings"); it != body.end() && !it->is_null()) {
    jr::object(*it, "settings");
    auto current_type = store::to_string(store::question_type(current.settings));
    if (auto type = jr::opt_string(*it, "type", "settings"); type && *type != current_type) {
      throw_invalid("question `" + current.name + "` is of type `" + std::string(current_type) +
                    "`; its type cannot change to `" + *type + "`");
    }
    auto settings = current.settings;
    apply_settings(settings, *it);
    u.settings = std::move(settings);
  }
  return u;
}

}  // namespace spanloop::server
