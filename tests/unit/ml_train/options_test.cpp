// TrainOptions: AutoTrain defaults, parsing, validation and config files.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "ml/train/train_options.h"
#include "support/test_support.h"

namespace spanloop::ml::train {
namespace {

TrainOptions valid_options() {
  TrainOptions o;
  o.model = "m";
  o.data_path = "d";
  return o;
}

TEST(TrainOptions, DefaultsAreAutoTrains) {
  const TrainOptions o;
  EXPECT_DOUBLE_EQ(o.lr, 5e-5);
  EXPECT_EQ(o.epochs, 3);
  EXPECT_EQ(o.batch_size, 8);
  EXPECT_EQ(o.max_seq_length, 128);
  EXPECT_DOUBLE_EQ(o.warmup_ratio, 0.1);
  EXPECT_DOUBLE_EQ(o.weight_decay, 0.0);
  EXPECT_EQ(o.optimizer, "adamw_torch");
  EXPECT_EQ(o.scheduler, "linear");
  EXPECT_EQ(o.tags_column, "tags");
  EXPECT_EQ(o.early_stopping_patience, 5);
  EXPECT_DOUBLE_EQ(o.early_stopping_threshold, 0.01);
  EXPECT_EQ(o.save_total_limit, 1);
  EXPECT_EQ(o.logging_steps, -1);
}

TEST(TrainOptions, FlagNamesAreKebabCase) {
  bool seen = false;
  for (const auto& s : option_specs()) {
    EXPECT_EQ(s.flag().find('_'), std::string::npos) << s.flag();
    EXPECT_FALSE(s.help.empty()) << s.key;
    seen = seen || s.flag() == "--gradient-accumulation";
  }
  EXPECT_TRUE(seen);
}

TEST(TrainOptions, SetOptionParsesAndRejects) {
  TrainOptions o;
  set_option(o, "batch-size", "16", "cli");
  set_option(o, "lr", "2e-5", "cli");
  set_option(o, "push_to_hub", "true", "cli");
  EXPECT_EQ(o.batch_size, 16);
  EXPECT_DOUBLE_EQ(o.lr, 2e-5);
  EXPECT_TRUE(o.push_to_hub);
  EXPECT_ERROR_KIND(set_option(o, "batch_size", "16x", "cfg.yaml"), ErrorKind::kInvalidArgument,
                    "cfg.yaml: option 'batch_size': '16x' is not an integer");
  EXPECT_ERROR_KIND(set_option(o, "lr", "fast", "cli"), ErrorKind::kInvalidArgument,
                    "not a number");
  EXPECT_ERROR_KIND(set_option(o, "learning_rate", "1", "cli"), ErrorKind::kInvalidArgument,
                    "unknown option 'learning_rate'");
}

TEST(TrainOptions, ValidationFindsContradictions) {
  EXPECT_TRUE(validation_problems(valid_options()).empty());
  TrainOptions o = valid_options();
  o.mixed_precision = "fp16";
  EXPECT_ERROR_KIND(validate(o), ErrorKind::kInvalidArgument, "fp16 needs --device cuda");
  o = valid_options();
  o.push_to_hub = true;
  EXPECT_ERROR_KIND(validate(o), ErrorKind::kInvalidArgument, "--push-to-hub needs --username");
  o = valid_options();
  o.server = "http://x";
  o.dataset = "claims";
  EXPECT_ERROR_KIND(validate(o), ErrorKind::kInvalidArgument, "alternatives");
  o = valid_options();
  o.valid_split = "validation";
  o.valid_fraction = 0.1;
  EXPECT_ERROR_KIND(validate(o), ErrorKind::kInvalidArgument, "contradict");
  o = valid_options();
  o.scheduler = "step";
  o.epochs = 0;
  EXPECT_EQ(validation_problems(o).size(), 2u);
  o = valid_options();
  o.stride = 64;
  EXPECT_ERROR_KIND(validate(o), ErrorKind::kInvalidArgument, "--stride");
}

TEST(TrainOptions, YamlConfigFlatAndAutoTrainLayout) {
  spanloop::testing::TempDir tmp;
  const auto flat = tmp.path() / "flat.yaml";
  std::ofstream(flat) << "model: m\ndata_path: d\nbatch_size: 4\nlr: 3e-5\npush_to_hub: false\n";
  auto kv = read_config_file(flat);
  EXPECT_EQ(kv.at("batch_size"), "4");
  EXPECT_EQ(kv.at("lr"), "3e-5");
  const auto at = tmp.path() / "autotrain.yml";
  std::ofstream(at) << "task: token_classification\nbase_model: bert-base-cased\n"
                       "project_name: out\nlog: tensorboard\nbackend: local\n"
                       "data:\n  path: data/\n  train_split: train\n  valid_split: validation\n"
                       "  column_mapping:\n    tokens_column: tokens\n    tags_column: tags\n"
                       "params:\n  epochs: 5\n  mixed_precision: bf16\n"
                       "hub:\n  username: u\n  token: t\n  push_to_hub: true\n";
  kv = read_config_file(at);
  TrainOptions o;
  for (const auto& [k, v] : kv) set_option(o, k, v, at.string());
  EXPECT_EQ(o.model, "bert-base-cased");
  EXPECT_EQ(o.data_path, "data/");
  EXPECT_EQ(o.valid_split, "validation");
  EXPECT_EQ(o.epochs, 5);
  EXPECT_EQ(o.mixed_precision, "bf16");
  EXPECT_TRUE(o.push_to_hub);
  EXPECT_EQ(o.username, "u");
  EXPECT_EQ(o.log, "tensorboard");
}

TEST(TrainOptions, JsonConfigAndErrors) {
  spanloop::testing::TempDir tmp;
  const auto json = tmp.path() / "c.json";
  std::ofstream(json) << R"({"model": "m", "epochs": 2, "seed": 7})";
  EXPECT_EQ(read_config_file(json).at("epochs"), "2");
  const auto nested = tmp.path() / "bad.yaml";
  std::ofstream(nested) << "epochs: [1, 2]\n";
  EXPECT_ERROR_KIND(read_config_file(nested), ErrorKind::kInvalidArgument,
                    "key 'epochs' must be a single value");
  const auto broken = tmp.path() / "broken.yaml";
  std::ofstream(broken) << "model: m\n  epochs: : 2\n";
  EXPECT_ERROR_KIND(read_config_file(broken), ErrorKind::kInvalidArgument, "broken.yaml:");
  const auto task = tmp.path() / "task.yaml";
  std::ofstream(task) << "task: text_classification\n";
  EXPECT_ERROR_KIND(read_config_file(task), ErrorKind::kInvalidArgument,
                    "not token classification");
  EXPECT_ERROR_KIND(read_config_file(tmp.path() / "missing.yaml"), ErrorKind::kNotFound,
                    "missing.yaml");
}

TEST(TrainOptions, JsonOutputHasTypesAndHidesSecrets) {
  TrainOptions o = valid_options();
  o.token = "hf_secret";
  const auto j = nlohmann::json::parse(options_to_json(o));
  EXPECT_EQ(j.at("token"), "*****");
  EXPECT_EQ(j.at("batch_size"), 8);
  EXPECT_DOUBLE_EQ(j.at("lr").get<double>(), 5e-5);
  EXPECT_EQ(j.at("push_to_hub"), false);
  EXPECT_EQ(j.at("model"), "m");
}

}  // namespace
}  // namespace spanloop::ml::train
