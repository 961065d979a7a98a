// Internal: spans and strings as JSON for the JSONL and CSV formats (nlohmann stays out of the
// public headers).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/record.h"

namespace spanloop::text::detail {

// Parses one JSON text. Returns the problem ("invalid JSON: ...", or nesting deeper than
// kMaxJsonDepth, which would exhaust the stack in nlohmann's recursive dump) or nullopt.
inline constexpr std::size_t kMaxJsonDepth = 512;
std::optional<std::string> parse_json(std::string_view text, nlohmann::ordered_json& out);

// Parses a JSON array of {"start", "end", "label"} objects into `out`, checking each span against
// the text length (code points). Returns the problem ("span #2: ...") or nullopt.
std::optional<std::string> spans_from_json(const nlohmann::ordered_json& array,
                                           std::size_t text_length, std::vector<Span>& out);
// [{"start":0,"end":4,"label":"X"},...]
std::string spans_to_json(const std::vector<Span>& spans);
// A JSON string literal (UTF-8 kept as is).
std::string json_string(const std::string& s);
// An extra field's JSON text on one line; throws InvalidArgument naming the record and field when
// it is not valid JSON or the name is one a format reserves (id, text, spans, tokens, ner_tags).
std::string extra_value(const std::string& record_id, const std::string& key,
                        const std::string& value);
// A record id from JSON: strings as they are, integers in decimal; nullopt for anything else.
std::optional<std::string> id_from_json(const nlohmann::ordered_json& value);

}  // namespace spanloop::text::detail
