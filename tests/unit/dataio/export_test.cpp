// export_dataset: formats, answer choice, status filters, report, parameter errors.
#include "server/dataio/export.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dataio_fixture.h"

namespace spanloop::dataio::testing {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ExportTest : public DataioTest {
 protected:
  ExportSummary run(ExportParams params, const std::string& name = "out.conll") {
    out_ = dir_.path() / name;
    return export_dataset(*store_, dataset_.id, parse_export_params(params), out_);
  }
  std::filesystem::path out_;
};

TEST_F(ExportTest, ConllFromFirstSubmittedResponsesSkipsUnansweredRecords) {
  make_dataset();
  const auto ann = make_user("ann"), bob = make_user("bob");
  const auto r1 = add_record("A κ-value of 5 µm", "c1");
  const auto r2 = add_record("steel frame", "c2");
  add_record("never answered", "c3");
  const auto r4 = add_record("draft only", "c4");
  submit(r1, ann.id, {{"Value", 2, 9}, {"Value", 13, 17}});
  submit(r1, bob.id, {{"Value", 2, 9}});
  submit(r2, bob.id, {{"Material", 0, 5}});
  submit(r4, ann.id, {{"Component", 0, 5}}, store::ResponseStatus::kDraft);

  const auto summary = run({});
  EXPECT_EQ(summary.records_seen, 2u);
  EXPECT_EQ(summary.result.records_written, 2u);
  EXPECT_EQ(read_file(out_),
            "A O\nκ-value B-Value\nof O\n5 B-Value\nµm I-Value\n\nsteel B-Material\nframe O\n\n");
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "out.labels.json"));

  // Only bob's answers.
  ExportParams p;
  p.user_id = bob.id;
  run(p);
  EXPECT_EQ(read_file(out_),
            "A O\nκ-value B-Value\nof O\n5 O\nµm O\n\nsteel B-Material\nframe O\n\n");
}

TEST_F(ExportTest, SpansAndIobJsonlAndTheReport) {
  make_dataset(true);
  const auto ann = make_user("ann");
  const auto r1 = add_record("hot rolled steel plate", "c1");
  submit(r1, ann.id, {{"Material", 11, 16}, {"Component", 4, 22}});

  ExportParams p;
  p.format = "spans-jsonl";
  run(p, "out.jsonl");
  const auto line = nlohmann::json::parse(read_file(out_));
  EXPECT_EQ(line["id"], "c1");
  EXPECT_EQ(line["spans"].size(), 2u);

  p.format = "iob-jsonl";
  p.overlap = "longest";
  const auto summary = run(p, "tokens.jsonl");
  const auto tokens = nlohmann::json::parse(read_file(out_));
  EXPECT_EQ(tokens["tokens"], (nlohmann::json{"hot", "rolled", "steel", "plate"}));
  const auto report = nlohmann::json::parse(summary.to_json());
  EXPECT_EQ(report["export"]["tagging"]["overlap"]["overlapping_spans"], 2) << report.dump(2);
  EXPECT_EQ(report["question"], "ner");
}

TEST_F(ExportTest, CompletedStatusAndSuggestionsSource) {
  make_dataset();
  const auto r1 = add_record("steel", "c1");
  add_record("iron", "c2");
  store::SuggestionInput s;
  s.question_id = ner_.id;
  s.value = std::vector<store::SpanValue>{{"Material", 0, 4}};
  store::RecordUpdate u;
  u.suggestions = std::vector<store::SuggestionInput>{s};
  store::SearchQuery query;
  query.dataset_id = dataset_.id;
  const auto records = store_->search(query).items;
  store_->update_record(records.at(1).record.id, u);

  ExportParams p;
  p.source = "suggestions";
  p.status = "all";
  const auto summary = run(p);
  EXPECT_EQ(summary.records_seen, 2u);
  EXPECT_EQ(summary.records_without_answer, 1u);
  EXPECT_EQ(read_file(out_), "iron B-Material\n\n");

  p = {};
  p.status = "completed";
  EXPECT_EQ(run(p).records_seen, 0u);
  submit(r1, make_user("ann").id, {});
  EXPECT_EQ(run(p).records_seen, 1u);
  EXPECT_EQ(read_file(out_), "steel O\n\n");
}

TEST_F(ExportTest, BadParametersAndQuestions) {
  make_dataset();
  ExportParams p;
  p.format = "xml";
  EXPECT_ERROR_KIND(parse_export_params(p), ErrorKind::kInvalidArgument, "format");
  p = {};
  p.scheme = "iob9";
  EXPECT_ERROR_KIND(parse_export_params(p), ErrorKind::kInvalidArgument, "scheme");
  p = {};
  p.status = "done";
  EXPECT_ERROR_KIND(parse_export_params(p), ErrorKind::kInvalidArgument, "status");
  p = {};
  p.question = "nope";
  EXPECT_ERROR_KIND(run(p), ErrorKind::kInvalidArgument, "`nope` is not a span question");
  EXPECT_ERROR_KIND(export_dataset(*store_, "missing", {}, dir_.path() / "x"), ErrorKind::kNotFound,
                    "missing");
}

TEST_F(ExportTest, StrictAlignmentRefusalsAreCountedNotFatal) {
  make_dataset();
  const auto ann = make_user("ann");
  submit(add_record("substrate layer", "c1"), ann.id, {{"Component", 0, 8}});
  submit(add_record("steel layer", "c2"), ann.id, {{"Material", 0, 5}});
  ExportParams p;
  p.alignment = "strict";
  const auto summary = run(p);
  EXPECT_EQ(summary.records_failed, 1u);
  EXPECT_EQ(summary.result.records_written, 1u);
  ASSERT_EQ(summary.failures.size(), 1u);
  EXPECT_NE(summary.failures[0].find("c1"), std::string::npos) << summary.failures[0];
}

TEST_F(ExportTest, OverlapPolicyErrorFailsTheExportNamingTheRecord) {
  make_dataset(true);
  const auto ann = make_user("ann");
  submit(add_record("steel layer", "c1"), ann.id, {{"Material", 0, 5}});
  // Nested spans: "steel" inside "steel layer".
  submit(add_record("steel layer", "c2"), ann.id, {{"Component", 0, 11}, {"Material", 0, 5}});
  ExportParams p;
  p.overlap = "error";
  EXPECT_ERROR_KIND(run(p), ErrorKind::kFailedPrecondition, "record 'c2'");
  try {
    run(p);
    ADD_FAILURE() << "overlap policy error must fail the export";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("overlap policy error"), std::string::npos) << m;
    EXPECT_NE(m.find("'Material'"), std::string::npos) << m;
    EXPECT_NE(m.find("'Component'"), std::string::npos) << m;
  }
  // The same data under the other policies exports both records.
  p.overlap = "longest";
  const auto summary = run(p);
  EXPECT_EQ(summary.records_failed, 0u);
  EXPECT_EQ(summary.result.records_written, 2u);
  // Span files keep overlapping spans as they are: the policy is about tags.
  p.overlap = "error";
  p.format = "spans-jsonl";
  EXPECT_EQ(run(p, "out.jsonl").result.records_written, 2u);
}

}  // namespace
}  // namespace spanloop::dataio::testing
