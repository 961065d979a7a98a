// The state behind spanloop::ml::Tokenizer (pimpl): the parsed pipeline and its JSON document.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "ml/tokenizer/added_vocabulary.h"
#include "ml/tokenizer/ascii_words.h"
#include "ml/tokenizer/components.h"
#include "ml/tokenizer/encoding_ops.h"
#include "ml/tokenizer/metaspace_words.h"
#include "ml/tokenizer/tokenizer.h"
#include "text/utf8.h"

namespace spanloop::ml {

struct TruncationConfig {
  std::size_t max_length = 512;
  std::size_t stride = 0;
  bool only_first = false;  // "OnlyFirst"/"OnlySecond" vs "LongestFirst" (same for one sequence)
  tok::Direction direction = tok::Direction::kRight;
};

struct PaddingConfig {
  std::optional<std::size_t> fixed;  // strategy {"Fixed": n}; nullopt = BatchLongest
  tok::Direction direction = tok::Direction::kRight;
  std::optional<std::size_t> pad_to_multiple_of;
  std::int64_t pad_id = 0;
  std::int32_t pad_type_id = 0;
  std::string pad_token = "[PAD]";
};

// The stages that may differ between text input and pre-tokenized input (ByteLevel needs
// add_prefix_space=true for words, as transformers requires).
struct Pipeline {
  std::unique_ptr<tok::PreTokenizer> pre_tokenizer;
  std::unique_ptr<tok::PostProcessor> post_processor;
};

// Collects tokens into an Encoding, turning byte offsets into the text into code points as
// tokenizers' BytesToCharOffsetConverter does (a start at the very end is left as is).
class EncodingBuilder {
 public:
  explicit EncodingBuilder(std::string_view text);
  void add(std::uint32_t id, std::string value, std::size_t begin, std::size_t end,
           std::int32_t word);
  void add(std::uint32_t id, std::string_view value, std::size_t begin, std::size_t end,
           std::int32_t word);
  Encoding finish() &&;  // with type ids 0, attention mask 1, no special tokens

 private:
  Encoding enc_;
  text::CodepointIndex index_;
  std::size_t n_bytes_;
};

struct Tokenizer::Impl {
  tok::Json doc;       // the tokenizer.json document (kept for save/to_json)
  std::string source;  // where it came from, for messages
  std::unique_ptr<tok::Normalizer> normalizer;
  std::unique_ptr<tok::Model> model;
  std::unique_ptr<tok::Decoder> decoder;
  Pipeline text_pipeline, words_pipeline;
  bool words_pipeline_differs = false;
  tok::AddedVocabulary added;
  std::optional<TruncationConfig> truncation;
  std::optional<PaddingConfig> padding;
  SpecialTokens specials;
  std::optional<std::size_t> model_max_length;
  std::size_t vocab_size = 0;
  tok::Json tokenizer_config;      // tokenizer_config.json as read (object, may be empty)
  std::filesystem::path sp_model;  // a SentencePiece model to copy on save (Unigram fallback)
  std::unique_ptr<tok::AsciiWords> ascii_words;  // set for BERT-style stages (ascii_words.h)
  std::unique_ptr<tok::MetaspaceWords> metaspace_words;  // set for SentencePiece-style stages
  bool byte_level_direct = false;  // set for byte-level BPE without normalizer or prefix space

  // Normalize, pre-tokenize and run the model on one text (no post-processing); offsets are
  // code points into `text`; word ids are the piece index, or `word_index` when given.
  Encoding encode_raw(std::string_view text, const Pipeline& p,
                      std::optional<std::int32_t> word_index) const;
  // The general route over text[base, base + piece.size()): pieces get word ids from
  // first_word on (or word_index); returns how many pieces there were.
  std::int32_t append_general(std::string_view piece, std::size_t base, const Pipeline& p,
                              std::optional<std::int32_t> word_index, std::int32_t first_word,
                              EncodingBuilder& out) const;
  // Shortcuts with the general route's output (docs/tokenizer.md "Speed"); both need a text in
  // which no added token occurs (added_token_in), since the general route splits those out first.
  bool added_token_in(std::string_view text) const;
  // ascii_words: ASCII chunks between spaces directly, other chunks the general way.
  void append_ascii_words(std::string_view text, const Pipeline& p,
                          std::optional<std::int32_t> word_index, EncodingBuilder& out) const;
  // metaspace_words: the pieces between spaces straight from the (charsmap-normalized) text.
  void append_metaspace_words(std::string_view text, std::optional<std::int32_t> word_index,
                              EncodingBuilder& out) const;
  // byte_level_direct: the GPT-2 regex pieces of the text itself, mapped byte by byte.
  void append_byte_level(std::string_view text, std::optional<std::int32_t> word_index,
                         EncodingBuilder& out) const;
  // Truncation (from config), post-processor, padding (to `pad_to` or the config).
  Encoding finish(Encoding enc, const Pipeline& p, bool add_special_tokens) const;
  std::optional<std::int64_t> id_of(const std::optional<std::string>& token) const;
};

// Builds the Impl from a tokenizer.json document (throws InvalidArgument naming `source`).
std::shared_ptr<Tokenizer::Impl> build_impl(tok::Json doc, const std::string& source);
Tokenizer make_tokenizer(std::shared_ptr<const Tokenizer::Impl> impl);

}  // namespace spanloop::ml
