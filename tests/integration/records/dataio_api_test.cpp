// Import (multipart CSV/JSONL with a mapping), export (streamed CoNLL / JSONL, report=1) and
// agreement over HTTP.
#include <filesystem>

#include "records_fixture.h"
#include "support/cli_run.h"

namespace spanloop::testing {
namespace {

using nlohmann::json;

std::string multipart(const std::string& boundary,
                      const std::vector<std::tuple<std::string, std::string, std::string>>& parts) {
  std::string body;
  for (const auto& [name, filename, data] : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
    if (!filename.empty()) body += "; filename=\"" + filename + "\"";
    body += "\r\n";
    if (!filename.empty()) body += "Content-Type: application/octet-stream\r\n";
    body += "\r\n" + data + "\r\n";
  }
  return body + "--" + boundary + "--\r\n";
}

TEST_F(RecordsApiTest, ImportExportAndAgreementOverHttp) {
  auto ds = new_dataset({"Material", "Component"});
  const std::string id = ds["id"];
  const std::string csv =
      "pub,seq,claim,ents\n"
      "US-1,1,\"A steel frame, "
      "κ-coated\",\"[{\"\"start\"\":2,\"\"end\"\":7,\"\"label\"\":\"\"Material\"\"}]\"\n"
      "US-1,2,A copper wire,\n"
      "US-1,3,,\n"
      "US-1,4,\"broken,quote\n";
  const std::string mapping =
      R"({"fields": {"text": "claim"}, "external_id": ["pub", "seq"], "spans": "ents", "spans_as": "response"})";
  auto r = admin_->client.request(
      "POST", "/api/v1/datasets/" + id + "/records/import",
      multipart("XyZ",
                {{"format", "", "csv"}, {"mapping", "", mapping}, {"file", "claims.csv", csv}}),
      "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(r.status, 200) << r.body;
  auto result = r.json();
  EXPECT_EQ(result["imported"], 2);
  ASSERT_EQ(result["errors"].size(), 2u);
  EXPECT_EQ(result["errors"][0]["row"], 4);
  EXPECT_EQ(result["errors"][0]["field"], "text");
  EXPECT_EQ(result["errors"][1]["row"], 5);

  // A JSONL upload without multipart (format in the query): annotator 2's answers as responses.
  auto jsonl = annotator2_->client;  // not allowed: annotators cannot import
  EXPECT_EQ(jsonl
                .request("POST", "/api/v1/datasets/" + id + "/records/import?format=jsonl", "{}\n",
                         "application/x-ndjson")
                .status,
            403);
  auto bad_mapping = owner_.request(
      "POST",
      "/api/v1/datasets/" + id +
          "/records/import?format=csv&mapping=" + url_encode(R"({"fields": {"body": "x"}})"),
      csv, "text/csv");
  EXPECT_EQ(bad_mapping.status, 422);
  EXPECT_NE(bad_mapping.error_message().find("`body` is not a field"), std::string::npos)
      << bad_mapping.body;

  // A second annotator disagrees on one span.
  auto list = owner_.get("/api/v1/datasets/" + id + "/records").json();
  ASSERT_EQ(list["total"], 2);
  const std::string r0 = list["items"][0]["id"];
  expect_status(annotator_->client.post(
                    "/api/v1/records/" + r0 + "/responses",
                    {{"status", "submitted"},
                     {"values", span_values({span("Material", 2, 7), span("Component", 8, 13)})}}),
                201, "second annotator");

  // Export: CoNLL streamed, the earliest submitted response (the import's).
  auto conll =
      owner_.get("/api/v1/datasets/" + id + "/export?format=conll&scheme=iob2&tokenizer=bert");
  ASSERT_EQ(conll.status, 200) << conll.body;
  EXPECT_EQ(conll.body, "A O\nsteel B-Material\nframe O\n, O\nκ O\n- O\ncoated O\n\n");
  EXPECT_EQ(conll.header("x-spanloop-records-written"), "1");
  auto spans =
      owner_.get("/api/v1/datasets/" + id + "/export?format=spans-jsonl&user_id=" + annotator_->id);
  ASSERT_EQ(spans.status, 200);
  EXPECT_EQ(json::parse(spans.body)["spans"].size(), 2u);
  auto report = owner_.get("/api/v1/datasets/" + id + "/export?format=iob-jsonl&report=1");
  ASSERT_EQ(report.status, 200);
  EXPECT_EQ(report.json()["export"]["records_written"], 1);
  EXPECT_TRUE(report.json()["export"]["tagging"].is_object());
  EXPECT_EQ(owner_.get("/api/v1/datasets/" + id + "/export?format=xml").status, 422);
  EXPECT_EQ(owner_.get("/api/v1/datasets/" + id + "/export?scheme=nope").status, 422);

  // Agreement: one shared record; Material agreed, Component only by one.
  auto agreement = owner_.get("/api/v1/datasets/" + id + "/agreement");
  ASSERT_EQ(agreement.status, 200) << agreement.body;
  auto a = agreement.json();
  EXPECT_EQ(a["records"], 1);
  ASSERT_EQ(a["pairs"].size(), 1u);
  EXPECT_DOUBLE_EQ(a["labels"]["Material"]["f1"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(a["labels"]["Component"]["f1"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(a["f1"].get<double>(), 2.0 / 3.0);
}

TEST_F(RecordsApiTest, OverlapPolicyErrorFailsTheExportOverHttpAndOffline) {
  auto ds = new_dataset({"Material", "Component"}, true);
  const std::string id = ds["id"];
  auto records = log_records(id, {"A steel frame", "A high-κ layer"}, "ov");
  expect_status(annotator_->client.post(
                    "/api/v1/records/" + records[0]["id"].get<std::string>() + "/responses",
                    {{"status", "submitted"}, {"values", span_values({span("Material", 2, 7)})}}),
                201, "clean record");
  expect_status(annotator_->client.post(
                    "/api/v1/records/" + records[1]["id"].get<std::string>() + "/responses",
                    {{"status", "submitted"},
                     {"values", span_values({span("Component", 2, 14), span("Material", 2, 8)})}}),
                201, "nested spans");

  const std::string base = "/api/v1/datasets/" + id + "/export?format=conll&overlap=";
  for (const std::string extra : {"", "&report=1"}) {
    auto failed = owner_.get(base + "error" + extra);
    EXPECT_EQ(failed.status, 422) << failed.body;
    EXPECT_NE(failed.error_message().find("record 'ov1'"), std::string::npos) << failed.body;
    EXPECT_NE(failed.error_message().find("overlap policy error"), std::string::npos)
        << failed.body;
    EXPECT_TRUE(failed.header("x-spanloop-records-written").empty());
  }
  auto longest = owner_.get(base + "longest");
  ASSERT_EQ(longest.status, 200) << longest.body;
  EXPECT_EQ(longest.header("x-spanloop-records-written"), "2");

  // Offline: exit code 1, the same message, and no partial output file.
  TempDir dir;
  const std::string common = " export --data-dir '" + (server_->data_dir() / "data").string() +
                             "' --dataset '" + ds["name"].get<std::string>() + "' --out '";
  const auto out = dir.path() / "train.conll";
  CliRun r = run_spanloop(common + out.string() + "' --overlap error", {.merge_stderr = true});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("record 'ov1'"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  r = run_spanloop(common + out.string() + "' --overlap longest", {.merge_stderr = true});
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(std::filesystem::exists(out));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "train.labels.json"));
}

}  // namespace
}  // namespace spanloop::testing
