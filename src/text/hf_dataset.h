// Hugging Face `datasets` folder layout for token classification: train.jsonl, validation.jsonl,
// test.jsonl (JSONL tokens, tags as ClassLabel ids), dataset_info.json whose features declare
// ner_tags as Sequence(ClassLabel(names)), a README.md dataset card with the same features and
// data_files (so datasets.load_dataset(folder) gets the label names), and label_map.json.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "text/jsonl_tokens.h"
#include "text/label_map.h"
#include "text/record.h"

namespace spanloop::text {

struct HfDatasetInfo {
  std::vector<std::string> splits{};     // train, validation, test first (those present), then
                                         // other *.jsonl files in name order
  std::vector<std::string> tag_names{};  // ClassLabel names of ner_tags
  std::size_t layers = 1;                // ner_tags, ner_tags_2, ... declared
};

// Reads a folder written by HfDatasetWriter (or any folder of *.jsonl token files with a
// dataset_info.json or label_map.json). Throws NotFound / InvalidArgument naming the file.
HfDatasetInfo read_hf_dataset_info(const std::filesystem::path& folder);
std::filesystem::path hf_split_path(const std::filesystem::path& folder, const std::string& split);
// True when `path` is a folder holding a dataset_info.json or *.jsonl files.
bool is_hf_dataset_folder(const std::filesystem::path& path);

// Writes records split by split (streaming). Extra fields are not written: the declared
// features must describe every column for `datasets` to load the files.
//   HfDatasetWriter out("export/", LabelMap(labels, Scheme::kIOB2));
//   out.write("train", record); ... out.finish();
class HfDatasetWriter {
 public:
  HfDatasetWriter(std::filesystem::path folder, LabelMap map, TokenFileOptions options = {});

  // split: letters, digits and '_' ("train", "validation", "test", ...).
  void write(const std::string& split, const TokenRecord& record);
  // Closes the split files and writes dataset_info.json, README.md and label_map.json.
  void finish();

 private:
  std::filesystem::path folder_;
  LabelMap map_;
  TokenFileOptions options_;
  std::map<std::string, std::unique_ptr<JsonlTokensWriter>> splits_;
  std::vector<std::string> order_;
  TokenRecord scratch_;
};

}  // namespace spanloop::text
