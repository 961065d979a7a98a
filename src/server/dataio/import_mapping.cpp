// ImportMapping from its JSON form, and the import format names.
#include <nlohmann/json.hpp>

#include "server/dataio/import.h"
#include "text/error.h"

namespace spanloop::dataio {
namespace {

std::string mapping_string(const nlohmann::json& v, const std::string& where) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty())
    throw_invalid("mapping: `" + where + "` must be a non-empty string (a column name)");
  return v.get<std::string>();
}

std::map<std::string, std::string> mapping_object(const nlohmann::json& v,
                                                  const std::string& where) {
  if (!v.is_object())
    throw_invalid("mapping: `" + where + "` must be an object {\"name\": \"column\"}");
  std::map<std::string, std::string> out;
  for (const auto& [k, col] : v.items()) out[k] = mapping_string(col, where + "." + k);
  return out;
}

}  // namespace

ImportFormat parse_import_format(std::string_view name) {
  if (name == "csv") return ImportFormat::kCsv;
  if (name == "tsv") return ImportFormat::kTsv;
  if (name == "jsonl" || name == "ndjson") return ImportFormat::kJsonl;
  throw_invalid("unknown import format '" + std::string(name) + "' (expected csv, tsv or jsonl)");
}

ImportMapping ImportMapping::from_json(std::string_view text) {
  ImportMapping m;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return m;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw_invalid(std::string("mapping: invalid JSON: ") + e.what());
  }
  if (!j.is_object()) throw_invalid("mapping: expected a JSON object");
  for (const auto& [key, v] : j.items()) {
    if (key == "fields") {
      m.fields = mapping_object(v, key);
    } else if (key == "metadata") {
      m.metadata = mapping_object(v, key);
    } else if (key == "external_id") {
      if (v.is_array()) {
        if (v.empty()) throw_invalid("mapping: `external_id` must name at least one column");
        for (std::size_t i = 0; i < v.size(); ++i)
          m.external_id.push_back(mapping_string(v[i], "external_id[" + std::to_string(i) + "]"));
      } else if (!v.is_null()) {
        m.external_id.push_back(mapping_string(v, key));
      }
    } else if (key == "spans") {
      if (!v.is_null()) m.spans = mapping_string(v, key);
    } else if (key == "spans_question") {
      m.spans_question = mapping_string(v, key);
    } else if (key == "spans_as") {
      const std::string as = v.is_string() ? v.get<std::string>() : "";
      if (as == "suggestion")
        m.spans_as = SpansTarget::kSuggestion;
      else if (as == "response")
        m.spans_as = SpansTarget::kResponse;
      else
        throw_invalid("mapping: `spans_as` must be \"suggestion\" or \"response\"");
    } else if (key == "agent") {
      m.agent = mapping_string(v, key);
    } else {
      throw_invalid("mapping: unknown key `" + key +
                    "` (expected fields, metadata, external_id, spans, spans_question, spans_as, "
                    "agent)");
    }
  }
  return m;
}

}  // namespace spanloop::dataio
