// LabelMap: the stable, explicit mapping between tag ids and tag strings of one dataset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/scheme.h"
#include "text/string_map.h"

namespace spanloop::text {

// Tag ids follow DESIGN.md: "O" is id 0, then for each label in the dataset's label order its
// scheme tags in scheme_prefixes() order (IOB2: O, B-PER, I-PER, B-ORG, I-ORG, ...). The
// order never depends on hashing, so the same labels and scheme always give the same ids.
class LabelMap {
 public:
  static constexpr int kOutside = 0;
  static constexpr std::size_t kNoLabel = static_cast<std::size_t>(-1);

  // labels: entity types in dataset order; non-empty strings, no duplicates, none equal to "O".
  // Throws InvalidArgument naming the offending label.
  LabelMap(std::vector<std::string> labels, Scheme scheme);

  Scheme scheme() const { return scheme_; }
  const std::vector<std::string>& labels() const { return labels_; }
  // Every tag string, indexed by id.
  const std::vector<std::string>& tags() const { return tags_; }
  std::size_t size() const { return tags_.size(); }

  std::optional<std::size_t> find_label(std::string_view label) const;
  std::optional<int> find_tag(std::string_view tag) const;
  // Like find_tag, but throws NotFound naming the tag and the scheme.
  int tag_id(std::string_view tag) const;
  // Id of the tag "<prefix>-<label>"; prefix must be one of scheme_prefixes(scheme()).
  int tag_id(std::size_t label_index, char prefix) const {
    return 1 + static_cast<int>(label_index * prefixes_per_label_) +
           prefix_index_[static_cast<unsigned char>(prefix)];
  }
  // Label index of a tag id (kNoLabel for "O") and its prefix letter ('O' for "O").
  std::size_t label_of(int id) const {
    return id == kOutside ? kNoLabel : static_cast<std::size_t>(id - 1) / prefixes_per_label_;
  }
  char prefix_of(int id) const;

  // Tag strings -> ids; throws NotFound naming `what` and the position of an unknown tag.
  std::vector<int> encode(std::span<const std::string> tags, std::string_view what) const;

  // {"scheme": "IOB2", "labels": [...], "tags": [...], "label2id": {...}, "id2label": {...}}
  // (id2label/label2id as in a transformers config.json).
  std::string to_json() const;
  // Reads what to_json() writes ("labels" and "scheme" are required; "tags" is checked against
  // them). `what` names the source in errors.
  static LabelMap from_json(std::string_view json, std::string_view what);
  void write_file(const std::filesystem::path& path) const;
  static LabelMap read_file(const std::filesystem::path& path);

  bool operator==(const LabelMap& other) const {
    return scheme_ == other.scheme_ && labels_ == other.labels_;
  }

 private:
  Scheme scheme_;
  std::vector<std::string> labels_;
  std::vector<std::string> tags_;
  std::size_t prefixes_per_label_;
  int prefix_index_[128] = {};
  StringMap<std::size_t> label_index_;
  StringMap<int> tag_index_;
};

// Where the label map of an exported dataset is written: "<dir>/<stem>.labels.json" next to a
// file ("out/train.conll" -> "out/train.labels.json"), "<folder>/label_map.json" in a folder.
std::filesystem::path label_map_path_for(const std::filesystem::path& dataset, bool is_folder);

}  // namespace spanloop::text
