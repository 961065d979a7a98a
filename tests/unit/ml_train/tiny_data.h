// Test helpers without libtorch: a small WordPiece tokenizer and a synthetic tagging task.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "ml/tokenizer/tokenizer.h"
#include "ml/train/train_data.h"

namespace spanloop::ml::train::testing {

// Words: fillers, type A ("alpha", "beta", "gamma", "alphabet" = alpha + ##bet), type B ("red",
// "blue"). [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3.
inline const std::vector<std::string>& tiny_vocab() {
  static const std::vector<std::string> v = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "the",  "a",
                                             "of",    "and",   "alpha", "beta",  "gamma", "##bet",
                                             "red",   "blue",  "x",     "##y"};
  return v;
}

inline Tokenizer tiny_tokenizer() {
  std::string vocab;
  for (std::size_t i = 0; i < tiny_vocab().size(); ++i)
    vocab += (i ? "," : "") + std::string("\"") + tiny_vocab()[i] + "\":" + std::to_string(i);
  std::string added;
  for (int i = 0; i < 4; ++i)
    added += std::string(i ? "," : "") + "{\"id\":" + std::to_string(i) + ",\"content\":\"" +
             tiny_vocab()[static_cast<std::size_t>(i)] +
             "\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,"
             "\"special\":true}";
  const std::string json =
      "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[" + added +
      "],\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,"
      "\"handle_chinese_chars\":true,\"strip_accents\":null,\"lowercase\":true},"
      "\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
      "\"post_processor\":{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",3],\"cls\":[\"[CLS]\",2]},"
      "\"decoder\":{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true},"
      "\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":\"##\","
      "\"max_input_chars_per_word\":100,\"vocab\":{" + vocab + "}}}";
  return Tokenizer::from_json_string(json, "tiny tokenizer");
}

// Sentences of fillers with spans of A words and B words (1-3 words each); IOB2 tags of
// LabelMap({"A", "B"}, IOB2): O=0 B-A=1 I-A=2 B-B=3 I-B=4.
inline std::vector<WordExample> synthetic_examples(std::size_t n, std::uint64_t seed) {
  static const std::vector<std::string> filler = {"the", "a", "of", "and", "xy"};
  static const std::vector<std::string> a = {"alpha", "beta", "gamma", "alphabet"};
  static const std::vector<std::string> b = {"red", "blue"};
  std::mt19937_64 rng(seed);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  std::vector<WordExample> out;
  for (std::size_t i = 0; i < n; ++i) {
    WordExample e;
    e.id = std::to_string(i);
    const std::size_t parts = 2 + rng() % 4;
    for (std::size_t k = 0; k < parts; ++k) {
      const auto kind = rng() % 3;
      const std::size_t len = 1 + rng() % 3;
      for (std::size_t w = 0; w < len; ++w) {
        if (kind == 0) {
          e.words.push_back(pick(filler));
          e.tags.push_back(0);
        } else if (kind == 1) {
          e.words.push_back(pick(a));
          e.tags.push_back(w == 0 ? 1 : 2);
        } else {
          e.words.push_back(pick(b));
          e.tags.push_back(w == 0 ? 3 : 4);
        }
      }
      // A filler after every part, so two spans of one type are never adjacent.
      e.words.push_back(pick(filler));
      e.tags.push_back(0);
    }
    out.push_back(std::move(e));
  }
  return out;
}

inline TrainData synthetic_data(std::size_t train, std::size_t valid) {
  TrainData d{text::LabelMap({"A", "B"}, text::Scheme::kIOB2), synthetic_examples(train, 1),
              synthetic_examples(valid, 2), {}};
  return d;
}

}  // namespace spanloop::ml::train::testing
