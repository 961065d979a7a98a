// Public tokenizer API: runs a Hugging Face `tokenizer.json` (or the legacy vocab files) exactly as
// the `tokenizers` library does, with offsets in code points into the original text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::ml {

// Code point offsets into the original text, end exclusive. Special tokens have {0, 0}.
struct TokenOffset {
  std::size_t begin = 0, end = 0;
  friend bool operator==(const TokenOffset&, const TokenOffset&) = default;
};

// One encoded sequence, field for field what `tokenizers` returns (offsets as code points).
struct Encoding {
  std::vector<std::int64_t> ids;
  std::vector<std::string> tokens;
  std::vector<TokenOffset> offsets;
  std::vector<std::int32_t> word_ids;  // -1 for special tokens / padding
  std::vector<std::int32_t> type_ids;
  std::vector<std::uint8_t> special_tokens_mask, attention_mask;
  std::vector<Encoding> overflowing;  // further windows when truncation with stride is on

  std::size_t size() const { return ids.size(); }
};

// The special tokens a model directory names (tokenizer_config.json / special_tokens_map.json),
// or, for a bare tokenizer.json, those its post-processor and model use.
struct SpecialTokens {
  std::optional<std::string> pad, unk, cls, sep, mask, bos, eos;
};

class Tokenizer {  // immutable after load, thread-safe to encode from many threads
 public:
  // Throws spanloop::Error (InvalidArgument naming the file and component, NotFound).
  static Tokenizer from_file(const std::filesystem::path& tokenizer_json);
  static Tokenizer from_json_string(std::string_view json, std::string_view source_name);
  // tokenizer.json, else vocab.txt (BERT), vocab.json + merges.txt (RoBERTa),
  // sentencepiece.bpe.model / spiece.model (XLM-R), read with tokenizer_config.json.
  static Tokenizer from_directory(const std::filesystem::path& model_dir);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  Tokenizer(const Tokenizer&);
  Tokenizer& operator=(const Tokenizer&);
  ~Tokenizer();

  // Text must be UTF-8 (InvalidArgument naming the byte offset otherwise). Truncation and
  // padding configured in tokenizer.json apply, as in `tokenizers`.
  Encoding encode(std::string_view text, bool add_special_tokens = true) const;
  // Pre-tokenized input (is_split_into_words): offsets relative to each word, word id = index.
  Encoding encode_words(const std::vector<std::string>& words,
                        bool add_special_tokens = true) const;
  // Encodes each text (in parallel when several threads are free); padding "BatchLongest"
  // from tokenizer.json pads to the longest of the batch.
  std::vector<Encoding> encode_batch(const std::vector<std::string>& texts,
                                     bool add_special_tokens = true) const;
  // Windows of at most max_length tokens (special tokens included) overlapping by stride tokens,
  // as transformers does with truncation=True, return_overflowing_tokens=True, stride
  // (tokenizers 0.19 order: full encoding, truncate with stride, post-process each window).
  // A text that fits gives one window. The returned windows have no `overflowing`.
  std::vector<Encoding> encode_windows(std::string_view text, std::size_t max_length,
                                       std::size_t stride) const;

  std::string decode(const std::vector<std::int64_t>& ids, bool skip_special_tokens = true) const;
  std::string decode_tokens(const std::vector<std::string>& tokens) const;  // the decoder alone

  std::optional<std::int64_t> token_to_id(std::string_view token) const;
  std::string id_to_token(std::int64_t id) const;  // "" when the id is unknown
  std::size_t vocab_size() const;                  // model vocabulary plus added tokens

  const SpecialTokens& special_tokens() const;
  std::optional<std::int64_t> pad_token_id() const;
  std::optional<std::int64_t> unk_token_id() const;
  std::optional<std::int64_t> cls_token_id() const;
  std::optional<std::int64_t> sep_token_id() const;
  std::optional<std::int64_t> mask_token_id() const;
  std::optional<std::int64_t> bos_token_id() const;
  std::optional<std::int64_t> eos_token_id() const;
  // Whether the id belongs to an added token marked special (skipped by decode).
  bool is_special_id(std::int64_t id) const;
  // Tokens the post-processor adds around one sequence ([CLS] x [SEP] -> 2).
  std::size_t num_special_tokens_to_add() const;
  std::optional<std::size_t> model_max_length() const;  // from tokenizer_config.json

  std::string model_type() const;  // "WordPiece" | "BPE" | "Unigram"
  std::optional<std::string> continuing_subword_prefix() const;

  // The tokenizer in tokenizers' JSON format (what save() writes as tokenizer.json).
  std::string to_json() const;
  // Writes tokenizer.json + tokenizer_config.json + special_tokens_map.json (+ vocab.txt for
  // WordPiece, vocab.json + merges.txt for BPE) into model_dir, creating it if needed.
  void save(const std::filesystem::path& model_dir) const;

  struct Impl;
  friend Tokenizer make_tokenizer(std::shared_ptr<const Impl> impl);

 private:
  explicit Tokenizer(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace spanloop::ml
