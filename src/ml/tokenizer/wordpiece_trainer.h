// WordPiece vocabulary training (as tokenizers' WordPieceTrainer: BPE merges with a "##"
// continuation prefix over BERT-normalized, BERT-pre-tokenized words), for models trained from
// scratch on a domain corpus, and the corpus readers the CLI uses (text, CSV, JSONL).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ml/tokenizer/tokenizer.h"

namespace spanloop::ml {

struct WordPieceTrainerConfig {
  std::size_t vocab_size = 30522;     // target size, special tokens included
  std::size_t min_frequency = 2;      // a pair must occur this often to be merged
  std::size_t limit_alphabet = 1000;  // keep the most frequent characters only
  bool lowercase = true;              // BertNormalizer lowercase (and accent stripping)
  std::vector<std::string> special_tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  std::size_t model_max_length = 512;  // written to tokenizer_config.json
};

class WordPieceTrainer {
 public:
  explicit WordPieceTrainer(WordPieceTrainerConfig config);
  ~WordPieceTrainer();
  WordPieceTrainer(const WordPieceTrainer&) = delete;
  WordPieceTrainer& operator=(const WordPieceTrainer&) = delete;

  // Adds one document (valid UTF-8, else InvalidArgument).
  void feed(std::string_view text);
  std::size_t documents() const;
  // Learns the vocabulary; the tokenizer loads in transformers as BertTokenizerFast once saved.
  Tokenizer train() const;

 private:
  struct State;
  WordPieceTrainerConfig config_;
  std::unique_ptr<State> state_;
};

// Calls fn for every document of a corpus file: .csv (column `text_field`, RFC 4180 quoting),
// .jsonl (string field `text_field`), anything else one document per line. Errors name the
// file and line.
void for_each_document(const std::filesystem::path& file, const std::string& text_field,
                       const std::function<void(std::string_view)>& fn);

}  // namespace spanloop::ml
