// `spanloop train --push-to-hub` end to end: the real binary trains a tiny random model (tokenizer
// and model made by `spanloop tokenizer train` and `init-model`) and uploads the output directory
// to the fake Hub (HF_ENDPOINT); refused tokens and a missing token fail clearly and keep the
// local model.
#include <gtest/gtest.h>

#include "hub_test_support.h"
#include "support/cli_run.h"

namespace spanloop::testing {
namespace {
namespace fs = std::filesystem;

// Tiny CoNLL data (two labels) and a corpus for the vocabulary, written by this test.
void write_data(const fs::path& dir) {
  std::ofstream corpus(dir / "corpus.txt");
  std::ofstream conll(dir / "train.conll");
  const char* materials[] = {"steel", "copper", "glass", "nickel"};
  const char* parts[] = {"layer", "shield", "coil", "gap"};
  for (int i = 0; i < 16; ++i) {
    const std::string m = materials[i % 4], p = parts[(i / 4) % 4];
    corpus << "the " << m << " " << p << " is formed on the substrate\n";
    conll << "the O\n" << m << " B-Material\n" << p << " B-Component\nis O\nformed O\n\n";
  }
}

class TrainPushTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const CliRun v = run_spanloop("version"); v.code != 0)
      GTEST_SKIP() << "the spanloop binary does not start (exit " << v.code << ")";
    write_data(dir_.path());
    CliRun r =
        run_spanloop("tokenizer train --vocab-size 80 --min-frequency 1 --out tok corpus.txt",
                     {.cwd = dir_.path()});
    ASSERT_EQ(r.code, 0) << r.err;
    r = run_spanloop(
        "init-model --arch bert --layers 1 --hidden 16 --heads 2 --max-positions 64 "
        "--tokenizer tok --labels O --out base",
        {.cwd = dir_.path()});
    ASSERT_EQ(r.code, 0) << r.err;
    fake_.set_token("hf_write");
  }
  // Environment for the child only: the fake Hub and no ambient token or cache.
  std::string env() const {
    return "HF_ENDPOINT=" + fake_.endpoint() +
           " HF_TOKEN= HF_HOME=" + (dir_.path() / "hf-home").string();
  }
  CliRun train(const std::string& extra) {
    return run_spanloop(
        "train --model base --data-path train.conll --project-name tiny-ner "
        "--epochs 1 --batch-size 8 --max-seq-length 16 --threads 1 " +
            extra,
        {.env = env(), .cwd = dir_.path()});
  }

  TempDir dir_;
  FakeHub fake_;
};

TEST_F(TrainPushTest, UploadsTheModelDirectory) {
  const CliRun r = train("--push-to-hub --username alice --token hf_write");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("pushed to the Hub"), std::string::npos) << r.err;
  EXPECT_EQ(fake_.created_repos(), std::set<std::string>{"alice/tiny-ner"});
  const auto commits = fake_.commits();
  ASSERT_EQ(commits.size(), 1u);
  const auto& c = commits[0];
  EXPECT_EQ(c.repo_id, "alice/tiny-ner");
  std::set<std::string> pushed;
  for (const auto& [path, content] : c.regular_files) pushed.insert(path);
  for (const auto& [path, oid] : c.lfs_files) pushed.insert(path);
  for (const char* f : {"config.json", "model.safetensors", "tokenizer.json",
                        "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
                        "README.md", "training_params.json", "label_map.json"})
    EXPECT_TRUE(pushed.count(f)) << f << " was not uploaded";
  for (const auto& p : pushed) EXPECT_EQ(p.rfind("checkpoint-", 0), std::string::npos) << p;

  // The bytes that arrived are the local files (weights through LFS, the rest inline).
  const fs::path out = dir_.path() / "tiny-ner";
  ASSERT_TRUE(c.lfs_files.count("model.safetensors"));
  EXPECT_EQ(fake_.lfs_store().at(c.lfs_files.at("model.safetensors")),
            read_all(out / "model.safetensors"));
  for (const char* f : {"config.json", "README.md", "tokenizer_config.json"}) {
    if (c.regular_files.count(f)) {
      EXPECT_EQ(c.regular_files.at(f), read_all(out / f)) << f;
    }
  }
  // The secret never lands in the uploaded settings; no staging folder is left behind.
  const std::string params = c.regular_files.count("training_params.json")
                                 ? c.regular_files.at("training_params.json")
                                 : read_all(out / "training_params.json");
  EXPECT_EQ(params.find("hf_write"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_.path() / "tiny-ner.hub-upload"));
}

TEST_F(TrainPushTest, RefusedTokenFailsClearlyAndKeepsTheModel) {
  const CliRun r = train("--push-to-hub --username alice --token hf_wrong");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("401"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("alice/tiny-ner"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the trained model is saved in"), std::string::npos) << r.err;
  EXPECT_TRUE(fake_.commits().empty());
  const fs::path out = dir_.path() / "tiny-ner";
  for (const char* f : {"config.json", "model.safetensors", "tokenizer.json", "README.md"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  EXPECT_FALSE(fs::exists(dir_.path() / "tiny-ner.hub-upload"));
}

TEST_F(TrainPushTest, MissingTokenOrUserIsRefusedBeforeTraining) {
  CliRun r = train("--push-to-hub --username alice");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--push-to-hub needs --token"), std::string::npos) << r.err;
  r = train("--push-to-hub --token hf_write");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--push-to-hub needs --username"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "tiny-ner" / "model.safetensors"));
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(TrainPushTest, UnreachableHubFailsClearlyAndKeepsTheModel) {
  const std::string dead =
      "HF_ENDPOINT=http://127.0.0.1:1 HF_TOKEN= HF_HOME=" + (dir_.path() / "hf-home").string();
  const CliRun r = run_spanloop(
      "train --model base --data-path train.conll --project-name tiny-ner "
      "--epochs 1 --batch-size 8 --max-seq-length 16 --threads 1 "
      "--push-to-hub --username alice --token hf_write",
      {.env = dead, .cwd = dir_.path()});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("the trained model is saved in"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir_.path() / "tiny-ner" / "model.safetensors"));
}

}  // namespace
}  // namespace spanloop::testing
