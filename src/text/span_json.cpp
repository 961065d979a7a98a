// Spans <-> JSON.
#include "text/span_json.h"

#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::text::detail {
namespace {

std::optional<std::size_t> offset(const nlohmann::ordered_json& v) {
  if (v.is_number_unsigned()) return v.get<std::size_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
    return static_cast<std::size_t>(v.get<std::int64_t>());
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_json(std::string_view text, nlohmann::ordered_json& out) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth)
        return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  try {
    out = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return std::string("invalid JSON: ") + e.what();
  }
  return std::nullopt;
}

std::optional<std::string> spans_from_json(const nlohmann::ordered_json& array,
                                           std::size_t text_length, std::vector<Span>& out) {
  out.clear();
  if (array.is_null()) return std::nullopt;
  if (!array.is_array()) return "\"spans\" must be an array";
  for (std::size_t i = 0; i < array.size(); ++i) {
    const auto& s = array[i];
    const std::string name = "span #" + std::to_string(i);
    if (!s.is_object()) return name + " is not an object";
    const auto start = s.contains("start") ? offset(s["start"]) : std::nullopt;
    const auto end = s.contains("end") ? offset(s["end"]) : std::nullopt;
    if (!start) return name + ": \"start\" must be a non-negative integer";
    if (!end) return name + ": \"end\" must be a non-negative integer";
    if (!s.contains("label") || !s["label"].is_string())
      return name + ": \"label\" must be a string";
    Span span{*start, *end, s["label"].get<std::string>()};
    const std::string where = name + " [" + std::to_string(span.start) + ", " +
                              std::to_string(span.end) + ") '" + span.label + "'";
    if (span.end > text_length) {
      return where + " ends past the end of the text (" + std::to_string(text_length) +
             " code points)";
    }
    if (span.start >= span.end) return where + " is empty (start must be < end)";
    if (span.label.empty()) return name + ": the label is empty";
    out.push_back(std::move(span));
  }
  return std::nullopt;
}

std::string json_string(const std::string& s) {
  validate_utf8(s, "a string to write as JSON");
  return nlohmann::json(s).dump();
}

std::string spans_to_json(const std::vector<Span>& spans) {
  std::string out = "[";
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (i > 0) out += ", ";
    out += "{\"start\": " + std::to_string(spans[i].start) +
           ", \"end\": " + std::to_string(spans[i].end) +
           ", \"label\": " + json_string(spans[i].label) + "}";
  }
  return out + "]";
}

std::string extra_value(const std::string& record_id, const std::string& key,
                        const std::string& value) {
  const bool reserved = key == "id" || key == "text" || key == "spans" || key == "tokens" ||
                        key == "offsets" || key.rfind("ner_tags", 0) == 0;
  nlohmann::ordered_json parsed;
  if (reserved || parse_json(value, parsed)) {
    throw Error(ErrorKind::kInvalidArgument, "record '" + record_id + "': extra field '" + key +
                                                 "' is reserved or its value is not valid JSON");
  }
  return parsed.dump();
}

std::optional<std::string> id_from_json(const nlohmann::ordered_json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.dump();
  return std::nullopt;
}

}  // namespace spanloop::text::detail
