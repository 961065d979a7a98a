// Helpers to compare encodings with golden JSONL records made by Hugging Face tokenizers.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "ml/tokenizer/tokenizer.h"

namespace spanloop::ml::testing {

inline std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

// Empty when the encoding equals the record ("input_ids"/"ids", "tokens", "offsets", "word_ids",
// "special_tokens_mask"), else a description of the first difference.
inline std::string compare_encoding(const Encoding& e, const nlohmann::json& rec) {
  std::ostringstream d;
  const auto& ids = rec.contains("input_ids") ? rec["input_ids"] : rec["ids"];
  std::vector<std::int64_t> want_ids = ids.get<std::vector<std::int64_t>>();
  auto dump_tokens = [&] {
    std::ostringstream s;
    s << "\n  got:  ";
    for (std::size_t i = 0; i < e.tokens.size(); ++i)
      s << e.tokens[i] << "(" << e.ids[i] << ")[" << e.offsets[i].begin << "," << e.offsets[i].end
        << "] ";
    s << "\n  want: ";
    for (std::size_t i = 0; i < want_ids.size(); ++i) {
      s << rec["tokens"][i].get<std::string>() << "(" << want_ids[i] << ")[" << rec["offsets"][i][0]
        << "," << rec["offsets"][i][1] << "] ";
    }
    return s.str();
  };
  if (e.ids != want_ids) {
    d << "ids differ (" << e.ids.size() << " vs " << want_ids.size() << ")" << dump_tokens();
    return d.str();
  }
  for (std::size_t i = 0; i < want_ids.size(); ++i) {
    if (rec.contains("tokens") && e.tokens[i] != rec["tokens"][i].get<std::string>()) {
      d << "token " << i << ": '" << e.tokens[i] << "' vs '" << rec["tokens"][i].get<std::string>()
        << "'";
      return d.str();
    }
    if (rec.contains("offsets") && (e.offsets[i].begin != rec["offsets"][i][0].get<std::size_t>() ||
                                    e.offsets[i].end != rec["offsets"][i][1].get<std::size_t>())) {
      d << "offsets of token " << i << " ('" << e.tokens[i] << "')" << dump_tokens();
      return d.str();
    }
    if (rec.contains("word_ids")) {
      const auto& w = rec["word_ids"][i];
      const std::int32_t want = w.is_null() ? -1 : w.get<std::int32_t>();
      if (e.word_ids[i] != want) {
        d << "word id of token " << i << " ('" << e.tokens[i] << "'): " << e.word_ids[i] << " vs "
          << want;
        return d.str();
      }
    }
    if (rec.contains("special_tokens_mask") &&
        e.special_tokens_mask[i] != rec["special_tokens_mask"][i].get<int>()) {
      d << "special_tokens_mask of token " << i;
      return d.str();
    }
  }
  return {};
}

}  // namespace spanloop::ml::testing
