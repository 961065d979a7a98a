// Test helpers for the inference goldens of ../shared/fixtures: a minimal safetensors reader for
// expected.safetensors (logits made by transformers) and entity comparison with tolerance.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ml/infer/entity.h"

namespace spanloop::ml::testing {

struct GoldenTensor {
  std::vector<std::int64_t> shape;
  std::vector<float> f32;         // F32 tensors
  std::vector<std::int64_t> i64;  // I64 tensors
};

// Reads every F32/I64 tensor of a safetensors file (8-byte header length, JSON header, data).
inline std::map<std::string, GoldenTensor> read_safetensors(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + p.string());
  std::uint64_t n = 0;
  in.read(reinterpret_cast<char*>(&n), 8);
  std::string header(n, '\0');
  in.read(header.data(), static_cast<std::streamsize>(n));
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::map<std::string, GoldenTensor> out;
  const auto parsed = nlohmann::json::parse(header);
  for (const auto& [name, info] : parsed.items()) {
    if (name == "__metadata__") continue;
    GoldenTensor t;
    t.shape = info["shape"].get<std::vector<std::int64_t>>();
    const auto begin = info["data_offsets"][0].get<std::size_t>();
    const auto end = info["data_offsets"][1].get<std::size_t>();
    if (info["dtype"] == "F32") {
      t.f32.resize((end - begin) / 4);
      std::memcpy(t.f32.data(), data.data() + begin, end - begin);
    } else if (info["dtype"] == "I64") {
      t.i64.resize((end - begin) / 8);
      std::memcpy(t.i64.data(), data.data() + begin, end - begin);
    }
    out.emplace(name, std::move(t));
  }
  return out;
}

inline std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

inline std::string describe(const Entity& e) {
  std::ostringstream s;
  s << e.label << " '" << e.word << "' [" << e.start << "," << e.end << ") " << e.score;
  if (e.index) s << " #" << *e.index;
  return s.str();
}

// Empty when `got` equals the golden entity list (label, word, start, end, index exact; score
// within 1e-3), else a description of the first difference.
inline std::string compare_entities(const Entities& got, const nlohmann::json& want) {
  std::ostringstream d;
  for (std::size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    if (i >= got.size()) {
      d << "missing entity " << i << ": " << want[i].dump();
      return d.str();
    }
    if (i >= want.size()) {
      d << "extra entity " << i << ": " << describe(got[i]);
      return d.str();
    }
    const auto& w = want[i];
    const Entity& g = got[i];
    const std::string label = w.contains("entity") ? w["entity"].get<std::string>()
                                                   : w["entity_group"].get<std::string>();
    const bool same =
        g.label == label && g.word == w["word"].get<std::string>() &&
        g.start == w["start"].get<std::size_t>() && g.end == w["end"].get<std::size_t>() &&
        std::fabs(g.score - w["score"].get<double>()) <= 1e-3 &&
        (!w.contains("index") || (g.index && *g.index == w["index"].get<std::size_t>()));
    if (!same) {
      d << "entity " << i << ": got " << describe(g) << ", want " << w.dump();
      return d.str();
    }
  }
  return {};
}

inline const std::vector<std::string>& fixture_names() {
  static const std::vector<std::string> names = {"bert-uncased", "bert-cased", "distilbert-uncased",
                                                 "roberta", "xlm-roberta"};
  return names;
}

// id2label of a fixture's config.json, in id order.
inline std::vector<std::string> fixture_labels(const std::filesystem::path& model_dir) {
  std::ifstream in(model_dir / "config.json");
  const auto config = nlohmann::json::parse(in);
  std::vector<std::string> labels(config["id2label"].size());
  for (const auto& [id, label] : config["id2label"].items())
    labels.at(std::stoul(id)) = label.get<std::string>();
  return labels;
}

}  // namespace spanloop::ml::testing
