// Config files for `spanloop train --config`: YAML or JSON (yaml-cpp reads both), either flat
// option keys or AutoTrain's layout (task, base_model, project_name, data: {path, train_split,
// valid_split, column_mapping: {tokens_column, tags_column}}, params: {...}, hub: {...}).
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "ml/train/train_options.h"
#include "text/error.h"

namespace spanloop::ml::train {
namespace {

std::string scalar(const YAML::Node& node, const std::string& file, const std::string& key) {
  if (!node.IsScalar()) {
    if (node.IsNull()) return "";
    throw_invalid(file + ": key '" + key + "' must be a single value, not a list or a map");
  }
  return node.as<std::string>();
}

void put(std::map<std::string, std::string>& out, const std::string& file, const std::string& key,
         const YAML::Node& value) {
  if (out.count(key) != 0) throw_invalid(file + ": key '" + key + "' is given twice");
  out[key] = scalar(value, file, key);
}

}  // namespace

std::map<std::string, std::string> read_config_file(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::ifstream in(path);
  if (!in) throw_not_found("config file " + file + " cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    throw_invalid(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  std::map<std::string, std::string> out;
  if (root.IsNull()) return out;
  if (!root.IsMap()) throw_invalid(file + ": expected a map of option keys at the top level");
  for (const auto& item : root) {
    const std::string key = item.first.as<std::string>();
    const YAML::Node& value = item.second;
    if (key == "task") {
      const std::string task = scalar(value, file, key);
      if (task.find("token_classification") == std::string::npos)
        throw_invalid(file + ": task '" + task + "' is not token classification");
    } else if (key == "backend" || key == "log_level") {
      // AutoTrain launcher settings with no meaning here.
    } else if (key == "base_model") {
      put(out, file, "model", value);
    } else if (key == "params" && value.IsMap()) {
      for (const auto& p : value) put(out, file, p.first.as<std::string>(), p.second);
    } else if (key == "hub" && value.IsMap()) {
      for (const auto& p : value) put(out, file, p.first.as<std::string>(), p.second);
    } else if (key == "data" && value.IsMap()) {
      for (const auto& p : value) {
        const std::string k = p.first.as<std::string>();
        if (k == "path") {
          put(out, file, "data_path", p.second);
        } else if (k == "column_mapping" && p.second.IsMap()) {
          for (const auto& c : p.second) put(out, file, c.first.as<std::string>(), c.second);
        } else {
          put(out, file, k, p.second);
        }
      }
    } else {
      put(out, file, key, value);
    }
  }
  return out;
}

}  // namespace spanloop::ml::train
