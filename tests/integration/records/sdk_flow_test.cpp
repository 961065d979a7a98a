// The Argilla SDK notebook sequence (reference §1.2 "SDK behaviours to mirror") over HTTP.
#include "records_fixture.h"

namespace spanloop::testing {
namespace {

using nlohmann::json;

TEST_F(RecordsApiTest, SdkNotebookSequence) {
  // Dataset.create(): dataset, field, span question (overlapping allowed), publish, read back.
  auto ds = expect_status(owner_.post("/api/v1/datasets", {{"name", ApiFixture::unique("notebook")},
                                                           {"workspace_id", workspace_id_},
                                                           {"allow_extra_metadata", true}}),
                          201, "create dataset")
                .json();
  const std::string id = ds["id"];
  expect_status(owner_.post("/api/v1/datasets/" + id + "/fields",
                            {{"name", "text"},
                             {"title", "text"},
                             {"required", true},
                             {"settings", {{"type", "text"}, {"use_markdown", false}}},
                             {"dataset_id", id}}),
                201, "field");
  auto question =
      expect_status(owner_.post("/api/v1/datasets/" + id + "/questions",
                                {{"name", "ner"},
                                 {"title", "ner"},
                                 {"description", nullptr},
                                 {"required", true},
                                 {"settings",
                                  {{"type", "span"},
                                   {"field", "text"},
                                   {"options",
                                    {{{"value", "PER"}, {"text", "PER"}, {"description", nullptr}},
                                     {{"value", "ORG"}, {"text", "ORG"}},
                                     {{"value", "LOC"}, {"text", "LOC"}}}},
                                   {"visible_options", 3},
                                   {"allow_overlapping", true}}}}),
                    201, "question")
          .json();
  expect_status(owner_.put("/api/v1/datasets/" + id + "/publish", json::object()), 200, "publish");
  expect_status(owner_.get("/api/v1/datasets/" + id), 200, "get dataset");

  // records.log() in batches: PUT bulk with the SDK's extra keys (id: null, status, ...).
  const std::vector<std::string> texts = {"Barack Obama visited Paris.", "Ada Lovelace 𝐀 London",
                                          "Grace Hopper at IBM", "κ-value 5 µm in Zürich"};
  for (std::size_t batch = 0; batch < 2; ++batch) {
    json items = json::array();
    for (std::size_t i = batch * 2; i < batch * 2 + 2; ++i)
      items.push_back({{"id", nullptr},
                       {"external_id", "doc-" + std::to_string(i)},
                       {"fields", {{"text", texts[i]}}},
                       {"metadata", {{"source", "wiki"}}},
                       {"status", "pending"},
                       {"inserted_at", nullptr}});
    auto r =
        expect_status(owner_.put("/api/v1/datasets/" + id + "/records/bulk", {{"items", items}}),
                      200, "log batch")
            .json();
    EXPECT_EQ(r["items"].size(), 2u);
    EXPECT_TRUE(r["updated_item_ids"].empty());
  }

  // Iterate: GET records with includes, paged.
  auto page1 = owner_
                   .get("/api/v1/datasets/" + id +
                        "/records?include=responses&include=suggestions&offset=0&limit=3")
                   .json();
  EXPECT_EQ(page1["total"], 4);
  ASSERT_EQ(page1["items"].size(), 3u);
  EXPECT_EQ(page1["items"][0]["external_id"], "doc-0");
  EXPECT_TRUE(page1["items"][0]["responses"].is_array());
  EXPECT_FALSE(page1["items"][0].contains("vectors"));
  auto page2 = owner_.get("/api/v1/datasets/" + id + "/records?offset=3&limit=3").json();
  ASSERT_EQ(page2["items"].size(), 1u);
  EXPECT_EQ(page2["items"][0]["external_id"], "doc-3");

  // Annotators label (overlapping spans allowed, code points for 𝐀).
  const std::string r0 = page1["items"][0]["id"], r1 = page1["items"][1]["id"];
  expect_status(
      annotator_->client.post(
          "/api/v1/records/" + r0 + "/responses",
          {{"status", "submitted"},
           {"values",
            {{"ner",
              {{"value", {span("PER", 0, 12), span("PER", 7, 12), span("LOC", 21, 26)}}}}}}}),
      201, "submit r0");
  expect_status(
      annotator_->client.post(
          "/api/v1/records/" + r1 + "/responses",
          {{"status", "submitted"}, {"values", {{"ner", {{"value", {span("LOC", 15, 21)}}}}}}}),
      201, "submit r1 (astral letter counts as one)");

  // Query submitted responses (dataset.records(query=Filter(response.status == submitted))).
  auto submitted =
      owner_
          .post("/api/v1/datasets/" + id + "/records/search?include=responses&offset=0&limit=256",
                {{"filters",
                  {{"and",
                    {{{"type", "terms"},
                      {"scope", {{"entity", "response"}, {"property", "status"}}},
                      {"values", {"submitted"}}}}}}}})
          .json();
  EXPECT_EQ(submitted["total"], 2);
  ASSERT_EQ(submitted["items"].size(), 2u);
  EXPECT_EQ(submitted["items"][0]["query_score"], 1.0);
  const auto& resp = submitted["items"][0]["record"]["responses"][0];
  EXPECT_EQ(resp["values"]["ner"]["value"].size(), 3u);
  EXPECT_EQ(resp["user_id"], annotator_->id);

  // Log predictions back as suggestions: upsert by external_id, fields untouched.
  json items = json::array();
  for (std::size_t i = 0; i < texts.size(); ++i)
    items.push_back({{"external_id", "doc-" + std::to_string(i)},
                     {"fields", {{"text", texts[i]}}},
                     {"suggestions",
                      {{{"question_id", question["id"]},
                        {"question_name", "ner"},
                        {"value", {span("PER", 0, 5)}},
                        {"score", {0.93}},
                        {"agent", "bert-ner-v3"},
                        {"type", "model"}}}}});
  auto up =
      expect_status(owner_.put("/api/v1/datasets/" + id + "/records/bulk", {{"items", items}}), 200,
                    "log suggestions")
          .json();
  EXPECT_EQ(up["updated_item_ids"].size(), 4u);
  auto rec = owner_.get("/api/v1/records/" + r0).json();
  ASSERT_EQ(rec["suggestions"].size(), 1u);
  EXPECT_EQ(rec["suggestions"][0]["agent"], "bert-ner-v3");
  EXPECT_EQ(rec["suggestions"][0]["score"], json({0.93}));
  EXPECT_EQ(rec["metadata"]["source"], "wiki");  // metadata kept (not in the upsert item)

  // Suggestions filterable by span label and agent; agents listed for the UI.
  auto by_label = owner_
                      .post("/api/v1/datasets/" + id + "/records/search",
                            {{"filters",
                              {{"and",
                                {{{"type", "terms"},
                                  {"scope", {{"entity", "response"}, {"question", "ner"}}},
                                  {"values", {"LOC"}}}}}}}})
                      .json();
  EXPECT_EQ(by_label["total"], 2);
  auto options =
      owner_.get("/api/v1/datasets/" + id + "/records/search/suggestions/options").json();
  EXPECT_EQ(options["items"][0]["agents"], json({"bert-ner-v3"}));

  // dataset.progress(with_users_distribution=True)
  auto progress = owner_.get("/api/v1/datasets/" + id + "/progress").json();
  EXPECT_EQ(progress["total"], 4);
  EXPECT_EQ(progress["completed"], 2);
  EXPECT_EQ(progress["pending"], 2);
  auto users = owner_.get("/api/v1/datasets/" + id + "/users/progress").json();
  ASSERT_EQ(users["users"].size(), 1u);
  EXPECT_EQ(users["users"][0]["username"], annotator_->username);
  EXPECT_EQ(users["users"][0]["completed"]["submitted"], 2);

  // records.delete() in batches of ids.
  expect_status(owner_.del("/api/v1/datasets/" + id + "/records?ids=" + r0 + "," + r1), 204,
                "delete");
  EXPECT_EQ(owner_.get("/api/v1/datasets/" + id + "/records").json()["total"], 2);
}

TEST_F(RecordsApiTest, BulkCreateSuggestionsResponsesAndPatch) {
  auto ds = new_dataset();
  const std::string id = ds["id"];
  auto created =
      expect_status(owner_.post("/api/v1/datasets/" + id + "/records/bulk",
                                {{"items",
                                  {{{"external_id", "a"},
                                    {"fields", {{"text", "steel frame"}}},
                                    {"responses",
                                     {{{"user_id", annotator_->id},
                                       {"status", "submitted"},
                                       {"values", span_values({span("Material", 0, 5)})}}}}}}}}),
                    201, "bulk create")
          .json();
  const std::string rid = created["items"][0]["id"];
  EXPECT_EQ(created["items"][0]["status"], "completed");

  auto questions = owner_.get("/api/v1/datasets/" + id + "/questions").json();
  const std::string qid = questions["items"][0]["id"];
  auto s =
      owner_.put("/api/v1/records/" + rid + "/suggestions",
                 {{"question_id", qid}, {"value", {span("Component", 6, 11)}}, {"score", {0.5}}});
  EXPECT_EQ(s.status, 201) << s.body;
  auto s2 =
      owner_.put("/api/v1/records/" + rid + "/suggestions",
                 {{"question_id", qid}, {"value", {span("Component", 6, 11)}}, {"score", 0.7}});
  EXPECT_EQ(s2.status, 422) << "a span list needs a list of scores: " << s2.body;
  s2 = owner_.put("/api/v1/records/" + rid + "/suggestions",
                  {{"question_id", qid}, {"value", {span("Material", 0, 5)}}, {"agent", "m2"}});
  EXPECT_EQ(s2.status, 200) << s2.body;
  auto listed = annotator_->client.get("/api/v1/records/" + rid + "/suggestions").json();
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["agent"], "m2");

  auto patched = owner_.patch("/api/v1/records/" + rid, {{"metadata", {{"year", 2020}}}});
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["metadata"]["year"], 2020);
  EXPECT_EQ(owner_.patch("/api/v1/records/" + rid, {{"fields", {{"text", "x"}}}})
                .json()["fields"]["text"],
            "steel frame");  // fields are not editable (key ignored)

  const std::string sid = listed["items"][0]["id"];
  EXPECT_EQ(owner_.del("/api/v1/suggestions/" + sid).status, 200);
  EXPECT_EQ(owner_.get("/api/v1/records/" + rid + "/suggestions").json()["items"].size(), 0u);
  EXPECT_EQ(owner_.del("/api/v1/records/" + rid).status, 200);
  EXPECT_EQ(owner_.get("/api/v1/records/" + rid).status, 404);
}

TEST_F(RecordsApiTest, ResponsesUpdateDeleteAndBulk) {
  auto ds = new_dataset();
  const std::string id = ds["id"];
  auto recs = log_records(id, {"steel frame", "iron rod", "copper wire"});
  const std::string r0 = recs[0]["id"], r1 = recs[1]["id"], r2 = recs[2]["id"];
  auto resp =
      expect_status(annotator_->client.post(
                        "/api/v1/records/" + r0 + "/responses",
                        {{"status", "draft"}, {"values", span_values({span("Material", 0, 5)})}}),
                    201, "draft")
          .json();
  const std::string resp_id = resp["id"];
  EXPECT_EQ(resp["status"], "draft");
  auto updated =
      annotator_->client.put("/api/v1/responses/" + resp_id,
                             {{"status", "submitted"}, {"values", span_values(json::array())}});
  EXPECT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(owner_.get("/api/v1/records/" + r0).json()["status"], "completed");
  EXPECT_EQ(
      annotator2_->client.put("/api/v1/responses/" + resp_id, {{"status", "discarded"}}).status,
      403);
  EXPECT_EQ(admin_->client.put("/api/v1/responses/" + resp_id, {{"status", "discarded"}}).status,
            200);
  EXPECT_EQ(owner_.get("/api/v1/records/" + r0).json()["status"], "pending");
  EXPECT_EQ(annotator_->client.del("/api/v1/responses/" + resp_id).status, 200);

  auto bulk = annotator_->client.post(
      "/api/v1/me/responses/bulk",
      {{"items",
        {{{"record_id", r1},
          {"status", "submitted"},
          {"values", span_values({span("Material", 0, 4)})}},
         {{"record_id", r2},
          {"status", "submitted"},
          {"values", span_values({span("Metal", 0, 6)})}},
         {{"record_id", "00000000-0000-0000-0000-000000000000"}, {"status", "discarded"}}}}});
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  auto items = bulk.json()["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["item"]["status"], "submitted");
  EXPECT_TRUE(items[0]["error"].is_null());
  EXPECT_TRUE(items[1]["item"].is_null());
  EXPECT_NE(items[1]["error"]["detail"]["message"].get<std::string>().find("Metal"),
            std::string::npos);
  EXPECT_EQ(items[2]["error"]["detail"]["code"], "not_found");
  // Replaying the bulk replaces (one response per user and record).
  auto again = annotator_->client.post("/api/v1/me/responses/bulk",
                                       {{"items", {{{"record_id", r1}, {"status", "discarded"}}}}});
  EXPECT_EQ(again.json()["items"][0]["item"]["status"], "discarded");
  EXPECT_EQ(owner_.get("/api/v1/records/" + r1).json()["responses"].size(), 1u);
}

}  // namespace
}  // namespace spanloop::testing
