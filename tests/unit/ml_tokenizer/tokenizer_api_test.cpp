// Tokenizer API behaviour: errors on bad input, empty text, windows, decode, save/load round
// trip, special token ids, thread safety, the WordPiece trainer and the corpus readers.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "ml/tokenizer/tokenizer.h"
#include "ml/tokenizer/wordpiece_trainer.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

namespace fs = std::filesystem;

fs::path synthetic(const char* name) {
  return spanloop::testing::test_data_dir() / "ml_tokenizer" / "tokenizers" / name;
}

void write(const fs::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
}

TEST(TokenizerErrors, UnsupportedComponentNamesTypeAndFile) {
  EXPECT_ERROR_KIND(
      Tokenizer::from_json_string(
          R"({"model":{"type":"WordPiece","vocab":{"a":0}},"normalizer":{"type":"Sequence","normalizers":[{"type":"Lowercase"},{"type":"FancyNorm"}]}})",
          "my/tokenizer.json"),
      ErrorKind::kInvalidArgument,
      "my/tokenizer.json: at normalizer.normalizers[1]: unsupported normalizer type 'FancyNorm'");
  EXPECT_ERROR_KIND(
      Tokenizer::from_json_string(R"({"model":{"type":"WordLevel","vocab":{}}})", "t.json"),
      ErrorKind::kInvalidArgument, "unsupported model type 'WordLevel'");
  EXPECT_ERROR_KIND(
      Tokenizer::from_json_string(
          R"({"model":{"type":"WordPiece","vocab":{"a":0}},"pre_tokenizer":{"type":"UnicodeScripts"}})",
          "t.json"),
      ErrorKind::kInvalidArgument, "unsupported pre_tokenizer type 'UnicodeScripts'");
  EXPECT_ERROR_KIND(
      Tokenizer::from_json_string(
          R"({"model":{"type":"WordPiece","vocab":{"a":0}},"decoder":{"type":"CTC"}})", "t.json"),
      ErrorKind::kInvalidArgument, "unsupported decoder type 'CTC'");
  EXPECT_ERROR_KIND(
      Tokenizer::from_json_string(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":["a b"]}})",
                                  "t.json"),
      ErrorKind::kInvalidArgument,
      "at model.merges[0]: merge 'a b' uses a token missing from the vocabulary ('b')");
  EXPECT_ERROR_KIND(
      Tokenizer::from_json_string(
          R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[],"dropout":0.1}})", "t.json"),
      ErrorKind::kInvalidArgument, "dropout");
}

TEST(TokenizerErrors, CorruptFiles) {
  spanloop::testing::TempDir tmp;
  write(tmp.path() / "tokenizer.json", "{\"model\": {\"type\": \"WordPiece\", ");
  EXPECT_ERROR_KIND(Tokenizer::from_file(tmp.path() / "tokenizer.json"),
                    ErrorKind::kInvalidArgument, "tokenizer.json: not valid JSON");
  EXPECT_ERROR_KIND(Tokenizer::from_directory(tmp.path()), ErrorKind::kInvalidArgument,
                    "not valid JSON");
  EXPECT_ERROR_KIND(Tokenizer::from_file(tmp.path() / "missing.json"), ErrorKind::kNotFound,
                    "missing.json");
  EXPECT_ERROR_KIND(Tokenizer::from_directory(tmp.path() / "nope"), ErrorKind::kNotFound,
                    "does not exist");
  fs::remove(tmp.path() / "tokenizer.json");
  EXPECT_ERROR_KIND(Tokenizer::from_directory(tmp.path()), ErrorKind::kNotFound, "no tokenizer in");
  write(tmp.path() / "spiece.model", "not a sentencepiece model");
  EXPECT_ERROR_KIND(Tokenizer::from_directory(tmp.path()), ErrorKind::kInvalidArgument,
                    "spiece.model");
  EXPECT_ERROR_KIND(
      Tokenizer::from_json_string(
          R"({"model":{"type":"Unigram","vocab":[["a",0.0]],"unk_id":0},"normalizer":{"type":"Precompiled","precompiled_charsmap":"AAAA"}})",
          "t.json"),
      ErrorKind::kInvalidArgument, "precompiled charsmap");
}

TEST(TokenizerErrors, InvalidUtf8NamesTheByte) {
  const auto tok = Tokenizer::from_file(synthetic("wordpiece-tiny-trunc-pad.json"));
  EXPECT_ERROR_KIND(tok.encode(std::string("ok \xC3\x28 bad")), ErrorKind::kInvalidArgument,
                    "at byte 3");
  EXPECT_ERROR_KIND(tok.encode_words({"fine", std::string("\xFF")}), ErrorKind::kInvalidArgument,
                    "word 1");
}

TEST(Tokenizer, EmptyTextGivesOnlySpecialTokens) {
  const auto tok = Tokenizer::from_file(synthetic("bpe-prefix-byte-fallback.json"));
  const auto e = tok.encode("");
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"[CLS]", "[SEP]"}));
  EXPECT_EQ(e.word_ids, (std::vector<std::int32_t>{-1, -1}));
  EXPECT_TRUE(tok.encode("", false).ids.empty());
  EXPECT_TRUE(tok.encode("   ", false).ids.empty());
}

TEST(Tokenizer, WindowsOverlapByStrideAndRejectBadSizes) {
  const auto tok = Tokenizer::from_file(synthetic("bpe-prefix-byte-fallback.json"));
  const std::string text =
      "the claim where the layer is silicon and the claim is long enough for windows";
  const auto all = tok.encode(text, false);
  const auto windows = tok.encode_windows(text, 10, 3);
  ASSERT_GT(windows.size(), 2u);
  std::size_t start = 0;
  for (const auto& w : windows) {
    EXPECT_LE(w.size(), 10u);
    EXPECT_EQ(w.tokens.front(), "[CLS]");
    EXPECT_EQ(w.tokens.back(), "[SEP]");
    EXPECT_EQ(w.ids[1], all.ids[start]);  // each window starts 8 - 3 = 5 tokens after the previous
    start += 5;
  }
  EXPECT_EQ(tok.encode_windows("the claim", 10, 3).size(), 1u);
  EXPECT_ERROR_KIND(tok.encode_windows(text, 10, 8), ErrorKind::kInvalidArgument, "stride 8");
  EXPECT_ERROR_KIND(tok.encode_windows(text, 2, 0), ErrorKind::kInvalidArgument, "max_length 2");
}

TEST(Tokenizer, ConfiguredTruncationAndPadding) {
  const auto tok = Tokenizer::from_file(synthetic("wordpiece-tiny-trunc-pad.json"));
  const auto e = tok.encode("the method of claim 1 wherein the substrate layer the the the");
  // max_length 10 with stride 2, padded on the left to 12 rounded up to a multiple of 8 = 16.
  ASSERT_EQ(e.size(), 16u);
  EXPECT_EQ(e.attention_mask[0], 0);
  EXPECT_EQ(e.tokens[6], "[CLS]");
  ASSERT_FALSE(e.overflowing.empty());
  EXPECT_EQ(e.overflowing[0].size(), 16u);
}

TEST(Tokenizer, DecodeAndTokenLookups) {
  const auto tok = Tokenizer::from_file(synthetic("bpe-prefix-byte-fallback.json"));
  const auto e = tok.encode("the claim µ");
  EXPECT_EQ(tok.decode(e.ids), "the claim \u03bc");  // NFKC folds the micro sign
  EXPECT_EQ(tok.decode(e.ids, false), "[CLS] the claim \u03bc [SEP]");
  EXPECT_EQ(tok.token_to_id("[SEP]"), 3);
  EXPECT_EQ(tok.id_to_token(2), "[CLS]");
  EXPECT_EQ(tok.id_to_token(999999), "");
  EXPECT_FALSE(tok.token_to_id("not-a-token").has_value());
  EXPECT_EQ(tok.model_type(), "BPE");
  EXPECT_EQ(tok.continuing_subword_prefix(), "##");
  EXPECT_EQ(tok.cls_token_id(), 2);
  EXPECT_EQ(tok.pad_token_id(), 0);
  EXPECT_EQ(tok.num_special_tokens_to_add(), 2u);
  EXPECT_TRUE(tok.is_special_id(3));
}

TEST(Tokenizer, FixtureSpecialTokenIds) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto bert = Tokenizer::from_directory(shared / "fixtures" / "bert-uncased" / "model");
  EXPECT_EQ(bert.pad_token_id(), 0);
  EXPECT_EQ(bert.unk_token_id(), 100);
  EXPECT_EQ(bert.cls_token_id(), 101);
  EXPECT_EQ(bert.sep_token_id(), 102);
  EXPECT_EQ(bert.mask_token_id(), 103);
  EXPECT_EQ(bert.model_max_length(), 512u);
  EXPECT_EQ(bert.vocab_size(), 3300u);
  const auto roberta = Tokenizer::from_directory(shared / "fixtures" / "roberta" / "model");
  EXPECT_EQ(roberta.pad_token_id(), 1);
  EXPECT_EQ(roberta.mask_token_id(), 3299);
  EXPECT_EQ(roberta.continuing_subword_prefix(), "");
  const auto xlmr = Tokenizer::from_directory(shared / "fixtures" / "xlm-roberta" / "model");
  EXPECT_EQ(xlmr.model_type(), "Unigram");
  EXPECT_EQ(xlmr.bos_token_id(), 0);
  EXPECT_EQ(xlmr.eos_token_id(), 2);
}

TEST(Tokenizer, SaveAndReloadGivesTheSameEncodings) {
  SPANLOOP_REQUIRE_SHARED(shared);
  for (const auto* name : {"bert-uncased", "roberta", "xlm-roberta"}) {
    spanloop::testing::TempDir tmp;
    const auto tok = Tokenizer::from_directory(shared / "fixtures" / name / "model");
    tok.save(tmp.path());
    for (const auto* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
      EXPECT_TRUE(fs::exists(tmp.path() / f)) << name << " " << f;
    }
    const auto text = "The high-κ layer (HfO 2 ) of claim 1 is 5 µm thick <mask> [MASK].";
    EXPECT_EQ(Tokenizer::from_directory(tmp.path()).encode(text).ids, tok.encode(text).ids) << name;
    // The vocabulary files alone (no tokenizer.json) must give the same ids too.
    fs::remove(tmp.path() / "tokenizer.json");
    EXPECT_EQ(Tokenizer::from_directory(tmp.path()).encode(text).ids, tok.encode(text).ids) << name;
  }
}

TEST(Tokenizer, ConcurrentEncodesAgree) {
  const auto tok = Tokenizer::from_file(synthetic("bpe-suffix-fuse-unk.json"));
  std::vector<std::string> texts;
  for (int i = 0; i < 200; ++i)
    texts.push_back("the claim " + std::to_string(i) + " wherein the layer is thing " +
                    std::string(i % 7, 'x'));
  std::vector<std::vector<std::int64_t>> expected;
  for (const auto& t : texts) expected.push_back(tok.encode(t).ids);
  const auto batch = tok.encode_batch(texts);
  ASSERT_EQ(batch.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(batch[i].ids, expected[i]);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (std::size_t i = 0; i < texts.size(); ++i)
        if (tok.encode(texts[i]).ids != expected[i]) ++mismatches;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(WordPieceTrainer, TrainsASavableBertTokenizer) {
  spanloop::testing::TempDir tmp;
  write(tmp.path() / "corpus.csv",
        "id,text\n1,\"The substrate comprises silicon, and the layer, \"\"thin\"\", is\nsilicon "
        "nitride.\"\n"
        "2,A dielectric layer on the substrate.\n3,The silicon substrate and the dielectric "
        "layer.\n");
  std::vector<std::string> docs;
  for_each_document(tmp.path() / "corpus.csv", "text",
                    [&](std::string_view d) { docs.emplace_back(d); });
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0],
            "The substrate comprises silicon, and the layer, \"thin\", is\nsilicon nitride.");
  WordPieceTrainerConfig config;
  config.vocab_size = 80;
  config.min_frequency = 2;
  WordPieceTrainer trainer(config);
  for (int r = 0; r < 3; ++r)
    for (const auto& d : docs) trainer.feed(d);
  const auto tok = trainer.train();
  EXPECT_LE(tok.vocab_size(), 80u);
  EXPECT_EQ(tok.token_to_id("[PAD]"), 0);
  EXPECT_EQ(tok.token_to_id("[MASK]"), 4);
  EXPECT_TRUE(tok.token_to_id("substrate").has_value());
  tok.save(tmp.path() / "model");
  for (const auto* f :
       {"tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"}) {
    EXPECT_TRUE(fs::exists(tmp.path() / "model" / f)) << f;
  }
  const auto reloaded = Tokenizer::from_directory(tmp.path() / "model");
  const auto e = reloaded.encode("The silicon substrate");
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"[CLS]", "the", "silicon", "substrate", "[SEP]"}));
  // Without tokenizer.json the vocab.txt + tokenizer_config.json path gives the same ids.
  fs::remove(tmp.path() / "model" / "tokenizer.json");
  EXPECT_EQ(Tokenizer::from_directory(tmp.path() / "model").encode("The silicon substrate").ids,
            e.ids);
}

TEST(CorpusReader, ErrorsNameFileAndLine) {
  spanloop::testing::TempDir tmp;
  write(tmp.path() / "a.jsonl", "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
  EXPECT_ERROR_KIND(for_each_document(tmp.path() / "a.jsonl", "text", [](std::string_view) {}),
                    ErrorKind::kInvalidArgument, "a.jsonl:2: no string field 'text'");
  write(tmp.path() / "b.csv", "id,body\n1,x\n");
  EXPECT_ERROR_KIND(for_each_document(tmp.path() / "b.csv", "text", [](std::string_view) {}),
                    ErrorKind::kInvalidArgument, "no column 'text'");
  write(tmp.path() / "c.csv", "id,text\n1,\"open quote\n");
  EXPECT_ERROR_KIND(for_each_document(tmp.path() / "c.csv", "text", [](std::string_view) {}),
                    ErrorKind::kInvalidArgument, "c.csv:2: unterminated quoted field");
  WordPieceTrainer trainer(WordPieceTrainerConfig{});
  EXPECT_ERROR_KIND(trainer.feed("bad \xC3"), ErrorKind::kInvalidArgument, "training document 1");
}

}  // namespace
}  // namespace spanloop::ml
