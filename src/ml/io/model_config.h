// config.json of the supported encoder architectures, parsed into one plain struct and written back.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::ml {

enum class ModelType { kBert, kDistilBert, kRoberta, kXlmRoberta };

// "bert" | "distilbert" | "roberta" | "xlm-roberta" (the config.json `model_type` strings).
std::string_view model_type_name(ModelType type);
// Throws InvalidArgument listing the supported model types.
ModelType parse_model_type(std::string_view name);
// "bert, distilbert, roberta, xlm-roberta" for messages.
std::string supported_model_types();

// Architecture-neutral view of config.json. DistilBERT's own key names (dim, n_layers, n_heads,
// hidden_dim, activation, dropout, attention_dropout) are mapped onto these fields on read and
// written back under their DistilBERT names.
struct ModelConfig {
  ModelType model_type = ModelType::kBert;
  std::vector<std::string> architectures;  // e.g. {"BertForTokenClassification"}
  std::int64_t vocab_size = 30522;
  std::int64_t hidden_size = 768;
  std::int64_t num_hidden_layers = 12;
  std::int64_t num_attention_heads = 12;
  std::int64_t intermediate_size = 3072;
  std::string hidden_act = "gelu";                 // gelu (erf), gelu_new, gelu_pytorch_tanh, relu, silu
  double layer_norm_eps = 1e-12;                   // DistilBERT has no key: always 1e-12
  std::int64_t max_position_embeddings = 512;
  std::int64_t type_vocab_size = 2;                // 0 for DistilBERT (no token type embeddings)
  std::int64_t pad_token_id = 0;
  std::optional<std::int64_t> bos_token_id, eos_token_id;
  double initializer_range = 0.02;
  double hidden_dropout_prob = 0.1;                // DistilBERT: dropout
  double attention_probs_dropout_prob = 0.1;       // DistilBERT: attention_dropout
  std::optional<double> classifier_dropout;        // null -> hidden_dropout_prob (BERT/RoBERTa)
  std::string position_embedding_type = "absolute";  // only "absolute" is supported
  bool sinusoidal_pos_embds = false;               // DistilBERT: fixed sinusoidal positions
  std::string torch_dtype = "float32";
  // Labels ordered by id (id2label); empty when the config has none.
  std::vector<std::string> labels;
  // The whole original file as JSON text, so keys this struct does not model survive a save.
  std::string original_json;

  std::int64_t head_size() const { return hidden_size / num_attention_heads; }
  // 0 for BERT/DistilBERT; pad_token_id + 1 for RoBERTa/XLM-R (positions start after padding).
  std::int64_t position_offset() const;
  // "BertForTokenClassification", "DistilBertForTokenClassification", ...
  std::string token_classification_architecture() const;
  // The checkpoint key prefix of the encoder: "bert", "distilbert", "roberta".
  std::string base_model_prefix() const;

  // Throws InvalidArgument naming `source` and the field for a missing/ill-typed/unsupported value.
  static ModelConfig from_json_string(std::string_view json, std::string_view source);
  static ModelConfig from_file(const std::filesystem::path& config_json);
  // Reads <dir>/config.json (NotFound naming the path when absent).
  static ModelConfig from_directory(const std::filesystem::path& model_dir);

  // config.json text: the original keys updated with this struct's values; id2label/label2id
  // from `labels` (string ids, ordered by id), `model_type`, `architectures`.
  std::string to_json_string() const;
  void save(const std::filesystem::path& config_json) const;

  // Checks sizes and options (hidden divisible by heads, positive sizes, supported activation and
  // position embedding type); throws InvalidArgument naming `source` and the field.
  void validate(std::string_view source) const;
};

}  // namespace spanloop::ml
