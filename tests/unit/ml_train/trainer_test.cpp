// The training loop on a tiny model: learning, exact resume, outputs, determinism.
#include "ml/train/trainer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "ml/train/checkpoint.h"
#include "ml/train/progress.h"
#include "ml/train/tensorboard.h"
#include "support/test_support.h"
#include "tiny_setup.h"

namespace spanloop::ml::train {
namespace {

namespace fs = std::filesystem;
using testing::synthetic_data;
using testing::tiny_model;
using testing::tiny_tokenizer;

TrainOptions tiny_options(const fs::path& out) {
  TrainOptions o;
  o.model = "tiny";
  o.data_path = "synthetic";
  o.project_name = out.string();
  o.lr = 1e-2;
  o.epochs = 6;
  o.batch_size = 16;
  o.warmup_ratio = 0.1;
  o.max_seq_length = 64;
  o.early_stopping_patience = 0;
  o.logging_steps = 5;
  o.save_total_limit = 2;
  o.seed = 3;
  return o;
}

TEST(Trainer, TinyModelLearnsSyntheticTaggingToPerfectF1) {
  at::set_num_threads(1);
  spanloop::testing::TempDir tmp;
  TrainOptions o = tiny_options(tmp.path() / "run");
  o.log = "tensorboard";
  Trainer t(o, synthetic_data(240, 60), tiny_tokenizer(), tiny_model(5));
  const TrainSummary s = t.train();
  EXPECT_FALSE(s.interrupted);
  EXPECT_EQ(s.steps, t.total_steps());
  EXPECT_DOUBLE_EQ(s.best_f1, 1.0);
  EXPECT_LT(s.step_losses.back(), s.step_losses.front());
  const fs::path run = tmp.path() / "run";
  for (const char* f : {"training_params.json", "metrics.jsonl", "classification_report.txt",
                        "README.md", "label_map.json", "tokenizer.json", "eval_results.json"})
    EXPECT_TRUE(fs::exists(run / f)) << f;
  // metrics.jsonl: train lines every 5 steps, eval lines, a summary line.
  std::ifstream in(run / "metrics.jsonl");
  std::string line;
  int train_lines = 0, eval_lines = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    if (j.contains("loss")) ++train_lines;
    if (j.contains("eval")) ++eval_lines;
  }
  EXPECT_EQ(train_lines, static_cast<int>(t.total_steps() / 5));
  EXPECT_EQ(eval_lines, o.epochs);
  // TensorBoard events parse back with valid CRCs.
  std::vector<ScalarEvent> events;
  for (const auto& e : fs::directory_iterator(run / "runs")) events = read_scalar_events(e.path());
  int f1_events = 0;
  for (const auto& e : events) f1_events += e.tag == "eval/f1";
  EXPECT_EQ(f1_events, o.epochs);
  // save_total_limit 2: at most two checkpoints plus the best one.
  int checkpoints = 0;
  for (const auto& e : fs::directory_iterator(run))
    checkpoints += e.path().filename().string().rfind("checkpoint-", 0) == 0;
  EXPECT_LE(checkpoints, 3);
  EXPECT_GE(checkpoints, 1);
  std::ifstream report(run / "classification_report.txt");
  std::string text((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("micro avg"), std::string::npos);
}

TEST(Trainer, PlainConsoleLinesFollowTheLoggingInterval) {
  at::set_num_threads(1);
  spanloop::testing::TempDir tmp;
  TrainOptions o = tiny_options(tmp.path() / "run");
  o.epochs = 1;
  o.logging_steps = 2;
  o.eval_strategy = "no";
  Trainer t(o, synthetic_data(80, 0), tiny_tokenizer(), tiny_model(5));
  const fs::path log_file = tmp.path() / "console.txt";
  std::FILE* out = std::fopen(log_file.c_str(), "w");
  ASSERT_NE(out, nullptr);
  ConsoleProgress console(out, /*tty=*/false, 1);
  t.set_console(&console);
  const auto s = t.train();
  std::fclose(out);
  ASSERT_EQ(s.steps, 5);  // 80 sentences / 16
  std::ifstream in(log_file);
  std::string line;
  std::vector<std::string> steps;
  while (std::getline(in, line))
    if (line.rfind("epoch ", 0) == 0) steps.push_back(line.substr(0, line.find(" loss")));
  // Steps 2 and 4 (the interval) and 5 (the last).
  EXPECT_EQ(steps, (std::vector<std::string>{"epoch 1/1 step 2/5", "epoch 1/1 step 4/5",
                                             "epoch 1/1 step 5/5"}));
}

TEST(Trainer, SameSeedGivesIdenticalLosses) {
  at::set_num_threads(1);
  spanloop::testing::TempDir tmp;
  TrainOptions o = tiny_options(tmp.path() / "a");
  o.epochs = 1;
  Trainer a(o, synthetic_data(64, 8), tiny_tokenizer(), tiny_model(5));
  o.project_name = (tmp.path() / "b").string();
  Trainer b(o, synthetic_data(64, 8), tiny_tokenizer(), tiny_model(5));
  EXPECT_EQ(a.train().step_losses, b.train().step_losses);
}

TEST(Trainer, ResumeContinuesWithTheSameNextLoss) {
  at::set_num_threads(1);
  spanloop::testing::TempDir tmp;
  TrainOptions o = tiny_options(tmp.path() / "full");
  o.epochs = 2;
  o.gradient_accumulation = 2;
  o.batch_size = 4;
  o.weight_decay = 0.01;
  Trainer full(o, synthetic_data(64, 8), tiny_tokenizer(), tiny_model(5));
  const auto reference = full.train().step_losses;
  ASSERT_GT(reference.size(), 8u);

  // Stop mid-epoch after 5 steps (as SIGINT would), then resume in a fresh trainer + model.
  o.project_name = (tmp.path() / "cut").string();
  Trainer first(o, synthetic_data(64, 8), tiny_tokenizer(), tiny_model(5));
  first.set_observer([](const TrainProgress& p) { return p.step < 5; });
  const auto head = first.train();
  ASSERT_TRUE(head.interrupted);
  ASSERT_EQ(head.step_losses.size(), 5u);
  o.resume_from_checkpoint = "latest";
  Trainer second(o, synthetic_data(64, 8), tiny_tokenizer(), tiny_model(5, /*seed=*/99));
  const auto tail = second.train();
  EXPECT_EQ(tail.first_step, 5);
  ASSERT_EQ(head.step_losses.size() + tail.step_losses.size(), reference.size());
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const double got = i < 5 ? head.step_losses[i] : tail.step_losses[i - 5];
    EXPECT_DOUBLE_EQ(got, reference[i]) << "step " << i + 1;
  }
}

TEST(Trainer, StopFlagSavesACheckpointAndReturns) {
  at::set_num_threads(1);
  spanloop::testing::TempDir tmp;
  TrainOptions o = tiny_options(tmp.path() / "run");
  o.epochs = 1;
  Trainer t(o, synthetic_data(64, 8), tiny_tokenizer(), tiny_model(5));
  Trainer::stop_flag().store(1);
  const auto s = t.train();
  Trainer::stop_flag().store(0);
  EXPECT_TRUE(s.interrupted);
  EXPECT_EQ(s.steps, 1);
  EXPECT_TRUE(fs::exists(tmp.path() / "run" / "checkpoint-1" / "optimizer.pt"));
  EXPECT_EQ(latest_checkpoint(tmp.path() / "run"), tmp.path() / "run" / "checkpoint-1");
}

TEST(Trainer, EarlyStoppingStopsAfterPatienceEvaluations) {
  at::set_num_threads(1);
  spanloop::testing::TempDir tmp;
  TrainOptions o = tiny_options(tmp.path() / "run");
  o.lr = 1e-9;  // nothing improves
  o.epochs = 10;
  o.early_stopping_patience = 2;
  Trainer t(o, synthetic_data(32, 8), tiny_tokenizer(), tiny_model(5));
  const auto s = t.train();
  EXPECT_TRUE(s.early_stopped);
  EXPECT_EQ(s.epochs_done, 3);  // first evaluation sets the best, two more without gain
}

TEST(Trainer, ResumeFromMissingCheckpointNamesIt) {
  spanloop::testing::TempDir tmp;
  TrainOptions o = tiny_options(tmp.path() / "run");
  o.resume_from_checkpoint = (tmp.path() / "nope").string();
  Trainer t(o, synthetic_data(8, 2), tiny_tokenizer(), tiny_model(5));
  EXPECT_ERROR_KIND(t.train(), ErrorKind::kNotFound, "nope");
}

TEST(Trainer, Bf16AutocastTrains) {
  at::set_num_threads(1);
  spanloop::testing::TempDir tmp;
  TrainOptions o = tiny_options(tmp.path() / "run");
  o.mixed_precision = "bf16";
  o.epochs = 1;
  Trainer t(o, synthetic_data(64, 8), tiny_tokenizer(), tiny_model(5));
  const auto s = t.train();
  for (double l : s.step_losses) EXPECT_TRUE(std::isfinite(l));
}

}  // namespace
}  // namespace spanloop::ml::train
