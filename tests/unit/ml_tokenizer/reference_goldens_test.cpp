// Goldens made by the reference implementation (make_goldens.js, Hugging Face tokenizers via its
// Node binding): committed ones on our own text and tokenizers, and ones generated at test time
// from ../shared (real claims, CoNLL sentences, fixture tokenizers and variants of them).
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "golden_support.h"
#include "ml/tokenizer/tokenizer.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

using testing::compare_encoding;
using testing::read_jsonl;
namespace fs = std::filesystem;

// Checks every record; returns the number of failures (each reported).
int check_records(const std::vector<nlohmann::json>& records,
                  const std::map<std::string, Tokenizer>& tokenizers) {
  int failures = 0;
  auto fail = [&](const nlohmann::json& rec, const std::string& what) {
    ++failures;
    if (failures <= 25) {
      ADD_FAILURE() << rec["tokenizer"].get<std::string>() << " " << rec["kind"].get<std::string>()
                    << " #" << rec["n"] << " "
                    << (rec.contains("text") ? rec["text"].dump() : rec["words"].dump()) << ": "
                    << what;
    }
  };
  for (const auto& rec : records) {
    const auto& tok = tokenizers.at(rec["tokenizer"].get<std::string>());
    const auto kind = rec["kind"].get<std::string>();
    if (kind == "encode" || kind == "encode_no_special") {
      const auto text = rec["text"].get<std::string>();
      const auto enc = tok.encode(text, kind == "encode");
      if (auto d = compare_encoding(enc, rec); !d.empty()) fail(rec, d);
      if (enc.type_ids != rec["type_ids"].get<std::vector<std::int32_t>>())
        fail(rec, "type_ids differ");
      std::vector<int> att(enc.attention_mask.begin(), enc.attention_mask.end());
      if (att != rec["attention_mask"].get<std::vector<int>>()) fail(rec, "attention_mask differs");
      if (rec.contains("decoded_skip")) {
        const auto ids = rec["ids"].get<std::vector<std::int64_t>>();
        if (tok.decode(ids, true) != rec["decoded_skip"].get<std::string>()) {
          fail(rec, "decode(skip) '" + tok.decode(ids, true) + "' vs '" +
                        rec["decoded_skip"].get<std::string>() + "'");
        }
        if (tok.decode(ids, false) != rec["decoded_keep"].get<std::string>()) {
          fail(rec, "decode(keep) '" + tok.decode(ids, false) + "' vs '" +
                        rec["decoded_keep"].get<std::string>() + "'");
        }
      }
    } else if (kind == "windows") {
      const auto windows =
          tok.encode_windows(rec["text"].get<std::string>(), rec["max_length"].get<std::size_t>(),
                             rec["stride"].get<std::size_t>());
      const auto& want = rec["windows"];
      if (windows.size() != want.size()) {
        fail(rec, "window count " + std::to_string(windows.size()) + " vs " +
                      std::to_string(want.size()));
        continue;
      }
      for (std::size_t w = 0; w < windows.size(); ++w) {
        if (auto d = compare_encoding(windows[w], want[w]); !d.empty())
          fail(rec, "window " + std::to_string(w) + ": " + d);
      }
    } else if (kind == "words") {
      const auto enc = tok.encode_words(rec["words"].get<std::vector<std::string>>());
      if (auto d = compare_encoding(enc, rec); !d.empty()) fail(rec, d);
    }
  }
  return failures;
}

TEST(ReferenceGoldens, SyntheticTokenizersOnOwnText) {
  const auto dir = spanloop::testing::test_data_dir() / "ml_tokenizer";
  std::map<std::string, Tokenizer> tokenizers;
  for (const auto& e : fs::directory_iterator(dir / "tokenizers")) {
    tokenizers.emplace(e.path().stem().string(), Tokenizer::from_file(e.path()));
  }
  const auto records = read_jsonl(dir / "goldens" / "synthetic_goldens.jsonl");
  ASSERT_GT(records.size(), 200u);
  EXPECT_EQ(check_records(records, tokenizers), 0);
}

// Runs make_goldens.js on ../shared into the build directory (needs node and `npm ci` in
// tests/data/ml_tokenizer); skips when either is missing.
TEST(ReferenceGoldens, RealClaimsConllAndComponentVariants) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto data = spanloop::testing::test_data_dir() / "ml_tokenizer";
  if (!fs::exists(data / "node_modules" / "tokenizers")) {
    GTEST_SKIP() << "reference tokenizer not installed: run `npm ci` in " << data.string();
  }
  if (std::system("node --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "node is not installed";
  const fs::path out = fs::path(SPANLOOP_BINARY_DIR) / "ml_tokenizer_goldens";
  fs::create_directories(out);
  const auto cmd = "node \"" + (data / "make_goldens.js").string() + "\" shared \"" +
                   shared.string() + "\" \"" + out.string() + "\" > \"" +
                   (out / "make_goldens.log").string() + "\" 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0)
      << "make_goldens.js failed, see " << (out / "make_goldens.log").string();
  std::map<std::string, Tokenizer> tokenizers;
  for (const auto* name :
       {"bert-uncased", "bert-cased", "distilbert-uncased", "roberta", "xlm-roberta"}) {
    tokenizers.emplace(
        name, Tokenizer::from_file(shared / "fixtures" / name / "model" / "tokenizer.json"));
  }
  for (const auto& e : fs::directory_iterator(out / "variants")) {
    tokenizers.emplace("variant:" + e.path().stem().string(), Tokenizer::from_file(e.path()));
  }
  const auto records = read_jsonl(out / "shared_goldens.jsonl");
  ASSERT_GT(records.size(), 1000u);
  EXPECT_EQ(check_records(records, tokenizers), 0);
}

}  // namespace
}  // namespace spanloop::ml
