// JSON <-> store structs for the resources of the API (Argilla v2 shapes, reference §1.2-1.4).
// Parsing happens here at the edge; store and handlers work with native structs only.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "store/model.h"

namespace spanloop::server {

using nlohmann::json;

// ---- values ----
// ISO-8601 like Argilla ("2024-05-01T10:11:12.123456").
json timestamp_json(store::Timestamp t);
json metadata_value_json(const store::MetadataValue& value);
json metadata_json(const store::Metadata& metadata);
// Objects and mixed lists become RawJson (only extra metadata keys may hold them).
store::MetadataValue metadata_value_from_json(const json& value);
// 422 unless an object; `where` names it in messages.
store::Metadata metadata_from_json(const json& value, std::string_view where);

// ---- accounts ----
json user_json(const store::User& user);
json workspace_json(const store::Workspace& workspace);

// ---- datasets and settings ----
json dataset_json(const store::Dataset& dataset);
store::DatasetCreate dataset_create_from_json(const json& body);
store::DatasetUpdate dataset_update_from_json(const json& body);

json field_json(const store::Field& field);
store::FieldCreate field_create_from_json(const json& body);
store::FieldUpdate field_update_from_json(const json& body);

json label_option_json(const store::LabelOption& option);
json question_settings_json(const store::QuestionSettings& settings);
json question_json(const store::Question& question);
store::QuestionSettings question_settings_from_json(const json& settings);
store::QuestionCreate question_create_from_json(const json& body);
// Settings in a PATCH may be partial: keys present replace those of `current`; a `type` must
// match the question's type.
store::QuestionUpdate question_update_from_json(const json& body, const store::Question& current);

json metadata_property_json(const store::MetadataProperty& property);
store::MetadataPropertyCreate metadata_property_create_from_json(const json& body);
store::MetadataPropertyUpdate metadata_property_update_from_json(const json& body);
json metadata_metrics_json(const store::MetadataMetrics& metrics);

json vector_settings_json(const store::VectorSettings& settings);
store::VectorSettingsCreate vector_settings_create_from_json(const json& body);

}  // namespace spanloop::server
