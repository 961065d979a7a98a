// Datasets and their settings (fields, questions, metadata properties, vector settings) over
// HTTP, with every role.
#include "server_suite.h"

namespace spanloop::testing {
namespace {

class DatasetsTest : public ServerSuite {
 protected:
  void SetUp() override {
    ws_ = api().create_workspace();
    ws_id_ = ws_["id"];
    admin_ = std::make_unique<TestUser>(api().create_user("admin", ws_id_));
    annotator_ = std::make_unique<TestUser>(api().create_user("annotator", ws_id_));
    outsider_ = std::make_unique<TestUser>(api().create_user("admin"));
  }
  nlohmann::json ws_;
  std::string ws_id_;
  std::unique_ptr<TestUser> admin_, annotator_, outsider_;
};

TEST_F(DatasetsTest, CreateNeedsAnAdminOfTheWorkspace) {
  nlohmann::json body{{"name", "claims"}, {"workspace_id", ws_id_}, {"guidelines", "Mark spans"}};
  EXPECT_EQ(annotator_->client.post("/api/v1/datasets", body).status, 403);
  EXPECT_EQ(outsider_->client.post("/api/v1/datasets", body).status, 403);
  auto r = admin_->client.post("/api/v1/datasets", body);
  ASSERT_EQ(r.status, 201) << r.body;
  auto d = r.json();
  EXPECT_EQ(d["status"], "draft");
  EXPECT_EQ(d["guidelines"], "Mark spans");
  EXPECT_EQ(d["distribution"]["strategy"], "overlap");
  EXPECT_EQ(d["distribution"]["min_submitted"], 1);
  EXPECT_EQ(d["allow_extra_metadata"], true);
  EXPECT_EQ(admin_->client.post("/api/v1/datasets", body).status, 409);
  body["workspace_id"] = "00000000-0000-0000-0000-000000000000";
  EXPECT_EQ(owner().post("/api/v1/datasets", body).status, 404);
  EXPECT_EQ(owner().post("/api/v1/datasets", {{"workspace_id", ws_id_}}).status, 422);
  EXPECT_EQ(owner()
                .post("/api/v1/datasets", {{"name", "x"},
                                           {"workspace_id", ws_id_},
                                           {"distribution", {{"strategy", "round_robin"}}}})
                .status,
            422);
}

TEST_F(DatasetsTest, ListingAndReadingRespectWorkspaces) {
  auto d = api().create_span_dataset(ws_id_);
  std::string id = d["id"];
  auto other_ws = api().create_workspace();
  auto hidden = api().create_span_dataset(other_ws["id"]);
  auto items = annotator_->client.get("/api/v1/me/datasets").json()["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["id"], id);
  EXPECT_EQ(annotator_->client.get("/api/v1/datasets/" + id).status, 200);
  EXPECT_EQ(annotator_->client.get("/api/v1/datasets/" + hidden["id"].get<std::string>()).status,
            403);
  EXPECT_EQ(outsider_->client.get("/api/v1/datasets/" + id).status, 403);
  EXPECT_EQ(owner().get("/api/v1/datasets/00000000-0000-0000-0000-000000000000").status, 404);
  // Filters: workspace_id, name, status.
  auto by_ws = owner().get("/api/v1/me/datasets?workspace_id=" + ws_id_).json()["items"];
  EXPECT_EQ(by_ws.size(), 1u);
  auto by_name = owner().get("/api/v1/me/datasets?name=" + url_encode(d["name"])).json()["items"];
  EXPECT_EQ(by_name.size(), 1u);
  EXPECT_EQ(owner().get("/api/v1/me/datasets?status=bogus").status, 422);
  auto ready = owner().get("/api/v1/me/datasets?status=ready&workspace_id=" + ws_id_);
  EXPECT_EQ(ready.json()["items"].size(), 1u);
  // Settings lists are readable by members only.
  for (const char* part : {"fields", "questions", "metadata-properties", "vectors-settings"}) {
    std::string path = "/api/v1/datasets/" + id + "/" + part;
    EXPECT_EQ(annotator_->client.get(path).status, 200) << path;
    EXPECT_EQ(outsider_->client.get(path).status, 403) << path;
  }
}

TEST_F(DatasetsTest, PatchKeepsUiMetadataAndOnlyAdminsChange) {
  auto d = api().create_span_dataset(ws_id_);
  std::string path = "/api/v1/datasets/" + d["id"].get<std::string>();
  nlohmann::json colors{{"label_colors", {{"Material", "#4e79a7"}, {"Component", "#f28e2b"}}},
                        {"tags", {"patents", "demo"}}};
  EXPECT_EQ(annotator_->client.patch(path, {{"guidelines", "x"}}).status, 403);
  auto r = admin_->client.patch(path, {{"guidelines", "New **guidelines**"}, {"metadata", colors}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["guidelines"], "New **guidelines**");
  EXPECT_EQ(r.json()["metadata"], colors);
  EXPECT_EQ(annotator_->client.get(path).json()["metadata"], colors);
  r = admin_->client.patch(path, {{"guidelines", nullptr}});
  EXPECT_EQ(r.json()["guidelines"], nullptr);
  EXPECT_EQ(r.json()["metadata"], colors);
  EXPECT_EQ(admin_->client.patch(path, {{"distribution", {{"min_submitted", 2}}}})
                .json()["distribution"]["min_submitted"],
            2);
  EXPECT_EQ(admin_->client.patch(path, {{"distribution", {{"min_submitted", 0}}}}).status, 422);
  EXPECT_EQ(admin_->client.patch(path, {{"metadata", "not an object"}}).status, 422);
}

TEST_F(DatasetsTest, SdkCreateSequenceWithSpanQuestion) {
  auto c = admin_->client;
  auto d = c.post("/api/v1/datasets", {{"name", "sdk-flow"}, {"workspace_id", ws_id_}}).json();
  std::string id = d["id"];
  // Publishing needs a field and a required question.
  EXPECT_EQ(c.put("/api/v1/datasets/" + id + "/publish", nlohmann::json::object()).status, 422);
  auto field = c.post("/api/v1/datasets/" + id + "/fields",
                      {{"name", "text"},
                       {"title", "Claim"},
                       {"required", true},
                       {"settings", {{"type", "text"}, {"use_markdown", false}}},
                       {"id", nullptr},
                       {"dataset_id", id}});
  ASSERT_EQ(field.status, 201) << field.body;
  EXPECT_EQ(field.json()["settings"]["type"], "text");
  EXPECT_EQ(c.post("/api/v1/datasets/" + id + "/fields",
                   {{"name", "img"}, {"title", "Image"}, {"settings", {{"type", "image"}}}})
                .status,
            422);
  EXPECT_EQ(annotator_->client
                .post("/api/v1/datasets/" + id + "/fields",
                      {{"name", "x"}, {"title", "x"}, {"settings", {{"type", "text"}}}})
                .status,
            403);
  nlohmann::json question{
      {"name", "ner"},
      {"title", "ner"},
      {"description", nullptr},
      {"required", true},
      {"settings",
       {{"type", "span"},
        {"field", "text"},
        {"options",
         {{{"value", "Material"}, {"text", "Material"}, {"description", nullptr}},
          {{"value", "Component"}, {"text", "Component"}, {"color", "#00ff00"}},
          {{"value", "Value"}, {"text", "Value"}}}},
        {"visible_options", 3},
        {"allow_overlapping", false}}}};
  auto q = c.post("/api/v1/datasets/" + id + "/questions", question);
  ASSERT_EQ(q.status, 201) << q.body;
  auto qj = q.json();
  EXPECT_EQ(qj["settings"]["type"], "span");
  EXPECT_EQ(qj["settings"]["allow_character_annotation"], true);
  EXPECT_EQ(qj["settings"]["visible_options"], 3);
  EXPECT_EQ(qj["settings"]["options"][1]["color"], "#00ff00");
  EXPECT_EQ(qj["dataset_id"], id);
  // A second span question on the same field, a span over a missing field: 422.
  question["name"] = "ner2";
  EXPECT_EQ(c.post("/api/v1/datasets/" + id + "/questions", question).status, 422);
  question["settings"]["field"] = "nope";
  EXPECT_EQ(c.post("/api/v1/datasets/" + id + "/questions", question).status, 422);
  auto meta = c.post("/api/v1/datasets/" + id + "/metadata-properties",
                     {{"name", "claim_type"},
                      {"title", "Claim type"},
                      {"settings", {{"type", "terms"}, {"values", {"independent", "dependent"}}}},
                      {"visible_for_annotators", false}});
  ASSERT_EQ(meta.status, 201) << meta.body;
  auto vec = c.post("/api/v1/datasets/" + id + "/vectors-settings",
                    {{"name", "emb"}, {"title", "Embedding"}, {"dimensions", 4}});
  ASSERT_EQ(vec.status, 201) << vec.body;
  auto pub = c.put("/api/v1/datasets/" + id + "/publish", nlohmann::json::object());
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.json()["status"], "ready");
  // After publishing: no new fields or questions; settings updates follow the rules.
  EXPECT_EQ(c.post("/api/v1/datasets/" + id + "/questions",
                   {{"name", "late"}, {"settings", {{"type", "text"}}}})
                .status,
            422);
  std::string qid = qj["id"];
  auto upd = c.patch(
      "/api/v1/questions/" + qid,
      {{"title", "Entities"}, {"settings", {{"type", "span"}, {"allow_overlapping", true}}}});
  ASSERT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(upd.json()["title"], "Entities");
  EXPECT_EQ(upd.json()["settings"]["allow_overlapping"], true);
  EXPECT_EQ(upd.json()["settings"]["options"].size(), 3u);
  EXPECT_EQ(
      c.patch("/api/v1/questions/" + qid, {{"settings", {{"allow_overlapping", false}}}}).status,
      422);
  EXPECT_EQ(c.patch("/api/v1/questions/" + qid, {{"settings", {{"type", "text"}}}}).status, 422);
  EXPECT_EQ(annotator_->client.patch("/api/v1/questions/" + qid, {{"title", "x"}}).status, 403);
  EXPECT_EQ(c.del("/api/v1/questions/" + qid).status, 422);  // published
  // Annotators do not see hidden metadata properties.
  EXPECT_EQ(annotator_->client.get("/api/v1/me/datasets/" + id + "/metadata-properties")
                .json()["items"]
                .size(),
            0u);
  EXPECT_EQ(c.get("/api/v1/me/datasets/" + id + "/metadata-properties").json()["items"].size(), 1u);
  std::string mid = meta.json()["id"];
  EXPECT_EQ(annotator_->client.get("/api/v1/metadata-properties/" + mid + "/metrics").status, 404);
  auto metrics = c.get("/api/v1/metadata-properties/" + mid + "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_EQ(metrics.json()["type"], "terms");
  EXPECT_EQ(c.patch("/api/v1/metadata-properties/" + mid, {{"visible_for_annotators", true}})
                .json()["visible_for_annotators"],
            true);
  EXPECT_EQ(annotator_->client.get("/api/v1/datasets/" + id + "/metadata-properties")
                .json()["items"]
                .size(),
            1u);
  std::string vid = vec.json()["id"];
  EXPECT_EQ(c.patch("/api/v1/vectors-settings/" + vid, {{"title", "E"}}).json()["title"], "E");
  EXPECT_EQ(annotator_->client.del("/api/v1/vectors-settings/" + vid).status, 403);
  EXPECT_EQ(c.del("/api/v1/vectors-settings/" + vid).status, 200);
  EXPECT_EQ(c.del("/api/v1/vectors-settings/" + vid).status, 404);
  EXPECT_EQ(c.del("/api/v1/metadata-properties/" + mid).status, 200);
  // The field of a published dataset stays; titles may change.
  std::string fid = field.json()["id"];
  EXPECT_EQ(c.patch("/api/v1/fields/" + fid, {{"title", "The claim"}}).json()["title"],
            "The claim");
  EXPECT_EQ(c.del("/api/v1/fields/" + fid).status, 422);
}

TEST_F(DatasetsTest, DeleteNeedsAnAdminAndRemovesEverything) {
  auto d = api().create_span_dataset(ws_id_);
  std::string path = "/api/v1/datasets/" + d["id"].get<std::string>();
  EXPECT_EQ(annotator_->client.del(path).status, 403);
  EXPECT_EQ(outsider_->client.del(path).status, 403);
  EXPECT_EQ(admin_->client.del(path).status, 200);
  EXPECT_EQ(owner().get(path).status, 404);
  EXPECT_EQ(owner().get(path + "/fields").status, 404);
}

TEST_F(DatasetsTest, DraftQuestionsAndFieldsCanBeDeleted) {
  auto d = api().create_span_dataset(ws_id_, {"A"}, /*publish=*/false);
  std::string id = d["id"];
  auto questions = owner().get("/api/v1/datasets/" + id + "/questions").json()["items"];
  ASSERT_EQ(questions.size(), 1u);
  EXPECT_EQ(owner().del("/api/v1/questions/" + questions[0]["id"].get<std::string>()).status, 200);
  auto fields = owner().get("/api/v1/datasets/" + id + "/fields").json()["items"];
  EXPECT_EQ(owner().del("/api/v1/fields/" + fields[0]["id"].get<std::string>()).status, 200);
  EXPECT_EQ(owner().get("/api/v1/datasets/" + id + "/fields").json()["items"].size(), 0u);
}

}  // namespace
}  // namespace spanloop::testing
