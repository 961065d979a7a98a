// Sub-word features for token classification: words + word tags -> windows of token ids with
// labels aligned the transformers way (first sub-token labelled, -100 elsewhere).
#pragma once

#include <cstdint>
#include <vector>

#include "ml/train/train_data.h"

namespace spanloop::ml {
class Tokenizer;
}

namespace spanloop::ml::train {

inline constexpr std::int64_t kIgnoreLabel = -100;

// One model input row (a window of one sentence).
struct Feature {
  std::vector<std::int64_t> input_ids;
  std::vector<std::int64_t> labels;      // kIgnoreLabel on specials and unlabelled pieces
  std::vector<std::int32_t> word_index;  // word of each token in its sentence (-1: special)
  std::vector<std::uint8_t> scored;      // 1 on the token whose prediction stands for its word
  std::int32_t example = 0;              // index of the sentence
};

struct FeatureOptions {
  int max_seq_length = 128;       // tokens per window incl. special tokens
  int stride = 0;                 // tokens shared by consecutive windows
  bool label_all_tokens = false;  // continuation pieces get the word's tag with B- -> I-
};

// Encodes every example (is_split_into_words). A sentence longer than the window becomes
// several windows that start (content - stride) tokens apart; every word is scored in exactly
// one window (the one where its first piece is farthest from a window edge).
std::vector<Feature> make_features(const std::vector<WordExample>& examples,
                                   const Tokenizer& tokenizer, const text::LabelMap& labels,
                                   const FeatureOptions& options);

// For each tag id, the id used on continuation pieces with label_all_tokens (B-X -> I-X).
std::vector<std::int64_t> continuation_tags(const text::LabelMap& labels);

}  // namespace spanloop::ml::train
