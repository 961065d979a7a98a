// Loading a checkpoint into a network: key normalisation (legacy gamma/beta, base checkpoints
// saved without the model prefix), missing / unexpected / mis-shaped keys as clear errors.
#include "ml/model/load_weights.h"

#include <c10/core/GradMode.h>

#include <map>
#include <set>
#include <sstream>

#include "text/error.h"

namespace spanloop::ml::detail {
namespace {

bool starts_with(const std::string& s, const std::string& p) {
  return s.rfind(p, 0) == 0;
}
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shape_str(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string config_summary(const ModelConfig& c) {
  const bool distil = c.model_type == ModelType::kDistilBert;
  std::ostringstream s;
  s << "config.json (" << (distil ? "dim " : "hidden_size ") << c.hidden_size << ", "
    << (distil ? "hidden_dim " : "intermediate_size ") << c.intermediate_size << ", "
    << (distil ? "n_layers " : "num_hidden_layers ") << c.num_hidden_layers << ", vocab_size "
    << c.vocab_size << ", max_position_embeddings " << c.max_position_embeddings;
  if (!distil) s << ", type_vocab_size " << c.type_vocab_size;
  s << ", " << c.labels.size() << " labels)";
  return s.str();
}

// Keys transformers itself skips: non-persistent buffers of older versions and the pooler,
// which ...ForTokenClassification does not have.
bool ignorable_encoder_key(const std::string& key) {
  return ends_with(key, ".position_ids") || ends_with(key, ".token_type_ids") ||
         key.find(".pooler.") != std::string::npos;
}

std::string list_keys(const std::vector<std::string>& keys) {
  std::string s;
  for (std::size_t i = 0; i < keys.size() && i < 5; ++i)
    s += (i ? ", " : "") + std::string("'") + keys[i] + "'";
  if (keys.size() > 5) s += ", ... (" + std::to_string(keys.size()) + " in all)";
  return s;
}

}  // namespace

LoadResult load_weights(TokenClassificationNet& net, const ModelConfig& config,
                        const WeightSource& source, bool keep_head) {
  const std::string where = source.describe();
  const std::string prefix = config.base_model_prefix() + ".";

  // Normalised key -> key in the file.
  std::map<std::string, std::string> keys;
  const auto names = source.names();
  bool has_prefix = false, bare_base = false;
  for (const auto& n : names) {
    has_prefix = has_prefix || starts_with(n, prefix);
    bare_base = bare_base || starts_with(n, "embeddings.");
  }
  for (const auto& n : names) {
    std::string k = n;
    if (ends_with(k, ".gamma"))
      k = k.substr(0, k.size() - 6) + ".weight";  // pre-2019 LayerNorm names
    if (ends_with(k, ".beta")) k = k.substr(0, k.size() - 5) + ".bias";
    if (!has_prefix && bare_base) k = prefix + k;  // a bare BertModel/RobertaModel checkpoint
    keys.emplace(k, n);
  }

  LoadResult result;
  const bool file_has_head = keys.count("classifier.weight") && keys.count("classifier.bias");
  result.head_loaded = keep_head && file_has_head;

  c10::NoGradGuard no_grad;
  std::set<std::string> used;
  std::vector<std::string> missing;
  for (auto& item : net.named_parameters(/*recurse=*/true)) {
    const std::string& name = item.key();
    at::Tensor param = item.value();
    const bool head = starts_with(name, "classifier.");
    if (head && !result.head_loaded) continue;
    auto it = keys.find(name);
    if (it == keys.end()) {
      missing.push_back(name);
      continue;
    }
    used.insert(it->first);
    const WeightInfo info = source.info(it->second);
    if (info.shape != param.sizes().vec()) {
      std::string why = config_summary(config);
      if (head)
        why = "config.json's id2label (" + std::to_string(config.labels.size()) + " labels)";
      throw Error(ErrorKind::kInvalidArgument, where + ": tensor '" + it->second + "' has shape " +
                                                   shape_str(info.shape) + " but " + why +
                                                   " needs " + shape_str(param.sizes().vec()));
    }
    at::Tensor value = source.load(it->second);
    if (value.scalar_type() == param.scalar_type() && value.device() == param.device() &&
        value.is_contiguous()) {
      param.set_data(value);  // zero-copy: the parameter now views the file mapping
    } else {
      param.copy_(value);
    }
  }
  if (!missing.empty())
    throw Error(ErrorKind::kInvalidArgument, where + ": missing " + std::to_string(missing.size()) +
                                                 " weight(s) that " + config_summary(config) +
                                                 " needs: " + list_keys(missing));

  std::vector<std::string> unexpected;
  for (const auto& [key, original] : keys) {
    if (used.count(key)) continue;
    if (starts_with(key, prefix) && !ignorable_encoder_key(key)) {
      unexpected.push_back(original);
    } else {
      result.ignored_keys.push_back(original);
    }
  }
  if (!unexpected.empty())
    throw Error(ErrorKind::kInvalidArgument,
                where + ": " + std::to_string(unexpected.size()) + " encoder weight(s) that " +
                    config_summary(config) + " has no place for: " + list_keys(unexpected));
  return result;
}

}  // namespace spanloop::ml::detail
