// Validation of settings, records and answers, shared by the Store, the API and the offline CLI.
// Every check throws spanloop::Error kInvalidArgument with a message that names the offending
// value (question, field, span index and offsets), ready for a 422 body.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "store/model.h"

namespace spanloop::store {

inline constexpr std::size_t kMaxSpansPerValue = 10000;
inline constexpr std::size_t kMaxLabelOptions = 500;
inline constexpr std::size_t kMaxGuidelinesLength = 10000;

// Spans of one answer to a span question over field_text (valid UTF-8):
// - 0 <= start < end <= length of field_text in code points,
// - label among the question's option values,
// - no two spans overlap (a.start < b.end && a.end > b.start; identical spans count) unless
//   allow_overlapping,
// - at most kMaxSpansPerValue spans.
// Messages look like: "span question 'ner': span at index 2 {label 'PER', start 17, end 40}:
// `end` must be lower or equal than the length of field `text` (27 code points)".
void validate_spans(const std::vector<SpanValue>& spans, const SpanQuestionSettings& settings,
                    std::string_view question_name, std::string_view field_text);

// One answer (response or suggestion value) against its question; for span questions
// record_fields must hold the question's field. Normalizes an empty list to the alternative
// the question type needs.
void validate_answer(AnswerValue& value, const Question& question,
                     const std::map<std::string, std::string>& record_fields);

// A response against the dataset's questions: submitted needs non-empty values and every
// required question answered; no values for unknown questions; each value valid.
void validate_response(ResponseInput& input, const std::vector<Question>& questions,
                       const std::map<std::string, std::string>& record_fields);

// A suggestion against its question: value valid, score cardinality and range (0..1), agent
// pattern.
void validate_suggestion(SuggestionInput& input, const Question& question,
                         const std::map<std::string, std::string>& record_fields);

// Settings of a new question against the dataset's fields and existing questions.
void validate_question_create(const QuestionCreate& question, const std::vector<Field>& fields,
                              const std::vector<Question>& existing);

// A settings change against the stored settings (type, option values, overlap rules).
void validate_question_settings_update(std::string_view question_name,
                                       const QuestionSettings& current,
                                       const QuestionSettings& next);

// Names of fields, questions, metadata properties and vector settings:
// ^(?=.*[a-z0-9])[a-z0-9_-]+$, 1..200.
void validate_setting_name(std::string_view what, std::string_view name);
// Dataset and workspace names: 1..200 of [A-Za-z0-9_- ], not starting with '-' or '_'.
void validate_dataset_name(std::string_view what, std::string_view name);
// ^[A-Za-z0-9][A-Za-z0-9_-]*$, 1..200.
void validate_username(std::string_view username);
// Title (1..500), settings (terms values <= 250 and unique; min <= max).
void validate_metadata_property_create(const MetadataPropertyCreate& property);
void validate_vector_settings_create(const VectorSettingsCreate& settings);
void validate_field_create(const FieldCreate& field);
void validate_dataset_create(const DatasetCreate& dataset);
void validate_distribution(const Distribution& distribution);

// A record's fields against the dataset's fields (required present, no unknown fields) and its
// metadata against the properties and allow_extra_metadata.
void validate_record_fields(const std::map<std::string, std::string>& fields,
                            const std::vector<Field>& dataset_fields);
void validate_record_metadata(const Metadata& metadata,
                              const std::vector<MetadataProperty>& properties,
                              bool allow_extra_metadata, std::string_view dataset_id);
void validate_vectors(const Vectors& vectors, const std::vector<VectorSettings>& settings,
                      std::string_view dataset_id);

}  // namespace spanloop::store
