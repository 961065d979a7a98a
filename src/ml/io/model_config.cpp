// Parsing and writing config.json for BERT, DistilBERT, RoBERTa and XLM-RoBERTa.
#include "ml/io/model_config.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "text/error.h"

namespace spanloop::ml {
namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view source, const std::string& message) {
  throw Error(ErrorKind::kInvalidArgument, std::string(source) + ": " + message);
}

// Reads an optional key with a type check, so a wrong type names the key instead of a
// nlohmann exception text.
template <typename T>
void read(const json& j, const char* key, T& out, std::string_view source) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  try {
    if constexpr (std::is_same_v<T, std::int64_t>) {
      if (!it->is_number_integer()) throw std::runtime_error("not an integer");
    } else if constexpr (std::is_same_v<T, double>) {
      if (!it->is_number()) throw std::runtime_error("not a number");
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!it->is_boolean()) throw std::runtime_error("not a boolean");
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!it->is_string()) throw std::runtime_error("not a string");
    }
    out = it->get<T>();
  } catch (const std::exception& e) {
    fail(source, std::string("field '") + key + "': " + e.what() + " (got " + it->dump() + ")");
  }
}

template <typename T>
void read_optional(const json& j, const char* key, std::optional<T>& out, std::string_view source) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  T value{};
  read(j, key, value, source);
  out = value;
}

std::vector<std::string> read_labels(const json& j, std::string_view source) {
  std::map<std::int64_t, std::string> by_id;
  if (auto it = j.find("id2label"); it != j.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      std::size_t used = 0;
      std::int64_t id = -1;
      try {
        id = std::stoll(key, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != key.size() || id < 0) fail(source, "id2label key '" + key + "' is not an id");
      if (!value.is_string()) fail(source, "id2label[" + key + "] is not a string");
      by_id[id] = value.get<std::string>();
    }
  } else if (auto it2 = j.find("label2id"); it2 != j.end() && it2->is_object()) {
    for (const auto& [label, value] : it2->items()) {
      if (!value.is_number_integer()) fail(source, "label2id[" + label + "] is not an integer");
      const auto id = value.get<std::int64_t>();
      if (id < 0) fail(source, "label2id[" + label + "] is negative");
      if (by_id.count(id)) fail(source, "label2id gives id " + std::to_string(id) + " twice");
      by_id[id] = label;
    }
  }
  std::vector<std::string> labels;
  for (const auto& [id, label] : by_id) {
    if (id != static_cast<std::int64_t>(labels.size()))
      fail(source, "label ids are not 0..n-1 (missing id " + std::to_string(labels.size()) + ")");
    labels.push_back(label);
  }
  return labels;
}

}  // namespace

std::string_view model_type_name(ModelType type) {
  switch (type) {
    case ModelType::kBert:
      return "bert";
    case ModelType::kDistilBert:
      return "distilbert";
    case ModelType::kRoberta:
      return "roberta";
    case ModelType::kXlmRoberta:
      return "xlm-roberta";
  }
  return "bert";
}

std::string supported_model_types() {
  return "bert, distilbert, roberta, xlm-roberta";
}

ModelType parse_model_type(std::string_view name) {
  if (name == "bert") return ModelType::kBert;
  if (name == "distilbert") return ModelType::kDistilBert;
  if (name == "roberta") return ModelType::kRoberta;
  if (name == "xlm-roberta") return ModelType::kXlmRoberta;
  throw Error(ErrorKind::kInvalidArgument, "unsupported model_type '" + std::string(name) +
                                               "' (supported: " + supported_model_types() + ")");
}

std::int64_t ModelConfig::position_offset() const {
  return (model_type == ModelType::kRoberta || model_type == ModelType::kXlmRoberta)
             ? pad_token_id + 1
             : 0;
}

std::string ModelConfig::token_classification_architecture() const {
  switch (model_type) {
    case ModelType::kBert:
      return "BertForTokenClassification";
    case ModelType::kDistilBert:
      return "DistilBertForTokenClassification";
    case ModelType::kRoberta:
      return "RobertaForTokenClassification";
    case ModelType::kXlmRoberta:
      return "XLMRobertaForTokenClassification";
  }
  return "";
}

std::string ModelConfig::base_model_prefix() const {
  switch (model_type) {
    case ModelType::kBert:
      return "bert";
    case ModelType::kDistilBert:
      return "distilbert";
    case ModelType::kRoberta:
    case ModelType::kXlmRoberta:
      return "roberta";
  }
  return "";
}

ModelConfig ModelConfig::from_json_string(std::string_view text, std::string_view source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    fail(source, std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) fail(source, "not a JSON object");
  ModelConfig c;
  std::string type;
  read(j, "model_type", type, source);
  if (type.empty()) fail(source, "no 'model_type' (supported: " + supported_model_types() + ")");
  try {
    c.model_type = parse_model_type(type);
  } catch (const Error& e) {
    fail(source, e.what());
  }
  if (auto it = j.find("architectures"); it != j.end() && it->is_array())
    for (const auto& a : *it)
      if (a.is_string()) c.architectures.push_back(a.get<std::string>());
  read(j, "vocab_size", c.vocab_size, source);
  read(j, "max_position_embeddings", c.max_position_embeddings, source);
  read(j, "pad_token_id", c.pad_token_id, source);
  read_optional(j, "bos_token_id", c.bos_token_id, source);
  read_optional(j, "eos_token_id", c.eos_token_id, source);
  read(j, "initializer_range", c.initializer_range, source);
  read(j, "torch_dtype", c.torch_dtype, source);
  if (c.model_type == ModelType::kDistilBert) {
    read(j, "dim", c.hidden_size, source);
    read(j, "n_layers", c.num_hidden_layers, source);
    read(j, "n_heads", c.num_attention_heads, source);
    read(j, "hidden_dim", c.intermediate_size, source);
    read(j, "activation", c.hidden_act, source);
    read(j, "dropout", c.hidden_dropout_prob, source);
    read(j, "attention_dropout", c.attention_probs_dropout_prob, source);
    read(j, "sinusoidal_pos_embds", c.sinusoidal_pos_embds, source);
    c.layer_norm_eps = 1e-12;
    c.type_vocab_size = 0;
  } else {
    read(j, "hidden_size", c.hidden_size, source);
    read(j, "num_hidden_layers", c.num_hidden_layers, source);
    read(j, "num_attention_heads", c.num_attention_heads, source);
    read(j, "intermediate_size", c.intermediate_size, source);
    read(j, "hidden_act", c.hidden_act, source);
    read(j, "layer_norm_eps", c.layer_norm_eps, source);
    read(j, "type_vocab_size", c.type_vocab_size, source);
    read(j, "hidden_dropout_prob", c.hidden_dropout_prob, source);
    read(j, "attention_probs_dropout_prob", c.attention_probs_dropout_prob, source);
    read_optional(j, "classifier_dropout", c.classifier_dropout, source);
    read(j, "position_embedding_type", c.position_embedding_type, source);
  }
  c.labels = read_labels(j, source);
  c.original_json = j.dump();
  c.validate(source);
  return c;
}

void ModelConfig::validate(std::string_view source) const {
  auto positive = [&](std::int64_t v, const char* field) {
    if (v <= 0)
      fail(source, std::string("field '") + field + "' must be positive, got " + std::to_string(v));
  };
  const bool distil = model_type == ModelType::kDistilBert;
  positive(vocab_size, "vocab_size");
  positive(hidden_size, distil ? "dim" : "hidden_size");
  positive(num_hidden_layers, distil ? "n_layers" : "num_hidden_layers");
  positive(num_attention_heads, distil ? "n_heads" : "num_attention_heads");
  positive(intermediate_size, distil ? "hidden_dim" : "intermediate_size");
  positive(max_position_embeddings, "max_position_embeddings");
  if (hidden_size % num_attention_heads != 0)
    fail(source, "hidden size " + std::to_string(hidden_size) +
                     " is not a multiple of the number of attention heads " +
                     std::to_string(num_attention_heads));
  if (!distil && type_vocab_size < 0) fail(source, "field 'type_vocab_size' is negative");
  if (pad_token_id < 0 || pad_token_id >= vocab_size)
    fail(source, "pad_token_id " + std::to_string(pad_token_id) + " is outside the vocabulary of " +
                     std::to_string(vocab_size));
  static const char* const kActs[] = {"gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu",
                                      "silu", "swish"};
  bool act_ok = false;
  for (const char* a : kActs) act_ok = act_ok || hidden_act == a;
  if (!act_ok)
    fail(source,
         std::string("unsupported activation '") + hidden_act + "' in field '" +
             (distil ? "activation" : "hidden_act") +
             "' (supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, silu, swish)");
  if (position_embedding_type != "absolute")
    fail(source, "unsupported position_embedding_type '" + position_embedding_type +
                     "' (supported: absolute)");
  if (position_offset() >= max_position_embeddings)
    fail(source, "max_position_embeddings " + std::to_string(max_position_embeddings) +
                     " leaves no position after the padding offset");
  if (layer_norm_eps <= 0) fail(source, "field 'layer_norm_eps' must be positive");
}

ModelConfig ModelConfig::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, "cannot read model config " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return from_json_string(ss.str(), path.string());
}

ModelConfig ModelConfig::from_directory(const std::filesystem::path& dir) {
  const auto path = dir / "config.json";
  if (!std::filesystem::exists(path))
    throw Error(ErrorKind::kNotFound, "no config.json in model directory " + dir.string());
  return from_file(path);
}

std::string ModelConfig::to_json_string() const {
  json j = original_json.empty() ? json::object() : json::parse(original_json);
  j["model_type"] = std::string(model_type_name(model_type));
  j["architectures"] = architectures;
  j["vocab_size"] = vocab_size;
  j["max_position_embeddings"] = max_position_embeddings;
  j["pad_token_id"] = pad_token_id;
  if (bos_token_id) j["bos_token_id"] = *bos_token_id;
  if (eos_token_id) j["eos_token_id"] = *eos_token_id;
  j["initializer_range"] = initializer_range;
  j["torch_dtype"] = torch_dtype;
  if (model_type == ModelType::kDistilBert) {
    j["dim"] = hidden_size;
    j["n_layers"] = num_hidden_layers;
    j["n_heads"] = num_attention_heads;
    j["hidden_dim"] = intermediate_size;
    j["activation"] = hidden_act;
    j["dropout"] = hidden_dropout_prob;
    j["attention_dropout"] = attention_probs_dropout_prob;
    j["sinusoidal_pos_embds"] = sinusoidal_pos_embds;
  } else {
    j["hidden_size"] = hidden_size;
    j["num_hidden_layers"] = num_hidden_layers;
    j["num_attention_heads"] = num_attention_heads;
    j["intermediate_size"] = intermediate_size;
    j["hidden_act"] = hidden_act;
    j["layer_norm_eps"] = layer_norm_eps;
    j["type_vocab_size"] = type_vocab_size;
    j["hidden_dropout_prob"] = hidden_dropout_prob;
    j["attention_probs_dropout_prob"] = attention_probs_dropout_prob;
    j["classifier_dropout"] = classifier_dropout ? json(*classifier_dropout) : json(nullptr);
    j["position_embedding_type"] = position_embedding_type;
  }
  if (!labels.empty()) {
    json id2label = json::object(), label2id = json::object();
    for (std::size_t i = 0; i < labels.size(); ++i) {
      id2label[std::to_string(i)] = labels[i];
      label2id[labels[i]] = static_cast<std::int64_t>(i);
    }
    j["id2label"] = id2label;
    j["label2id"] = label2id;
  }
  return j.dump(2) + "\n";
}

void ModelConfig::save(const std::filesystem::path& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << to_json_string();
  if (!out.flush()) throw Error(ErrorKind::kUnavailable, "cannot write " + path.string());
}

}  // namespace spanloop::ml
