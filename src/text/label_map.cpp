// LabelMap construction, lookups and its JSON file.
#include "text/label_map.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "text/error.h"
#include "text/span_json.h"

namespace spanloop::text {

LabelMap::LabelMap(std::vector<std::string> labels, Scheme scheme)
    : scheme_(scheme), labels_(std::move(labels)) {
  const auto prefixes = scheme_prefixes(scheme_);
  prefixes_per_label_ = prefixes.size();
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    prefix_index_[static_cast<unsigned char>(prefixes[i])] = static_cast<int>(i);
  }
  tags_.reserve(1 + labels_.size() * prefixes.size());
  tags_.emplace_back("O");
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    const std::string& label = labels_[i];
    if (label.empty()) throw_invalid("label map: label #" + std::to_string(i) + " is empty");
    if (label == "O") throw_invalid("label map: 'O' is the outside tag and cannot be a label");
    if (!label_index_.emplace(label, i).second) {
      throw_invalid("label map: label '" + label + "' appears twice");
    }
    for (char p : prefixes) tags_.push_back(std::string(1, p) + "-" + label);
  }
  for (std::size_t id = 0; id < tags_.size(); ++id)
    tag_index_.emplace(tags_[id], static_cast<int>(id));
}

std::optional<std::size_t> LabelMap::find_label(std::string_view label) const {
  auto it = label_index_.find(label);
  if (it == label_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> LabelMap::find_tag(std::string_view tag) const {
  auto it = tag_index_.find(tag);
  if (it == tag_index_.end()) return std::nullopt;
  return it->second;
}

int LabelMap::tag_id(std::string_view tag) const {
  if (auto id = find_tag(tag)) return *id;
  throw Error(ErrorKind::kNotFound, "tag '" + std::string(tag) + "' is not in the " +
                                        std::string(scheme_name(scheme_)) + " label map");
}

char LabelMap::prefix_of(int id) const {
  if (id == kOutside) return 'O';
  return scheme_prefixes(scheme_)[static_cast<std::size_t>(id - 1) % prefixes_per_label_];
}

std::vector<int> LabelMap::encode(std::span<const std::string> tags, std::string_view what) const {
  std::vector<int> ids;
  ids.reserve(tags.size());
  for (std::size_t i = 0; i < tags.size(); ++i) {
    auto id = find_tag(tags[i]);
    if (!id) {
      throw Error(ErrorKind::kNotFound, std::string(what) + ": tag '" + tags[i] + "' at token " +
                                            std::to_string(i) + " is not in the " +
                                            std::string(scheme_name(scheme_)) + " label map");
    }
    ids.push_back(*id);
  }
  return ids;
}

std::string LabelMap::to_json() const {
  nlohmann::ordered_json j;
  j["scheme"] = scheme_name(scheme_);
  j["labels"] = labels_;
  j["tags"] = tags_;
  nlohmann::ordered_json label2id = nlohmann::ordered_json::object();
  nlohmann::ordered_json id2label = nlohmann::ordered_json::object();
  for (std::size_t id = 0; id < tags_.size(); ++id) {
    label2id[tags_[id]] = id;
    id2label[std::to_string(id)] = tags_[id];
  }
  j["label2id"] = std::move(label2id);
  j["id2label"] = std::move(id2label);
  return j.dump(2) + "\n";
}

LabelMap LabelMap::from_json(std::string_view json, std::string_view what) {
  nlohmann::ordered_json j;
  if (auto problem = detail::parse_json(json, j))
    throw_invalid(std::string(what) + ": " + *problem);
  if (!j.is_object() || !j.contains("labels") || !j["labels"].is_array() || !j.contains("scheme") ||
      !j["scheme"].is_string()) {
    throw_invalid(std::string(what) +
                  ": a label map needs \"scheme\" (string) and \"labels\" (array)");
  }
  std::vector<std::string> labels;
  for (const auto& l : j["labels"]) {
    if (!l.is_string()) throw_invalid(std::string(what) + ": \"labels\" must hold strings");
    labels.push_back(l.get<std::string>());
  }
  LabelMap map(std::move(labels), parse_scheme(j["scheme"].get<std::string>()));
  if (j.contains("tags")) {
    const auto& tags = j["tags"];
    bool same = tags.is_array() && tags.size() == map.tags_.size();
    for (std::size_t i = 0; same && i < tags.size(); ++i) {
      same = tags[i].is_string() && tags[i].get<std::string>() == map.tags_[i];
    }
    if (!same) {
      throw_invalid(std::string(what) +
                    ": \"tags\" does not match the tags that \"labels\" and \"scheme\" give");
    }
  }
  return map;
}

void LabelMap::write_file(const std::filesystem::path& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw_invalid("cannot write label map " + path.string());
  out << to_json();
  if (!out.flush()) throw_invalid("cannot write label map " + path.string());
}

LabelMap LabelMap::read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_not_found("cannot open label map " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return from_json(buffer.str(), path.string());
}

std::filesystem::path label_map_path_for(const std::filesystem::path& dataset, bool is_folder) {
  if (is_folder) return dataset / "label_map.json";
  return dataset.parent_path() / (dataset.stem().string() + ".labels.json");
}

}  // namespace spanloop::text
