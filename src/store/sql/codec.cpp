// JSON column encoding with nlohmann_json; decoding trusts what encode wrote but still fails
// with a clear Internal error on a corrupt column instead of crashing.
#include "store/sql/codec.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "text/error.h"

namespace spanloop::store::sql {
namespace {

using nlohmann::json;

json parse(std::string_view text, std::string_view what) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw Error(ErrorKind::kInternal, "corrupt " + std::string(what) + " column: " + e.what());
  }
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json metadata_value_to_json(const MetadataValue& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, RawJson>) {
          return parse(x.text, "metadata");
        } else {
          return x;
        }
      },
      v);
}

MetadataValue json_to_metadata_value(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return std::monostate{};
    case json::value_t::boolean:
      return j.get<bool>();
    case json::value_t::number_integer:
      return j.get<std::int64_t>();
    case json::value_t::number_unsigned: {
      const auto u = j.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
      return static_cast<double>(u);
    }
    case json::value_t::number_float:
      return j.get<double>();
    case json::value_t::string:
      return j.get<std::string>();
    case json::value_t::array: {
      bool all_strings = true;
      for (const auto& e : j) all_strings = all_strings && e.is_string();
      if (all_strings && !j.empty()) return j.get<std::vector<std::string>>();
      return RawJson{dump(j)};
    }
    default:
      return RawJson{dump(j)};
  }
}

json option_to_json(const LabelOption& o) {
  json j{{"value", o.value}, {"text", o.text}};
  j["description"] = o.description ? json(*o.description) : json(nullptr);
  if (o.color) j["color"] = *o.color;
  return j;
}

LabelOption option_from_json(const json& j) {
  LabelOption o;
  o.value = j.at("value").get<std::string>();
  o.text = j.at("text").get<std::string>();
  if (j.contains("description") && j["description"].is_string())
    o.description = j["description"].get<std::string>();
  if (j.contains("color") && j["color"].is_string()) o.color = j["color"].get<std::string>();
  return o;
}

json options_to_json(const std::vector<LabelOption>& options) {
  json a = json::array();
  for (const auto& o : options) a.push_back(option_to_json(o));
  return a;
}

std::vector<LabelOption> options_from_json(const json& j) {
  std::vector<LabelOption> out;
  for (const auto& o : j) out.push_back(option_from_json(o));
  return out;
}

json opt_int(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}
std::optional<std::int64_t> get_opt_int(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<std::int64_t>();
}
std::optional<double> get_opt_double(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<double>();
}

json answer_to_json(const AnswerValue& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::vector<SpanValue>>) {
          json a = json::array();
          for (const auto& s : x)
            a.push_back({{"label", s.label}, {"start", s.start}, {"end", s.end}});
          return a;
        } else {
          return x;
        }
      },
      v);
}

AnswerValue answer_from_json(const json& j, std::optional<QuestionType> hint) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_array()) {
    if (j.empty())
      return hint == QuestionType::kSpan ? AnswerValue(std::vector<SpanValue>{})
                                         : AnswerValue(std::vector<std::string>{});
    if (j.front().is_object()) {
      std::vector<SpanValue> spans;
      spans.reserve(j.size());
      for (const auto& s : j)
        spans.push_back({s.at("label").get<std::string>(), s.at("start").get<std::int64_t>(),
                         s.at("end").get<std::int64_t>()});
      return spans;
    }
    return j.get<std::vector<std::string>>();
  }
  throw Error(ErrorKind::kInternal, "corrupt answer value: " + dump(j));
}

}  // namespace

std::string encode_metadata(const Metadata& metadata) {
  json j = json::object();
  for (const auto& [k, v] : metadata) j[k] = metadata_value_to_json(v);
  return dump(j);
}

Metadata decode_metadata(std::string_view text) {
  Metadata out;
  const json j = parse(text, "metadata");
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) out.emplace(k, json_to_metadata_value(v));
  return out;
}

std::string encode_question_settings(const QuestionSettings& settings) {
  json j = std::visit(
      [](const auto& s) -> json {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, TextQuestionSettings>) {
          return {{"use_markdown", s.use_markdown}};
        } else if constexpr (std::is_same_v<T, RatingQuestionSettings>) {
          return {{"values", s.values}};
        } else if constexpr (std::is_same_v<T, LabelSelectionSettings>) {
          return {{"options", options_to_json(s.options)},
                  {"visible_options", opt_int(s.visible_options)}};
        } else if constexpr (std::is_same_v<T, MultiLabelSelectionSettings>) {
          return {{"options", options_to_json(s.options)},
                  {"visible_options", opt_int(s.visible_options)},
                  {"options_order", s.options_order}};
        } else {
          return {{"field", s.field},
                  {"options", options_to_json(s.options)},
                  {"visible_options", opt_int(s.visible_options)},
                  {"allow_overlapping", s.allow_overlapping}};
        }
      },
      settings);
  return dump(j);
}

QuestionSettings decode_question_settings(QuestionType type, std::string_view text) {
  const json j = parse(text, "question settings");
  try {
    switch (type) {
      case QuestionType::kText:
        return TextQuestionSettings{j.value("use_markdown", false)};
      case QuestionType::kRating:
        return RatingQuestionSettings{j.at("values").get<std::vector<std::int64_t>>()};
      case QuestionType::kLabelSelection:
        return LabelSelectionSettings{options_from_json(j.at("options")),
                                      get_opt_int(j, "visible_options")};
      case QuestionType::kMultiLabelSelection:
        return MultiLabelSelectionSettings{options_from_json(j.at("options")),
                                           get_opt_int(j, "visible_options"),
                                           j.value("options_order", std::string("natural"))};
      case QuestionType::kSpan:
        return SpanQuestionSettings{
            j.at("field").get<std::string>(), options_from_json(j.at("options")),
            get_opt_int(j, "visible_options"), j.value("allow_overlapping", false)};
    }
  } catch (const json::exception& e) {
    throw Error(ErrorKind::kInternal, std::string("corrupt question settings: ") + e.what());
  }
  throw Error(ErrorKind::kInternal, "unknown question type");
}

std::string encode_metadata_settings(const MetadataSettings& settings) {
  json j = std::visit(
      [](const auto& s) -> json {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, TermsMetadataSettings>) {
          return {{"values", s.values ? json(*s.values) : json(nullptr)}};
        } else {
          return {{"min", s.min ? json(*s.min) : json(nullptr)},
                  {"max", s.max ? json(*s.max) : json(nullptr)}};
        }
      },
      settings);
  return dump(j);
}

MetadataSettings decode_metadata_settings(MetadataType type, std::string_view text) {
  const json j = parse(text, "metadata settings");
  try {
    switch (type) {
      case MetadataType::kTerms: {
        TermsMetadataSettings s;
        if (j.contains("values") && j["values"].is_array())
          s.values = j["values"].get<std::vector<std::string>>();
        return s;
      }
      case MetadataType::kInteger:
        return IntegerMetadataSettings{get_opt_int(j, "min"), get_opt_int(j, "max")};
      case MetadataType::kFloat:
        return FloatMetadataSettings{get_opt_double(j, "min"), get_opt_double(j, "max")};
    }
  } catch (const json::exception& e) {
    throw Error(ErrorKind::kInternal, std::string("corrupt metadata settings: ") + e.what());
  }
  throw Error(ErrorKind::kInternal, "unknown metadata type");
}

std::string encode_answer(const AnswerValue& value) {
  return dump(answer_to_json(value));
}

AnswerValue decode_answer(std::string_view text, std::optional<QuestionType> hint) {
  try {
    return answer_from_json(parse(text, "answer"), hint);
  } catch (const json::exception& e) {
    throw Error(ErrorKind::kInternal, std::string("corrupt answer value: ") + e.what());
  }
}

std::string encode_response_values(const ResponseValues& values) {
  json j = json::object();
  for (const auto& [k, v] : values) j[k] = answer_to_json(v);
  return dump(j);
}

ResponseValues decode_response_values(
    std::string_view text,
    const std::function<std::optional<QuestionType>(const std::string&)>& type_of) {
  ResponseValues out;
  const json j = parse(text, "response values");
  try {
    for (const auto& [k, v] : j.items()) out.emplace(k, answer_from_json(v, type_of(k)));
  } catch (const json::exception& e) {
    throw Error(ErrorKind::kInternal, std::string("corrupt response values: ") + e.what());
  }
  return out;
}

std::string encode_score(const SuggestionScore& score) {
  if (std::holds_alternative<std::monostate>(score)) return "null";
  if (auto* d = std::get_if<double>(&score)) return dump(json(*d));
  return dump(json(std::get<std::vector<double>>(score)));
}

SuggestionScore decode_score(std::string_view text) {
  const json j = parse(text, "score");
  if (j.is_number()) return j.get<double>();
  if (j.is_array()) return j.get<std::vector<double>>();
  return std::monostate{};
}

std::string encode_vector(const std::vector<float>& v) {
  std::string out(v.size() * sizeof(float), '\0');
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());  // x86-64 and arm64: LE
  return out;
}

std::vector<float> decode_vector(std::string_view bytes) {
  std::vector<float> out(bytes.size() / sizeof(float));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

}  // namespace spanloop::store::sql
