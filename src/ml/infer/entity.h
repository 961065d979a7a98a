// What the inference pipeline returns: labelled spans with code point offsets, field for field
// what transformers' TokenClassificationPipeline returns.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::ml {

// transformers' aggregation_strategy: none = one entity per token; simple = group tokens by
// B-/I- rules; first/average/max = merge sub-words into words first, then group.
enum class Aggregation { kNone, kSimple, kFirst, kAverage, kMax };

std::string_view aggregation_name(Aggregation a);
// Throws InvalidArgument listing the valid names.
Aggregation parse_aggregation(std::string_view name);

struct Entity {
  std::string label;  // `entity` (e.g. "B-Material") for none, `entity_group` ("Material") else
  float score = 0;    // softmax probability (mean over the group for grouped entities)
  std::string word;   // token string (none) or the tokenizer's decoding of the group
  std::size_t start = 0, end = 0;    // code point offsets into the text, end exclusive
  std::optional<std::size_t> index;  // none only: token position in input_ids ([CLS] = 0)
};

using Entities = std::vector<Entity>;

}  // namespace spanloop::ml
