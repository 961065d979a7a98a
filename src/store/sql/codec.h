// Encoding of the JSON columns (settings, metadata, answers, scores) and of vectors as bytes.
// nlohmann_json stays inside this file's implementation.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "store/model.h"

namespace spanloop::store::sql {

std::string encode_metadata(const Metadata& metadata);
Metadata decode_metadata(std::string_view json);

std::string encode_question_settings(const QuestionSettings& settings);
QuestionSettings decode_question_settings(QuestionType type, std::string_view json);

std::string encode_metadata_settings(const MetadataSettings& settings);
MetadataSettings decode_metadata_settings(MetadataType type, std::string_view json);

std::string encode_answer(const AnswerValue& value);
// type_hint resolves an empty list to the alternative of the question's type.
AnswerValue decode_answer(std::string_view json, std::optional<QuestionType> type_hint);

// Response values as one JSON object {question name: value}.
std::string encode_response_values(const ResponseValues& values);
ResponseValues decode_response_values(
    std::string_view json,
    const std::function<std::optional<QuestionType>(const std::string&)>& type_of);

// Suggestion scores: null, a number or a list.
std::string encode_score(const SuggestionScore& score);
SuggestionScore decode_score(std::string_view json);

// Float vectors as little-endian float32 bytes.
std::string encode_vector(const std::vector<float>& v);
std::vector<float> decode_vector(std::string_view bytes);

}  // namespace spanloop::store::sql
