// `spanloop init-model` end to end: the binary writes a model directory that loads back.
#include <ATen/ops/tensor.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "ml/model/token_classifier.h"
#include "support/cli_run.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

namespace fs = std::filesystem;

int run(const std::string& args) {
  return spanloop::testing::run_spanloop(args).code;
}

TEST(InitModelCli, WritesModelsThatLoadBack) {
  SPANLOOP_REQUIRE_SHARED(shared);
  spanloop::testing::TempDir tmp;
  struct Case {
    const char* arch;
    const char* fixture;
  };
  for (const Case c : {Case{"bert", "bert-cased"}, Case{"distilbert", "distilbert-uncased"},
                       Case{"roberta", "roberta"}, Case{"xlm-roberta", "xlm-roberta"}}) {
    const auto out = tmp.path() / c.arch;
    ASSERT_EQ(run(std::string("init-model --arch ") + c.arch +
                  " --layers 2 --hidden 32 --heads 4 --tokenizer " +
                  (shared / "fixtures" / c.fixture / "model").string() +
                  " --labels O,B-Part,I-Part --out " + out.string()),
              0)
        << c.arch;
    EXPECT_TRUE(fs::exists(out / "tokenizer.json")) << c.arch;
    std::ifstream in(out / "config.json");
    const auto config = nlohmann::json::parse(in);
    EXPECT_EQ(config["model_type"], c.arch);
    EXPECT_EQ(config["id2label"]["1"], "B-Part");
    const auto model = TokenClassifier::load(out);
    EXPECT_EQ(model.num_labels(), 3);
    EXPECT_EQ(model.config().num_hidden_layers, 2);
    EXPECT_EQ(model.config().intermediate_size, 128);
    EXPECT_EQ(model.max_sequence_length(), 512) << c.arch;
    const auto logits = model.forward(at::tensor({0, 5, 6, 2}, at::kLong).unsqueeze(0));
    EXPECT_EQ(logits.size(2), 3);
  }
}

TEST(InitModelCli, BadOptionsFailWithAMessage) {
  SPANLOOP_REQUIRE_SHARED(shared);
  spanloop::testing::TempDir tmp;
  const auto tok = (shared / "fixtures/bert-cased/model").string();
  EXPECT_NE(run("init-model --arch gpt2 --tokenizer " + tok + " --labels O --out " +
                (tmp.path() / "a").string()),
            0);
  EXPECT_NE(run("init-model --arch bert --hidden 30 --heads 4 --tokenizer " + tok +
                " --labels O --out " + (tmp.path() / "b").string()),
            0);
  EXPECT_NE(run("init-model --arch bert --tokenizer " + (tmp.path() / "none").string() +
                " --labels O --out " + (tmp.path() / "c").string()),
            0);
  EXPECT_FALSE(fs::exists(tmp.path() / "b" / "model.safetensors"));
}

}  // namespace
}  // namespace spanloop::ml
