// The shortcuts of BERT-style tokenizers (ascii_words.h) and of byte-level BPE against the
// general pipeline: the same tokenizer.json with its BertNormalizer (or ByteLevel pre-tokenizer)
// wrapped in a one-element Sequence takes the general route, and every encoding must be
// identical, field for field.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "ml/tokenizer/components.h"
#include "ml/tokenizer/tokenizer.h"
#include "ml/tokenizer/wordpiece_trainer.h"
#include "same_encoding.h"
#include "support/test_support.h"
#include "text/utf8.h"

namespace spanloop::ml {
namespace {

using nlohmann::json;

json tiny_bert(bool clean_text, bool chinese, json strip_accents, bool lowercase) {
  json vocab = json::object();
  int id = 0;
  for (const char* t :
       {"[PAD]", "[UNK]", "[CLS]",    "[SEP]", "[MASK]", "a", "the", "method", "claim", "##s",
        "##ing", "sub",   "##strate", "1",     ",",      ".", "(",   ")",      "-",     "cafe",
        "café",  "k",     "##a",      "##b",   "ab",     "é", "日",  "x",      "##x"}) {
    vocab[t] = id++;
  }
  json added = json::array();
  for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
    added.push_back({{"id", vocab[t]},
                     {"content", t},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
  }
  return {{"version", "1.0"},
          {"added_tokens", added},
          {"normalizer",
           {{"type", "BertNormalizer"},
            {"clean_text", clean_text},
            {"handle_chinese_chars", chinese},
            {"strip_accents", strip_accents},
            {"lowercase", lowercase}}},
          {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
          {"post_processor",
           {{"type", "BertProcessing"}, {"sep", {"[SEP]", 3}}, {"cls", {"[CLS]", 2}}}},
          {"model",
           {{"type", "WordPiece"},
            {"unk_token", "[UNK]"},
            {"continuing_subword_prefix", "##"},
            {"max_input_chars_per_word", 12},
            {"vocab", vocab}}}};
}

// The same stages with the normalizer inside a Sequence: not recognised, so the general route.
json general_route(json doc) {
  doc["normalizer"] = {{"type", "Sequence"}, {"normalizers", json::array({doc["normalizer"]})}};
  return doc;
}

json tiny_byte_level_bpe() {
  json vocab = json::object();
  for (int b = 0; b < 256; ++b) {
    std::string c;
    text::append_utf8(c, tok::byte_to_char(static_cast<std::uint8_t>(b)));
    vocab[c] = b;
  }
  json merges = json::array();
  int id = 256;
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{{"Ġ", "t"},
                                                                             {"h", "e"},
                                                                             {"Ġt", "he"},
                                                                             {"c", "l"},
                                                                             {"cl", "a"},
                                                                             {"cla", "i"},
                                                                             {"clai", "m"},
                                                                             {"Ã", "©"},
                                                                             {"Ġ", "Ã©"},
                                                                             {"1", "2"},
                                                                             {"Ġ", "("}}) {
    merges.push_back(a + " " + b);
    vocab[a + b] = id++;
  }
  vocab["<s>"] = id++;
  vocab["</s>"] = id++;
  json added = json::array();
  for (const char* t : {"<s>", "</s>"}) {
    added.push_back({{"id", vocab[t]},
                     {"content", t},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", true},
                     {"special", true}});
  }
  return {{"version", "1.0"},
          {"added_tokens", added},
          {"normalizer", nullptr},
          {"pre_tokenizer",
           {{"type", "ByteLevel"},
            {"add_prefix_space", false},
            {"trim_offsets", true},
            {"use_regex", true}}},
          {"post_processor",
           {{"type", "RobertaProcessing"},
            {"sep", {"</s>", vocab["</s>"]}},
            {"cls", {"<s>", vocab["<s>"]}},
            {"trim_offsets", true},
            {"add_prefix_space", false}}},
          {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}}};
}

json general_pre_tokenizer(json doc) {
  doc["pre_tokenizer"] = {{"type", "Sequence"},
                          {"pretokenizers", json::array({doc["pre_tokenizer"]})}};
  return doc;
}

void expect_same(const Tokenizer& fast, const Tokenizer& general, const std::string& text) {
  expect_same_encoding(fast, general, text, {"Sub", "strates", "(1)"});
}

// Random text from pieces that stress each byte class: every ASCII control character, both
// kinds of space, punctuation, special-token strings, accents (composed and combining),
// CJK, non-ASCII spaces, astral characters, and words that are too long.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {"a",
                                                  "the",
                                                  "Method",
                                                  "claims",
                                                  "substrate",
                                                  "1",
                                                  ",",
                                                  ".",
                                                  "(",
                                                  ")",
                                                  "-",
                                                  " ",
                                                  "  ",
                                                  "\t",
                                                  "\n",
                                                  "\r\n",
                                                  "\x0b",
                                                  "\x0c",
                                                  "\x1f",
                                                  "\x7f",
                                                  std::string(1, '\0'),
                                                  "\x01",
                                                  "[CLS]",
                                                  "[SEP]",
                                                  "[cls]",
                                                  "Café",
                                                  "cafe\xcc\x81",
                                                  "\xcc\x81",
                                                  "日本",
                                                  "\xc2\xa0",
                                                  "\xe2\x80\x8b",
                                                  "𝑥",
                                                  "👩‍🔬",
                                                  "abababababababab",
                                                  "xxxxxxxxxxxxxxxxxxxx",
                                                  "K",
                                                  "é",
                                                  "!?",
                                                  "\xef\xbf\xbd",
                                                  "~",
                                                  "`",
                                                  "\\",
                                                  "µm",
                                                  "≤"};
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), len(0, 14);
  std::string out;
  for (std::size_t i = 0, n = len(rng); i < n; ++i) out += pieces[pick(rng)];
  return out;
}

TEST(AsciiWords, SameEncodingsAsTheGeneralPipelineForEveryNormalizerOption) {
  std::mt19937 rng(7);
  for (bool clean : {true, false}) {
    for (bool chinese : {true, false}) {
      for (json strip : {json(nullptr), json(true), json(false)}) {
        for (bool lower : {true, false}) {
          const auto doc = tiny_bert(clean, chinese, strip, lower);
          const auto fast = Tokenizer::from_json_string(doc.dump(), "fast.json");
          const auto general =
              Tokenizer::from_json_string(general_route(doc).dump(), "general.json");
          for (int i = 0; i < 300; ++i) expect_same(fast, general, random_text(rng));
        }
      }
    }
  }
}

TEST(ByteLevelDirect, SameEncodingsAsTheGeneralPipeline) {
  std::mt19937 rng(11);
  const auto doc = tiny_byte_level_bpe();
  const auto fast = Tokenizer::from_json_string(doc.dump(), "fast.json");
  const auto general =
      Tokenizer::from_json_string(general_pre_tokenizer(doc).dump(), "general.json");
  for (int i = 0; i < 2000; ++i) expect_same(fast, general, random_text(rng));
  expect_same(fast, general, "the claim <s> 12 (é)</s>");
}

TEST(AsciiWords, SameEncodingsOnRealClaimsWithTheFixtureTokenizers) {
  SPANLOOP_REQUIRE_SHARED(shared);
  std::vector<std::string> texts;
  for_each_document(shared / "data" / "claims" / "claims.csv", "text", [&](std::string_view t) {
    if (texts.size() < 300) texts.emplace_back(t);
  });
  for (const char* fixture : {"bert-uncased", "bert-cased"}) {
    const auto path = shared / "fixtures" / fixture / "model" / "tokenizer.json";
    std::ifstream in(path);
    const auto doc = json::parse(in);
    const auto fast = Tokenizer::from_json_string(doc.dump(), fixture);
    const auto general = Tokenizer::from_json_string(general_route(doc).dump(), fixture);
    for (const auto& t : texts) expect_same(fast, general, t);
  }
  const auto path = shared / "fixtures" / "roberta" / "model" / "tokenizer.json";
  std::ifstream in(path);
  const auto doc = json::parse(in);
  const auto fast = Tokenizer::from_json_string(doc.dump(), "roberta");
  const auto general = Tokenizer::from_json_string(general_pre_tokenizer(doc).dump(), "roberta");
  for (const auto& t : texts) expect_same(fast, general, t);
}

}  // namespace
}  // namespace spanloop::ml
