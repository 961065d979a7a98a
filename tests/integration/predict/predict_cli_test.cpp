// `spanloop predict` end to end: the real binary on a fixture model, its JSONL output against
// transformers' pipeline goldens, and its errors and exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/cli_run.h"
#include "support/test_support.h"

namespace spanloop {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::run_spanloop;

std::vector<nlohmann::json> lines(const std::string& out) {
  std::vector<nlohmann::json> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) v.push_back(nlohmann::json::parse(line));
  return v;
}

TEST(PredictCli, JsonlInputGivesThePipelineEntities) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto fixture = shared / "fixtures" / "bert-cased";
  testing::TempDir dir;
  const auto run = run_spanloop("predict --model " + (fixture / "model").string() + " --input " +
                                (fixture / "golden" / "inputs.jsonl").string() +
                                " --aggregation first --threads 2");
  ASSERT_EQ(run.code, 0) << run.err;
  const auto got = lines(run.out);
  std::ifstream g(fixture / "golden" / "pipeline_first.jsonl");
  std::string line;
  std::size_t i = 0, compared = 0;
  while (std::getline(g, line)) {
    const auto want = nlohmann::json::parse(line);
    ASSERT_LT(i, got.size());
    EXPECT_EQ(got[i]["id"], want["id"]);
    if (want["id"] != "long-00") {  // the golden truncates; spanloop windows
      const auto& ge = got[i]["entities"];
      const auto& we = want["entities"];
      ASSERT_EQ(ge.size(), we.size()) << want["id"];
      for (std::size_t k = 0; k < we.size(); ++k) {
        EXPECT_EQ(ge[k]["entity_group"], we[k]["entity_group"]);
        EXPECT_EQ(ge[k]["word"], we[k]["word"]);
        EXPECT_EQ(ge[k]["start"], we[k]["start"]);
        EXPECT_EQ(ge[k]["end"], we[k]["end"]);
        EXPECT_NEAR(ge[k]["score"].get<double>(), we[k]["score"].get<double>(), 1e-3);
      }
      ++compared;
    }
    ++i;
  }
  EXPECT_EQ(got.size(), i);
  EXPECT_EQ(compared, i - 1);
}

TEST(PredictCli, StdinLinesAndAggregationNone) {
  SPANLOOP_REQUIRE_SHARED(shared);
  testing::TempDir dir;
  const auto input = dir.path() / "in.txt";
  std::ofstream(input) << "A dielectric layer of high-\xCE\xBA material\n";
  const auto run =
      run_spanloop("predict --model " + (shared / "fixtures" / "roberta" / "model").string() +
                   " --aggregation none --input - < " + input.string());
  ASSERT_EQ(run.code, 0) << run.err;
  const auto got = lines(run.out);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["id"], "line 1");
  for (const auto& e : got[0]["entities"]) {
    EXPECT_TRUE(e.contains("entity") && e.contains("index"));
    EXPECT_LE(e["end"].get<int>(), 36);  // code points, not bytes
  }
}

TEST(PredictCli, BadInputIsOneClearLineAndNonZeroExit) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto model = (shared / "fixtures" / "bert-cased" / "model").string();
  testing::TempDir dir;
  const auto bad = dir.path() / "bad.jsonl";
  std::ofstream(bad) << "{\"text\":\"fine\"}\n{\"text\":\"bad \xff\"}\n";
  auto run = run_spanloop("predict --model " + model + " --input " + bad.string());
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("bad.jsonl:2: invalid UTF-8"), std::string::npos) << run.err;

  const auto missing = dir.path() / "missing.jsonl";
  std::ofstream(missing) << "{\"body\":\"x\"}\n";
  run = run_spanloop("predict --model " + model + " --input " + missing.string());
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("missing.jsonl:1: no field 'text'"), std::string::npos) << run.err;

  const auto empty = dir.path() / "empty.txt";
  std::ofstream(empty) << "one\n\n";
  run = run_spanloop("predict --model " + model + " --input " + empty.string());
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("empty.txt:2: empty text"), std::string::npos) << run.err;

  run = run_spanloop("predict --model " + dir.path().string() + "/nope --input " + empty.string());
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("nope"), std::string::npos) << run.err;

  run = run_spanloop("predict --model " + model + " --aggregation mean --input " + empty.string());
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("'mean'"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace spanloop
