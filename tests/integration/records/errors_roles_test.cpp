// Every error class of the records routes, and the role matrix (owner, workspace admin,
// annotator, member of another workspace) over every route family of this part.
#include "records_fixture.h"

namespace spanloop::testing {
namespace {

using nlohmann::json;

TEST_F(RecordsApiTest, ErrorClasses) {
  auto ds = new_dataset();
  const std::string id = ds["id"];
  auto recs = log_records(id, {"A κ-value 𝐀 test"});  // 16 code points
  const std::string rid = recs[0]["id"];

  // 401: no or bad credentials.
  EXPECT_EQ(api_->anonymous().get("/api/v1/datasets/" + id + "/records").status, 401);
  EXPECT_EQ(server_->client("wrong-key").get("/api/v1/records/" + rid).status, 401);
  // 403: an annotator writing records.
  EXPECT_EQ(annotator_->client
                .put("/api/v1/datasets/" + id + "/records/bulk",
                     {{"items", {{{"fields", {{"text", "x"}}}}}}})
                .status,
            403);
  // 404: unknown ids.
  auto missing = owner_.get("/api/v1/records/00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.error_message().find("Record with id"), std::string::npos) << missing.body;
  EXPECT_EQ(owner_.put("/api/v1/responses/nope", {{"status", "draft"}}).status, 404);
  EXPECT_EQ(owner_.del("/api/v1/suggestions/nope").status, 404);
  EXPECT_EQ(owner_.post("/api/v1/datasets/nope/records/search", json::object()).status, 404);
  // 409: a second response of the same user; an existing external id on bulk create.
  expect_status(
      annotator_->client.post("/api/v1/records/" + rid + "/responses", {{"status", "discarded"}}),
      201, "first response");
  EXPECT_EQ(
      annotator_->client.post("/api/v1/records/" + rid + "/responses", {{"status", "discarded"}})
          .status,
      409);
  auto dup = owner_.post("/api/v1/datasets/" + id + "/records/bulk",
                         {{"items", {{{"external_id", "r0"}, {"fields", {{"text", "x"}}}}}}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_NE(dup.error_message().find("r0"), std::string::npos) << dup.body;

  // 422: span validation names the offending span (code points: 𝐀 is one).
  auto past_end = annotator2_->client.post(
      "/api/v1/records/" + rid + "/responses",
      {{"status", "submitted"},
       {"values", span_values({span("Material", 0, 3), span("Component", 12, 17)})}});
  EXPECT_EQ(past_end.status, 422);
  EXPECT_NE(past_end.error_message().find("span at index 1 {label 'Component', start 12, end 17}"),
            std::string::npos)
      << past_end.body;
  EXPECT_NE(past_end.error_message().find("16 code points"), std::string::npos) << past_end.body;
  auto overlap = annotator2_->client.post(
      "/api/v1/records/" + rid + "/responses",
      {{"status", "submitted"},
       {"values", span_values({span("Material", 0, 5), span("Component", 3, 8)})}});
  EXPECT_EQ(overlap.status, 422);
  EXPECT_NE(overlap.error_message().find("overlaps span at index"), std::string::npos)
      << overlap.body;
  auto bad_label = annotator2_->client.post(
      "/api/v1/records/" + rid + "/responses",
      {{"status", "submitted"}, {"values", span_values({span("PER", 0, 1)})}});
  EXPECT_EQ(bad_label.status, 422);
  auto bad_shape = annotator2_->client.post(
      "/api/v1/records/" + rid + "/responses",
      {{"status", "submitted"},
       {"values",
        {{"spans", {{"value", {{{"label", "Material"}, {"start", "0"}, {"end", 1}}}}}}}}});
  EXPECT_EQ(bad_shape.status, 422);
  EXPECT_NE(bad_shape.error_message().find("start"), std::string::npos) << bad_shape.body;
  EXPECT_EQ(annotator2_->client.post("/api/v1/records/" + rid + "/responses", {{"status", "done"}})
                .status,
            422);
  EXPECT_EQ(
      annotator2_->client.post("/api/v1/records/" + rid + "/responses", {{"status", "submitted"}})
          .status,
      422);  // submitted needs values

  // 422: request limits and malformed queries.
  json many = json::array();
  for (int i = 0; i < 501; ++i) many.push_back({{"fields", {{"text", "x"}}}});
  auto too_many = owner_.put("/api/v1/datasets/" + id + "/records/bulk", {{"items", many}});
  EXPECT_EQ(too_many.status, 422);
  EXPECT_NE(too_many.error_message().find("1 to 500"), std::string::npos);
  EXPECT_EQ(
      owner_.put("/api/v1/datasets/" + id + "/records/bulk", {{"items", json::array()}}).status,
      422);
  std::string ids;
  for (int i = 0; i < 101; ++i) ids += (i ? "," : "") + std::to_string(i);
  EXPECT_EQ(owner_.del("/api/v1/datasets/" + id + "/records?ids=" + ids).status, 422);
  EXPECT_EQ(owner_.get("/api/v1/datasets/" + id + "/records?include=everything").status, 422);
  EXPECT_EQ(owner_.get("/api/v1/datasets/" + id + "/records?limit=1001").status, 422);
  auto bad_filter = owner_.post("/api/v1/datasets/" + id + "/records/search",
                                {{"filters",
                                  {{"and",
                                    {{{"type", "terms"},
                                      {"scope", {{"entity", "response"}, {"question", "nope"}}},
                                      {"values", {"x"}}}}}}}});
  EXPECT_EQ(bad_filter.status, 422);
  EXPECT_EQ(owner_
                .post("/api/v1/datasets/" + id + "/records/search",
                      {{"query", {{"vector", {{"name", "emb"}, {"value", {0.1}}}}}}})
                .status,
            422);
  EXPECT_EQ(owner_
                .request("POST", "/api/v1/datasets/" + id + "/records/search", "{oops",
                         "application/json")
                .status,
            422);
  auto bad_item =
      owner_.put("/api/v1/datasets/" + id + "/records/bulk",
                 {{"items", {{{"fields", {{"text", "ok"}}}}, {{"fields", {{"text", 5}}}}}}});
  EXPECT_EQ(bad_item.status, 422);
  EXPECT_NE(bad_item.error_message().find("items[1].fields.text"), std::string::npos)
      << bad_item.body;

  // Records in a draft dataset: a state error, not a crash.
  auto draft = api_->create_span_dataset(workspace_id_, {"A"}, false);
  auto draft_put = owner_.put("/api/v1/datasets/" + std::string(draft["id"]) + "/records/bulk",
                              {{"items", {{{"fields", {{"text", "x"}}}}}}});
  EXPECT_GE(draft_put.status, 400);
  EXPECT_LT(draft_put.status, 500);
}

TEST_F(RecordsApiTest, RoleMatrix) {
  auto ds = new_dataset();
  const std::string id = ds["id"];
  auto recs = log_records(id, {"steel frame", "iron rod"});
  const std::string rid = recs[0]["id"];
  const std::string qid =
      owner_.get("/api/v1/datasets/" + id + "/questions").json()["items"][0]["id"];
  expect_status(annotator_->client.post(
                    "/api/v1/records/" + rid + "/responses",
                    {{"status", "submitted"}, {"values", span_values({span("Material", 0, 5)})}}),
                201, "annotator 1 answers");
  expect_status(
      annotator2_->client.post("/api/v1/records/" + rid + "/responses",
                               {{"status", "draft"}, {"values", span_values(json::array())}}),
      201, "annotator 2 answers");

  struct Call {
    std::string method, path;
    json body;
    bool annotator_allowed;  // members who annotate
  };
  const std::string ds_path = "/api/v1/datasets/" + id;
  const json search_body = json::object();
  const std::vector<Call> calls = {
      {"PUT",
       ds_path + "/records/bulk",
       {{"items", {{{"external_id", "r0"}, {"fields", {{"text", "steel frame"}}}}}}},
       false},
      {"GET", ds_path + "/records", nullptr, false},
      {"POST", ds_path + "/records/search", search_body, false},
      {"POST", "/api/v1/me/datasets/" + id + "/records/search", search_body, true},
      {"GET", "/api/v1/me/datasets/" + id + "/records", nullptr, true},
      {"GET", ds_path + "/records/search/suggestions/options", nullptr, true},
      {"GET", "/api/v1/records/" + rid, nullptr, true},
      {"PATCH", "/api/v1/records/" + rid, {{"metadata", {{"k", "v"}}}}, false},
      {"GET", "/api/v1/records/" + rid + "/suggestions", nullptr, true},
      {"PUT",
       "/api/v1/records/" + rid + "/suggestions",
       {{"question_id", qid}, {"value", json::array()}},
       false},
      {"GET", ds_path + "/progress", nullptr, true},
      {"GET", ds_path + "/users/progress", nullptr, true},
      {"GET", "/api/v1/me/datasets/" + id + "/metrics", nullptr, true},
      {"GET", ds_path + "/export?report=1", nullptr, false},
      {"GET", ds_path + "/agreement", nullptr, false},
  };
  auto send = [](const HttpClient& c, const Call& call) {
    if (call.method == "GET") return c.get(call.path);
    if (call.method == "POST") return c.post(call.path, call.body);
    if (call.method == "PUT") return c.put(call.path, call.body);
    return c.patch(call.path, call.body);
  };
  for (const auto& call : calls) {
    const std::string what = call.method + " " + call.path;
    EXPECT_LT(send(owner_, call).status, 300) << "owner: " << what;
    EXPECT_LT(send(admin_->client, call).status, 300) << "admin: " << what;
    EXPECT_EQ(send(annotator_->client, call).status, call.annotator_allowed ? 200 : 403)
        << "annotator: " << what;
    EXPECT_EQ(send(outsider_->client, call).status, 403) << "other workspace: " << what;
    EXPECT_EQ(send(outside_admin_->client, call).status, 403)
        << "admin of another workspace: " << what;
  }
  EXPECT_EQ(
      outsider_->client.post("/api/v1/records/" + rid + "/responses", {{"status", "discarded"}})
          .status,
      403);
  // The submit's permission check runs inside the store's write; a bad body is still answered
  // after it: 404 for an unknown record, then 403, then 422.
  EXPECT_EQ(
      outsider_->client.post("/api/v1/records/" + rid + "/responses", {{"status", "done"}}).status,
      403);
  EXPECT_EQ(outsider_->client
                .post("/api/v1/records/00000000-0000-0000-0000-000000000000/responses",
                      {{"status", "done"}})
                .status,
            404);
  EXPECT_EQ(outsider_->client
                .post("/api/v1/me/responses/bulk",
                      {{"items", {{{"record_id", rid}, {"status", "discarded"}}}}})
                .json()["items"][0]["error"]
                .is_null(),
            false);
  EXPECT_EQ(annotator_->client.del("/api/v1/records/" + rid).status, 403);
  EXPECT_EQ(annotator_->client.del(ds_path + "/records?ids=" + rid).status, 403);
  EXPECT_EQ(annotator_->client.request("POST", ds_path + "/records/import", "text\nx\n", "text/csv")
                .status,
            403);

  // Annotators never see others' responses: GET record, /me search, /me records.
  auto own = annotator_->client.get("/api/v1/records/" + rid).json();
  ASSERT_EQ(own["responses"].size(), 1u);
  EXPECT_EQ(own["responses"][0]["user_id"], annotator_->id);
  auto me = annotator2_->client
                .post("/api/v1/me/datasets/" + id + "/records/search?include=responses",
                      {{"filters",
                        {{"and",
                          {{{"type", "terms"},
                            {"scope", {{"entity", "response"}, {"property", "status"}}},
                            {"values", {"draft"}}}}}}}})
                .json();
  ASSERT_EQ(me["total"], 1);
  ASSERT_EQ(me["items"][0]["record"]["responses"].size(), 1u);
  EXPECT_EQ(me["items"][0]["record"]["responses"][0]["user_id"], annotator2_->id);
  auto me_list =
      annotator_->client.get("/api/v1/me/datasets/" + id + "/records?include=responses").json();
  for (const auto& r : me_list["items"])
    for (const auto& resp : r["responses"]) EXPECT_EQ(resp["user_id"], annotator_->id);
  // Owners and admins see both.
  EXPECT_EQ(admin_->client.get("/api/v1/records/" + rid).json()["responses"].size(), 2u);
}

// Metadata properties with visible_for_annotators = false (reference §2 "Roles"): annotators
// neither see them (property lists, record metadata, metrics) nor filter or sort on them;
// owners and workspace admins see everything.
TEST_F(RecordsApiTest, HiddenMetadataRoleMatrix) {
  const std::string id = api_->create_span_dataset(workspace_id_, {"Material"}, false)["id"];
  const std::string ds_path = "/api/v1/datasets/" + id;
  const std::string secret_id = expect_status(owner_.post(ds_path + "/metadata-properties",
                                                          {{"name", "secret"},
                                                           {"title", "Reviewer score"},
                                                           {"settings", {{"type", "integer"}}},
                                                           {"visible_for_annotators", false}}),
                                              201, "hidden property")
                                    .json()["id"];
  expect_status(owner_.post(ds_path + "/metadata-properties", {{"name", "claim_type"},
                                                               {"title", "Claim type"},
                                                               {"settings", {{"type", "terms"}}}}),
                201, "visible property");
  expect_status(owner_.put(ds_path + "/publish", json::object()), 200, "publish");
  auto recs =
      expect_status(
          owner_.put(
              ds_path + "/records/bulk",
              {{"items",
                {{{"external_id", "m1"},
                  {"fields", {{"text", "steel frame"}}},
                  {"metadata", {{"secret", 7}, {"claim_type", "independent"}, {"extra", "kept"}}}},
                 {{"external_id", "m2"},
                  {"fields", {{"text", "iron rod"}}},
                  {"metadata", {{"secret", 3}, {"claim_type", "dependent"}}}}}}}),
          200, "log records")
          .json()["items"];
  const std::string rid = recs[0]["id"];

  auto filter_on = [](const std::string& property, json values) {
    return json{{"filters",
                 {{"and",
                   {{{"type", "terms"},
                     {"scope", {{"entity", "metadata"}, {"metadata_property", property}}},
                     {"values", std::move(values)}}}}}}};
  };
  auto sort_on = [](const std::string& property) {
    return json{{"sort",
                 {{{"scope", {{"entity", "metadata"}, {"metadata_property", property}}},
                   {"order", "desc"}}}}};
  };
  const json range_on_secret = {
      {"filters",
       {{"and",
         {{{"type", "range"},
           {"scope", {{"entity", "metadata"}, {"metadata_property", "secret"}}},
           {"ge", 5}}}}}}};

  struct Caller {
    std::string who;
    const HttpClient* client;
    bool sees_hidden;
  };
  const std::vector<Caller> callers = {{"owner", &owner_, true},
                                       {"admin", &admin_->client, true},
                                       {"annotator", &annotator_->client, false}};
  for (const auto& [who, c, sees_hidden] : callers) {
    SCOPED_TRACE(who);
    const std::size_t properties = sees_hidden ? 2 : 1;
    EXPECT_EQ(c->get(ds_path + "/metadata-properties").json()["items"].size(), properties);
    EXPECT_EQ(c->get("/api/v1/me/datasets/" + id + "/metadata-properties").json()["items"].size(),
              properties);
    EXPECT_EQ(c->get("/api/v1/metadata-properties/" + secret_id + "/metrics").status,
              sees_hidden ? 200 : 404);

    // Record metadata: the hidden key is dropped, visible and extra keys stay.
    auto check_metadata = [&](const json& metadata, const std::string& where) {
      EXPECT_EQ(metadata.contains("secret"), sees_hidden) << where << ": " << metadata.dump();
      EXPECT_TRUE(metadata.contains("claim_type")) << where << ": " << metadata.dump();
    };
    auto one = c->get("/api/v1/records/" + rid);
    ASSERT_EQ(one.status, 200) << one.body;
    check_metadata(one.json()["metadata"], "GET /records/{id}");
    EXPECT_EQ(one.json()["metadata"]["extra"], "kept");
    auto list = c->get("/api/v1/me/datasets/" + id + "/records");
    ASSERT_EQ(list.status, 200) << list.body;
    for (const auto& r : list.json()["items"]) check_metadata(r["metadata"], "GET /me/records");
    auto search = c->post("/api/v1/me/datasets/" + id + "/records/search", json::object());
    ASSERT_EQ(search.status, 200) << search.body;
    ASSERT_EQ(search.json()["total"], 2);
    for (const auto& hit : search.json()["items"])
      check_metadata(hit["record"]["metadata"], "POST /me/search");

    // Filters and sorts on the hidden property: refused for annotators like an unknown one.
    for (const json& body : {range_on_secret, sort_on("secret")}) {
      auto r = c->post("/api/v1/me/datasets/" + id + "/records/search", body);
      if (sees_hidden) {
        EXPECT_EQ(r.status, 200) << body.dump() << " " << r.body;
      } else {
        EXPECT_EQ(r.status, 422) << body.dump() << " " << r.body;
        EXPECT_NE(r.error_message().find("metadata property 'secret' not found"), std::string::npos)
            << r.body;
      }
    }
    auto ranged = c->post("/api/v1/me/datasets/" + id + "/records/search", range_on_secret);
    if (sees_hidden) {
      EXPECT_EQ(ranged.json()["total"], 1) << ranged.body;
    }
    auto visible = c->post("/api/v1/me/datasets/" + id + "/records/search",
                           filter_on("claim_type", {"dependent"}));
    ASSERT_EQ(visible.status, 200) << visible.body;
    EXPECT_EQ(visible.json()["total"], 1);
  }
  // The admin search routes stay closed to annotators.
  EXPECT_EQ(annotator_->client.post(ds_path + "/records/search", sort_on("secret")).status, 403);

  // Made visible again, the property shows up for annotators.
  expect_status(
      owner_.patch("/api/v1/metadata-properties/" + secret_id, {{"visible_for_annotators", true}}),
      200, "make visible");
  EXPECT_EQ(annotator_->client.get("/api/v1/records/" + rid).json()["metadata"]["secret"], 7);
  EXPECT_EQ(
      annotator_->client.post("/api/v1/me/datasets/" + id + "/records/search", sort_on("secret"))
          .status,
      200);
}

}  // namespace
}  // namespace spanloop::testing
