// Shared helpers of the ml_model tests: fixture names, golden cases, tensor comparison.
#pragma once

#include <ATen/ATen.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ml/io/weight_source.h"

namespace spanloop::ml::testing {

inline const std::vector<std::string>& fixture_names() {
  static const std::vector<std::string> names{"bert-uncased", "bert-cased", "distilbert-uncased",
                                              "roberta", "xlm-roberta"};
  return names;
}

// One golden case of expected.safetensors: "single<i>" or "batch<k>".
struct GoldenCase {
  std::string name;
  at::Tensor input_ids, attention_mask, logits;
};

inline std::vector<GoldenCase> golden_cases(const std::filesystem::path& fixture_dir) {
  auto src = open_safetensors(fixture_dir / "golden/expected.safetensors");
  std::vector<GoldenCase> cases;
  for (const auto& name : src->names()) {
    const std::string suffix = ".logits";
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const auto base = name.substr(0, name.size() - suffix.size());
    cases.push_back({base, src->load(base + ".input_ids"), src->load(base + ".attention_mask"),
                     src->load(name)});
  }
  return cases;
}

// Largest |a - b| over positions where mask == 1 (logits [B, T, C], mask [B, T]).
inline double max_abs_diff_on_tokens(const at::Tensor& a, const at::Tensor& b,
                                     const at::Tensor& mask) {
  const auto keep = mask.to(at::kBool).unsqueeze(-1).expand_as(a);
  return (a.to(at::kFloat) - b.to(at::kFloat)).abs().masked_select(keep).max().item<double>();
}

// Share of real tokens whose argmax agrees.
inline double argmax_agreement(const at::Tensor& a, const at::Tensor& b, const at::Tensor& mask) {
  const auto keep = mask.to(at::kBool);
  const auto same = a.argmax(-1).eq(b.argmax(-1)).masked_select(keep);
  return same.to(at::kDouble).mean().item<double>();
}

inline void copy_model_dir(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to);
  for (const auto& e : std::filesystem::directory_iterator(from))
    std::filesystem::copy_file(e.path(), to / e.path().filename(),
                               std::filesystem::copy_options::overwrite_existing);
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
inline void write_text(const std::filesystem::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << s;
}

}  // namespace spanloop::ml::testing
