// The Hugging Face dataset folder: split files, dataset_info.json, the README.md card.
#include "text/hf_dataset.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "text/error.h"
#include "text/span_json.h"

namespace spanloop::text {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 3> kStandardSplits{"train", "validation", "test"};

nlohmann::ordered_json value_feature(const char* dtype) {
  return {{"dtype", dtype}, {"_type", "Value"}};
}

nlohmann::ordered_json sequence_feature(nlohmann::ordered_json inner) {
  return {{"feature", std::move(inner)}, {"_type", "Sequence"}};
}

// YAML single-quoted scalar.
std::string yaml_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw Error(ErrorKind::kUnavailable, "cannot write " + path.string());
}

}  // namespace

fs::path hf_split_path(const fs::path& folder, const std::string& split) {
  return folder / (split + ".jsonl");
}

bool is_hf_dataset_folder(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return false;
  if (fs::exists(path / "dataset_info.json")) return true;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    if (e.path().extension() == ".jsonl") return true;
  }
  return false;
}

HfDatasetInfo read_hf_dataset_info(const fs::path& folder) {
  if (!fs::is_directory(folder))
    throw Error(ErrorKind::kNotFound, "no dataset folder " + folder.string());
  HfDatasetInfo info;
  std::vector<std::string> others;
  for (const auto& e : fs::directory_iterator(folder)) {
    if (e.path().extension() != ".jsonl") continue;
    const std::string split = e.path().stem().string();
    if (std::find(kStandardSplits.begin(), kStandardSplits.end(), split) == kStandardSplits.end()) {
      others.push_back(split);
    }
  }
  for (const std::string_view s : kStandardSplits) {
    const std::string split(s);
    if (fs::exists(hf_split_path(folder, split))) info.splits.push_back(split);
  }
  std::sort(others.begin(), others.end());
  info.splits.insert(info.splits.end(), others.begin(), others.end());
  if (info.splits.empty())
    throw Error(ErrorKind::kNotFound, "no *.jsonl split in " + folder.string());

  const fs::path info_path = folder / "dataset_info.json";
  if (fs::exists(info_path)) {
    std::ifstream in(info_path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    nlohmann::ordered_json j;
    const auto bad = [&](const std::string& what) {
      throw Error(ErrorKind::kInvalidArgument, info_path.string() + ": " + what);
    };
    if (auto problem = detail::parse_json(buffer.str(), j)) bad(*problem);
    if (!j.is_object()) bad("expected a JSON object");
    const auto features = j.value("features", nlohmann::ordered_json::object());
    const auto names = features.contains("ner_tags")
                           ? features["ner_tags"]
                                 .value("feature", nlohmann::ordered_json::object())
                                 .value("names", nlohmann::ordered_json())
                           : nlohmann::ordered_json();
    if (!names.is_array()) bad("features.ner_tags is not a Sequence(ClassLabel(names=[...]))");
    for (const auto& n : names) {
      if (!n.is_string()) bad("ClassLabel names must be strings");
      info.tag_names.push_back(n.get<std::string>());
    }
    while (features.contains(tag_field_name(info.layers))) ++info.layers;
    return info;
  }
  const fs::path map_path = folder / "label_map.json";
  if (!fs::exists(map_path)) {
    throw Error(ErrorKind::kNotFound,
                folder.string() + " has neither dataset_info.json nor label_map.json");
  }
  info.tag_names = LabelMap::read_file(map_path).tags();
  return info;
}

HfDatasetWriter::HfDatasetWriter(fs::path folder, LabelMap map, TokenFileOptions options)
    : folder_(std::move(folder)), map_(std::move(map)), options_(options) {
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (!fs::is_directory(folder_))
    throw Error(ErrorKind::kInvalidArgument, "cannot create folder " + folder_.string());
}

void HfDatasetWriter::write(const std::string& split, const TokenRecord& record) {
  auto it = splits_.find(split);
  if (it == splits_.end()) {
    const bool ok = !split.empty() && std::all_of(split.begin(), split.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    if (!ok) throw Error(ErrorKind::kInvalidArgument, "invalid split name '" + split + "'");
    it = splits_
             .emplace(split, std::make_unique<JsonlTokensWriter>(hf_split_path(folder_, split),
                                                                 map_, options_))
             .first;
    order_.push_back(split);
  }
  scratch_ = record;
  scratch_.extra.clear();
  it->second->write(scratch_);
}

void HfDatasetWriter::finish() {
  nlohmann::ordered_json features;
  features["id"] = value_feature("string");
  features["tokens"] = sequence_feature(value_feature("string"));
  for (std::size_t l = 0; l < options_.layers; ++l) {
    features[tag_field_name(l)] =
        sequence_feature({{"names", map_.tags()}, {"_type", "ClassLabel"}});
  }
  if (options_.write_offsets) {
    features["text"] = value_feature("string");
    features["offsets"] = sequence_feature(sequence_feature(value_feature("int64")));
  }
  nlohmann::ordered_json split_info = nlohmann::ordered_json::object();
  std::size_t total = 0;
  std::string yaml_splits, yaml_files;
  for (const auto& name : order_) {
    auto& writer = *splits_.at(name);
    writer.close();
    split_info[name] = {{"name", name},
                        {"num_bytes", writer.bytes_written()},
                        {"num_examples", writer.records_written()},
                        {"dataset_name", nullptr}};
    total += writer.bytes_written();
    yaml_splits.append("  - name: ").append(name);
    yaml_splits.append("\n    num_bytes: ").append(std::to_string(writer.bytes_written()));
    yaml_splits.append("\n    num_examples: ")
        .append(std::to_string(writer.records_written()))
        .append("\n");
    yaml_files.append("  - split: ")
        .append(name)
        .append("\n    path: ")
        .append(name)
        .append(".jsonl\n");
  }
  nlohmann::ordered_json info;
  info["description"] = "Token classification data exported by spanloop (scheme " +
                        std::string(scheme_name(map_.scheme())) + ").";
  info["citation"] = "";
  info["homepage"] = "";
  info["license"] = "";
  info["features"] = std::move(features);
  info["splits"] = std::move(split_info);
  info["dataset_size"] = total;
  write_text(folder_ / "dataset_info.json", info.dump(2) + "\n");

  std::string card =
      "---\ndataset_info:\n  features:\n  - name: id\n    dtype: string\n"
      "  - name: tokens\n    sequence: string\n";
  for (std::size_t l = 0; l < options_.layers; ++l) {
    card +=
        "  - name: " + tag_field_name(l) + "\n    sequence:\n      class_label:\n        names:\n";
    for (std::size_t id = 0; id < map_.tags().size(); ++id) {
      card += "          '" + std::to_string(id) + "': " + yaml_quote(map_.tags()[id]) + "\n";
    }
  }
  if (options_.write_offsets) {
    card +=
        "  - name: text\n    dtype: string\n  - name: offsets\n    sequence:\n      sequence: "
        "int64\n";
  }
  card += "  splits:\n" + yaml_splits + "configs:\n- config_name: default\n  data_files:\n" +
          yaml_files + "---\n\n# Token classification dataset\n\nExported by spanloop: scheme " +
          std::string(scheme_name(map_.scheme())) + ", " + std::to_string(map_.labels().size()) +
          " labels. `ner_tags` are ClassLabel ids; `label_map.json` lists the tags by id.\n";
  write_text(folder_ / "README.md", card);
  map_.write_file(label_map_path_for(folder_, true));
}

}  // namespace spanloop::text
