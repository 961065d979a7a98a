// The pipeline stages of a tokenizer.json (normalizer, pre-tokenizer, model, post-processor,
// decoder) as small interfaces, plus the JSON factories that build them with clear errors.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ml/tokenizer/normalized_string.h"
#include "ml/tokenizer/tokenizer.h"

namespace spanloop::ml::tok {

using Json = nlohmann::json;

// Where a JSON value sits, for error messages: "<file>: <what> at <path>".
struct JsonContext {
  std::string source;  // file name (or a description of the in-memory source)
  std::string path;    // JSON path, e.g. "normalizer.normalizers[1]"

  JsonContext at(std::string_view key) const {
    return {source, path.empty() ? std::string(key) : path + "." + std::string(key)};
  }
  JsonContext at(std::size_t index) const {
    return {source, path + "[" + std::to_string(index) + "]"};
  }
  [[noreturn]] void fail(const std::string& message) const;
  // Typed field access that names the field when it is missing or has the wrong type.
  const Json& field(const Json& j, std::string_view key) const;
  std::string get_string(const Json& j, std::string_view key) const;
  std::optional<std::string> get_optional_string(const Json& j, std::string_view key) const;
  bool get_bool(const Json& j, std::string_view key, bool fallback) const;
  std::int64_t get_int(const Json& j, std::string_view key, std::int64_t fallback) const;
  std::string type_of(const Json& j) const;
};

// A token produced by a model or by added-token matching; offsets are normalized bytes of the
// piece it came from.
struct Token {
  std::uint32_t id = 0;
  std::string value;
  std::uint32_t begin = 0, end = 0;
};

// One piece of the pre-tokenized string; `tokens` is set once it has been tokenized (added
// tokens are tokenized before the model sees anything).
struct Split {
  NormalizedString normalized;
  std::optional<std::vector<Token>> tokens;
};

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(NormalizedString& s) const = 0;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Splits every untokenized split further (empty pieces are dropped by the caller).
  virtual void pre_tokenize(std::vector<Split>& splits) const = 0;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual void tokenize(std::string_view piece, std::vector<Token>& out) const = 0;
  // When `piece` is in the model's word cache: calls sink(ctx, token) for each of its tokens
  // (under the cache's lock) and returns true, sparing a copy into a vector; else false.
  using TokenSink = void (*)(void* ctx, const Token& token);
  virtual bool visit_cached(std::string_view /*piece*/, TokenSink /*sink*/, void* /*ctx*/) const {
    return false;
  }
  virtual std::optional<std::uint32_t> token_to_id(std::string_view token) const = 0;
  virtual std::optional<std::string> id_to_token(std::uint32_t id) const = 0;
  virtual std::size_t vocab_size() const = 0;
  virtual std::string type() const = 0;
  virtual std::optional<std::string> continuing_subword_prefix() const { return std::nullopt; }
};

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // Adds special tokens (when asked) and adjusts offsets, on `enc` and its overflowing windows.
  virtual void process(Encoding& enc, bool add_special_tokens) const = 0;
  virtual std::size_t added_tokens() const = 0;  // for one sequence
  // The special token strings the processor inserts (cls-like first, sep-like last).
  virtual std::vector<std::string> special_token_strings() const = 0;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual std::vector<std::string> decode_chain(std::vector<std::string> tokens) const = 0;
};

// Factories (each throws InvalidArgument naming the file, JSON path and unsupported type).
std::unique_ptr<Normalizer> make_normalizer(const Json& j, const JsonContext& ctx);
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const Json& j, const JsonContext& ctx);
std::unique_ptr<Model> make_model(const Json& j, const JsonContext& ctx);
std::unique_ptr<PostProcessor> make_post_processor(const Json& j, const JsonContext& ctx);
std::unique_ptr<Decoder> make_decoder(const Json& j, const JsonContext& ctx);

// Regex patterns ({"String": s} or {"Regex": r}) shared by Replace and Split.
class Pattern {
 public:
  static Pattern from_json(const Json& j, const JsonContext& ctx);
  std::vector<Match> find_matches(std::string_view s) const;
  ~Pattern();
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;

 private:
  Pattern();
  std::string literal_;
  struct Regex;
  std::unique_ptr<Regex> regex_;
};

// GPT-2 byte <-> unicode table used by ByteLevel (pre-tokenizer, decoder) and byte-level BPE.
char32_t byte_to_char(std::uint8_t b);
std::optional<std::uint8_t> char_to_byte(char32_t c);
// Splits like the GPT-2 regex 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+|
// ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
std::vector<Match> gpt2_split(std::string_view s);

}  // namespace spanloop::ml::tok
