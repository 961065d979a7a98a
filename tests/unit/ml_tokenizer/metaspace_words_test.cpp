// The SentencePiece-style shortcut (metaspace_words.h) against the general pipeline: the same
// tokenizer.json with its normalizer wrapped in one more Sequence is not recognised, so it takes
// the general route, and every encoding must be identical, field for field. Without ../shared a
// tiny Unigram model with an empty charsmap checks the space, strip and prepend handling; with
// it, the XLM-R fixture's real charsmap (which maps control characters, CR LF, full-width
// forms...) runs on fuzzed text and real claims.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "ml/tokenizer/tokenizer.h"
#include "ml/tokenizer/wordpiece_trainer.h"
#include "same_encoding.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

using nlohmann::json;

const char* const kRep = "\xE2\x96\x81";  // ▁

json strip_right() {
  return {{"type", "Strip"}, {"strip_left", false}, {"strip_right", true}};
}
json collapse_spaces() {
  return {{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", kRep}};
}
json metaspace(const char* scheme) {
  return {
      {"type", "Metaspace"}, {"replacement", kRep}, {"prepend_scheme", scheme}, {"split", true}};
}

// A small Unigram model over the pieces the fuzzed text is made of (the rest is unknown).
json tiny_unigram_doc() {
  json vocab = json::array();
  double score = -1.0;
  const std::string r = kRep;
  for (const std::string& p : std::vector<std::string>{
           "<s>", "<pad>",        "</s>",  "<unk>",  r,    r + "a", r + "the", "the", "claim",
           "s",   r + "claim",    "sub",   "strate", "1",  ",",     ".",       "(",   ")",
           "é",   "\xE6\x97\xA5", r + "(", "\t",     "ab", "a",     "b"}) {
    vocab.push_back({p, score});
    score -= 0.5;
  }
  json added = json::array();
  for (int i = 0; i < 4; ++i) {
    added.push_back({{"id", i},
                     {"content", vocab[static_cast<std::size_t>(i)][0]},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
  }
  return {
      {"version", "1.0"},
      {"added_tokens", added},
      {"normalizer",
       {{"type", "Sequence"},
        {"normalizers", json::array({{{"type", "Precompiled"}, {"precompiled_charsmap", nullptr}},
                                     strip_right(),
                                     collapse_spaces()})}}},
      {"pre_tokenizer", metaspace("always")},
      {"post_processor",
       {{"type", "RobertaProcessing"},
        {"sep", {"</s>", 2}},
        {"cls", {"<s>", 0}},
        {"trim_offsets", true},
        {"add_prefix_space", true}}},
      {"model", {{"type", "Unigram"}, {"unk_id", 3}, {"vocab", vocab}}}};
}

// The stage variants the shortcut recognises: Strip and Replace present or not, each prepend
// scheme.
std::vector<json> variants(const json& doc) {
  std::vector<json> out;
  const json precompiled = doc["normalizer"]["normalizers"][0];
  for (int mask = 0; mask < 4; ++mask) {
    for (const char* scheme : {"always", "first", "never"}) {
      json d = doc;
      json parts = json::array({precompiled});
      if (mask & 1) parts.push_back(strip_right());
      if (mask & 2) parts.push_back(collapse_spaces());
      d["normalizer"] = {{"type", "Sequence"}, {"normalizers", parts}};
      d["pre_tokenizer"] = metaspace(scheme);
      out.push_back(std::move(d));
    }
  }
  return out;
}

// The same stages with the normalizer inside one more Sequence: not recognised.
json general_route(json doc) {
  doc["normalizer"] = {{"type", "Sequence"}, {"normalizers", json::array({doc["normalizer"]})}};
  return doc;
}

void expect_same(const Tokenizer& fast, const Tokenizer& general, const std::string& text) {
  expect_same_encoding(fast, general, text, {"Sub", " strates", "(1) "});
}

// Random text from pieces that stress each byte class: ASCII controls (dropped or mapped by a
// real charsmap), CR LF (one grapheme), runs of spaces and tabs at either end, the replacement
// character itself, accents composed and combining (also right after a space), CJK, non-ASCII
// and full-width spaces and letters, ligatures, astral characters and special-token strings.
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
                                                  " ",
                                                  " ",
                                                  " ",
                                                  "  ",
                                                  "   ",
                                                  "\t",
                                                  "\n",
                                                  "\r",
                                                  "\r\n",
                                                  "\x0b",
                                                  "\x0c",
                                                  "\x1f",
                                                  "\x7f",
                                                  std::string(1, '\0'),
                                                  "\x01",
                                                  "\x08",
                                                  "<s>",
                                                  "</s>",
                                                  "<mask>",
                                                  "Café",
                                                  "cafe\xcc\x81",
                                                  "\xcc\x81",
                                                  " \xcc\x81",
                                                  "\xe6\x97\xa5\xe6\x9c\xac",
                                                  "\xc2\xa0",
                                                  "\xe2\x80\x8b",
                                                  "\xe3\x80\x80",
                                                  "\xe2\x96\x81",
                                                  "\xe2\x96\x81\xe2\x96\x81",
                                                  "\xef\xbc\xa1",
                                                  "\xef\xac\x81",
                                                  "\xf0\x9d\x91\xa5",
                                                  "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x94\xac",
                                                  "\xc2\xb0",
                                                  "\xe2\x80\x93",
                                                  "\xe2\x89\xa6",
                                                  "\xc2\xb5m",
                                                  "\xc2\xad",
                                                  "\xef\xbf\xbd",
                                                  "ab",
                                                  "abababab",
                                                  "~",
                                                  "`",
                                                  "\\",
                                                  "!?"};
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), len(0, 14);
  std::string out;
  for (std::size_t i = 0, n = len(rng); i < n; ++i) out += pieces[pick(rng)];
  return out;
}

// Hand-picked whitespace shapes (leading, trailing, runs, tabs, newlines, only spaces).
const std::vector<std::string>& whitespace_texts() {
  static const std::vector<std::string> texts = {"",
                                                 " ",
                                                 "  ",
                                                 "\t",
                                                 "\n",
                                                 "a",
                                                 " a",
                                                 "  a",
                                                 "   a",
                                                 "a ",
                                                 "a  ",
                                                 "a   ",
                                                 "a b",
                                                 "a  b",
                                                 "a   b",
                                                 "a\tb",
                                                 "a\t\tb",
                                                 "a\nb",
                                                 "a \n b",
                                                 "a\r\nb",
                                                 "\r\na",
                                                 "a\r\n",
                                                 " \t a \t ",
                                                 "\x01"
                                                 "a b",
                                                 "a \x01 b",
                                                 "a\x01\x01 b",
                                                 " \x01",
                                                 "\xe2\x96\x81"
                                                 "a",
                                                 "a \xe2\x96\x81 b",
                                                 "the claims (1)",
                                                 "  the  claims  ",
                                                 "claim\t(1)\n\n2.  the"};
  return texts;
}

TEST(MetaspaceWords, SameEncodingsAsTheGeneralPipelineWithAnEmptyCharsmap) {
  std::mt19937 rng(5);
  for (const auto& doc : variants(tiny_unigram_doc())) {
    const auto fast = Tokenizer::from_json_string(doc.dump(), "fast.json");
    const auto general = Tokenizer::from_json_string(general_route(doc).dump(), "general.json");
    for (const auto& t : whitespace_texts()) expect_same(fast, general, t);
    for (int i = 0; i < 300; ++i) expect_same(fast, general, random_text(rng));
  }
}

json xlmr_doc(const std::filesystem::path& shared) {
  std::ifstream in(shared / "fixtures" / "xlm-roberta" / "model" / "tokenizer.json");
  return json::parse(in);
}

TEST(MetaspaceWords, SameEncodingsAsTheGeneralPipelineWithTheXlmrCharsmap) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto base = xlmr_doc(shared);
  std::mt19937 rng(9);
  for (const auto& doc : variants(base)) {
    const auto fast = Tokenizer::from_json_string(doc.dump(), "fast.json");
    const auto general = Tokenizer::from_json_string(general_route(doc).dump(), "general.json");
    for (const auto& t : whitespace_texts()) expect_same(fast, general, t);
    for (int i = 0; i < 300; ++i) expect_same(fast, general, random_text(rng));
  }
  // The fixture's own stages, longer.
  const auto fast = Tokenizer::from_json_string(base.dump(), "xlm-roberta");
  const auto general = Tokenizer::from_json_string(general_route(base).dump(), "general.json");
  for (int i = 0; i < 2000; ++i) expect_same(fast, general, random_text(rng));
}

TEST(MetaspaceWords, SameEncodingsOnRealClaimsWithTheXlmrFixture) {
  SPANLOOP_REQUIRE_SHARED(shared);
  std::vector<std::string> texts;
  std::size_t non_ascii = 0;
  for_each_document(shared / "data" / "claims" / "claims.csv", "text", [&](std::string_view t) {
    if (texts.size() >= 300) return;
    texts.emplace_back(t);
    for (const char c : t) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        ++non_ascii;
        break;
      }
    }
  });
  ASSERT_EQ(texts.size(), 300u);
  EXPECT_GT(non_ascii, 0u);  // both the kept-text and the charsmap routes are exercised
  const auto doc = xlmr_doc(shared);
  const auto fast = Tokenizer::from_json_string(doc.dump(), "xlm-roberta");
  const auto general = Tokenizer::from_json_string(general_route(doc).dump(), "general.json");
  for (const auto& t : texts) expect_same(fast, general, t);
}

}  // namespace
}  // namespace spanloop::ml
