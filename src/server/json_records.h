// JSON <-> store structs for records, responses, suggestions and search queries (reference
// §1.4-1.5). Parsing errors are 422s naming the key ("items[3].suggestions[0].score").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "server/json_writer.h"
#include "store/model.h"
#include "store/search.h"

namespace spanloop::server {

using nlohmann::json;

// ---- answers ----
// string -> text/label; integer -> rating; list of strings -> multi-label; list of
// {label, start, end} -> spans; [] -> either (the store normalizes by question type).
store::AnswerValue answer_value_from_json(const json& value, std::string_view where);
json answer_value_json(const store::AnswerValue& value);
// {"question": {"value": ...}} <-> ResponseValues.
store::ResponseValues response_values_from_json(const json& values, std::string_view where);
json response_values_json(const store::ResponseValues& values);

// ---- responses and suggestions ----
json response_json(const store::Response& response);
// {"status", "values"?}; `status` required.
store::ResponseInput response_input_from_json(const json& body, std::string_view where);
json suggestion_json(const store::Suggestion& suggestion);
// {"question_id" (or "question_name"), "value", "score"?, "agent"?, "type"?}.
store::SuggestionInput suggestion_input_from_json(const json& body, std::string_view where);

// ---- records ----
// The record shape of every records route; responses, suggestions and vectors when loaded.
void write_record(JsonWriter& w, const store::Record& record);
// A page of records: {"items", "total", "next_cursor"?}; items are the records themselves (GET
// .../records) or, with_scores, {"record", "query_score"} (search).
std::string search_result_json(const store::SearchResult& result, bool with_scores);
// A bulk item: {id?, external_id?, fields, metadata?, vectors?, suggestions?, responses?}.
store::RecordInput record_input_from_json(const json& item, std::string_view where);
// PATCH /records/{id}: {metadata?, suggestions?, vectors?}.
store::RecordUpdate record_update_from_json(const json& body);

// ---- search ----
// include=responses&include=suggestions&include=vectors[:a,b] (unknown values are 422).
store::RecordInclude record_include_from_params(const std::vector<std::string>& values);
// The body of POST .../records/search: {"query": {"text": {q, field?}}, "filters": {"and":
// [...]}, "sort": [...]}; vector queries are refused (no vector index).
void search_body_into(const json& body, store::SearchQuery& query);

}  // namespace spanloop::server
