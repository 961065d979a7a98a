// Training data for `spanloop train`: words + tag ids per sentence, from a Hugging Face dataset
// folder, CoNLL, JSONL tokens/spans or a spanloop server, with one stable label map.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/label_map.h"
#include "text/record.h"

namespace spanloop::ml::train {

struct TrainOptions;

// One sentence (or record) at word level.
struct WordExample {
  std::string id;
  std::vector<std::string> words;
  std::vector<int> tags;  // label map ids, one per word
};

struct TrainData {
  text::LabelMap labels{{}, text::Scheme::kIOB2};
  std::vector<WordExample> train;
  std::vector<WordExample> valid;  // empty: no evaluation
  std::vector<std::string> notes;  // what was read and decided (logged)
};

// Sentences with string tags, before the label map exists.
struct TaggedSentences {
  std::vector<text::TokenRecord> records;
  std::vector<std::string> declared_labels;  // label order declared by the source (may be empty)
};

// Reads train (and validation) as the options say; builds the label map (O first, then each
// label's scheme tags, labels in the source's declared order, else first appearance) and
// carves out --valid-fraction with the seed. Throws InvalidArgument / NotFound naming the file.
TrainData load_train_data(const TrainOptions& options);

// The pieces, for tests and for the server source:
// Tag strings of every sentence -> a label map; the scheme follows the prefixes seen
// (B/I: IOB2, I only: IO, B/I/E/S: IOBES, B/I/L/U: BILOU, I/E: IOE2).
text::LabelMap label_map_for(const std::vector<const TaggedSentences*>& sources);
std::vector<WordExample> encode_examples(const TaggedSentences& data, const text::LabelMap& map);
// Parses a JSONL body of {"tokens": [...], "<tags_column>"|"ner_tags": [...]} lines (string tags,
// or integer tags named by tag_names). `name` is used in errors ("NAME:LINE: ...").
TaggedSentences parse_token_jsonl(const std::string& body, const std::string& name,
                                  const std::string& tokens_column, const std::string& tags_column,
                                  const std::vector<std::string>& tag_names);
// Moves a seeded random `fraction` of `train` (at least one sentence) into `valid`.
void split_validation(std::vector<WordExample>& train, std::vector<WordExample>& valid,
                      double fraction, std::uint64_t seed);

}  // namespace spanloop::ml::train
