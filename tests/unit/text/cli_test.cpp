// `spanloop convert` and `spanloop eval` end to end: the real binary, its output and exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/cli_run.h"
#include "support/test_support.h"

namespace spanloop {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::run_spanloop;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path data(const std::string& rel) {
  return testing::test_data_dir() / "text" / rel;
}

// Splits a metrics fixture (TOKEN GOLD PRED) into gold and prediction CoNLL files.
void split_tags(const fs::path& tags, const fs::path& gold, const fs::path& pred) {
  std::ifstream in(tags);
  std::ofstream g(gold), p(pred);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream cols(line);
    std::string token, gt, pt;
    if (!(cols >> token >> gt >> pt)) {
      g << "\n";
      p << "\n";
      continue;
    }
    g << token << " " << gt << "\n";
    p << token << " " << pt << "\n";
  }
}

TEST(Cli, ConvertPrintsTheReport) {
  testing::TempDir dir;
  const CliRun r =
      run_spanloop("convert --from jsonl --to conll --tokenizer bert --scheme bioes " +
                   data("formats/patent.jsonl").string() + " " + (dir.path() / "p.conll").string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("records: read 3, written 3, skipped 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("alignment (expand): exact 6"), std::string::npos) << r.out;
  EXPECT_NE(slurp(dir.path() / "p.conll").find("NiFe S-Material"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir.path() / "p.labels.json"));
}

TEST(Cli, ConvertErrorsAreOneLineAndNonZero) {
  testing::TempDir dir;
  const fs::path bad = dir.path() / "bad.jsonl";
  std::ofstream(bad) << "{\"text\": \"ok\"}\n{\"text\": oops}\n";
  CliRun r = run_spanloop("convert --from jsonl --to conll " + bad.string() + " " +
                          (dir.path() / "o.conll").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("spanloop: error: " + bad.string() + ":2: invalid JSON", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  r = run_spanloop("convert --from jsonl --to conll --skip-invalid " + bad.string() + " " +
                   (dir.path() / "o.conll").string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("skipped 1"), std::string::npos);
  r = run_spanloop("convert --from jsonl --to conll --overlap merge " + bad.string() + " x");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("unknown overlap policy 'merge'"), std::string::npos);
  r = run_spanloop("convert --from jsonl --to conll /nonexistent.jsonl x");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot open /nonexistent.jsonl"), std::string::npos);
  EXPECT_EQ(run_spanloop("convert --help").code, 0);
}

TEST(Cli, EvalPrintsSeqevalAndConllevalReports) {
  testing::TempDir dir;
  const fs::path gold = dir.path() / "gold.conll", pred = dir.path() / "pred.conll";
  split_tags(data("metrics/iob2_basic.tags"), gold, pred);
  CliRun r = run_spanloop("eval --gold " + gold.string() + " --pred " + pred.string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, slurp(data("metrics/iob2_basic.default.txt")) +
                       "\ntoken accuracy: 0.7273 (16 of 22 tokens)\n");
  r = run_spanloop("eval --gold " + gold.string() + " --pred " + pred.string() +
                   " --format conlleval");
  EXPECT_EQ(r.out, slurp(data("metrics/iob2_basic.conlleval.txt")));
  r = run_spanloop("eval --gold " + data("metrics/iob2_basic.tags").string() +
                   " --format conlleval");
  EXPECT_EQ(r.out, slurp(data("metrics/iob2_basic.conlleval.txt")))
      << "gold and prediction in one file";
  r = run_spanloop("eval --gold " + gold.string() + " --pred " + pred.string() +
                   " --mode strict --scheme iob1");
  EXPECT_EQ(r.out.substr(0, r.out.find("\ntoken")),
            slurp(data("metrics/iob2_basic.strict-IOB1.txt")));
  r = run_spanloop("eval --gold " + gold.string() + " --pred " + pred.string() + " --mode strict");
  EXPECT_EQ(r.out.substr(0, r.out.find("\ntoken")),
            slurp(data("metrics/iob2_basic.strict-auto.txt")));
  r = run_spanloop("eval --gold " + gold.string() + " --pred " + pred.string() + " --format json");
  EXPECT_NE(r.out.find("\"micro avg\""), std::string::npos);
}

TEST(Cli, EvalReadsHuggingFaceSplits) {
  testing::TempDir dir;
  const fs::path hf = dir.path() / "hf";
  CliRun r = run_spanloop("convert --from jsonl --to hf --tokenizer bert " +
                          data("formats/patent.jsonl").string() + " " + hf.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string split = (hf / "train.jsonl").string();
  r = run_spanloop("eval --gold " + split + " --pred " + split);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("   micro avg       1.00      1.00      1.00         6"), std::string::npos)
      << r.out;
}

TEST(Cli, EvalErrors) {
  testing::TempDir dir;
  const fs::path gold = dir.path() / "gold.conll", pred = dir.path() / "pred.conll";
  split_tags(data("metrics/strict_reject.tags"), gold, pred);
  CliRun r = run_spanloop("eval --gold " + gold.string() + " --pred " + pred.string() +
                          " --mode strict --scheme iob2");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("sentence 2, prediction: tag 'S-ORG' at token 0 is not valid in strict mode "
                       "for scheme IOB2"),
            std::string::npos)
      << r.err;
  std::ofstream(dir.path() / "short.conll") << "a O\n";
  r = run_spanloop("eval --gold " + gold.string() + " --pred " +
                   (dir.path() / "short.conll").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("has 5 tokens"), std::string::npos) << r.err;
  r = run_spanloop("eval --gold " + gold.string() + " --pred " + pred.string() +
                   " --format conlleval --mode strict");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("do not apply"), std::string::npos);
  std::ofstream(dir.path() / "o.conll") << "a O\nb O\n";
  r = run_spanloop("eval --gold " + (dir.path() / "o.conll").string() + " --pred " +
                   (dir.path() / "o.conll").string() + " --mode strict");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot detect the scheme"), std::string::npos);
}

}  // namespace
}  // namespace spanloop
