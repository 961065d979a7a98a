// The UI's queue queries (RecordRepository.ts): /me search per status tab with
// include=responses&include=suggestions, the per-user shuffled order, metrics, cursors.
#include <set>

#include "records_fixture.h"

namespace spanloop::testing {
namespace {

using nlohmann::json;

json tab(const std::string& status, bool pending_records) {
  json filters = json::array();
  filters.push_back({{"type", "terms"},
                     {"scope", {{"entity", "response"}, {"property", "status"}}},
                     {"values", {status}}});
  if (pending_records)
    filters.push_back({{"type", "terms"},
                       {"scope", {{"entity", "record"}, {"property", "status"}}},
                       {"values", {"pending"}}});
  return {{"filters", {{"and", filters}}}};
}

std::vector<std::string> ids_of(const json& page) {
  std::vector<std::string> out;
  for (const auto& item : page["items"]) out.push_back(item["record"]["id"]);
  return out;
}

TEST_F(RecordsApiTest, UiQueueTabsOrderAndMetrics) {
  auto ds = new_dataset();
  const std::string id = ds["id"];
  std::vector<std::string> texts;
  for (int i = 0; i < 30; ++i) texts.push_back("claim number " + std::to_string(i) + " with steel");
  log_records(id, texts);
  const std::string queue =
      "/api/v1/me/datasets/" + id +
      "/records/search?include=responses&include=suggestions&offset=0&limit=10";

  auto p1 = annotator_->client.post(queue, tab("pending", true));
  ASSERT_EQ(p1.status, 200) << p1.body;
  auto page1 = p1.json();
  EXPECT_EQ(page1["total"], 30);
  ASSERT_EQ(page1["items"].size(), 10u);
  EXPECT_TRUE(page1["items"][0]["record"]["responses"].empty());
  EXPECT_TRUE(page1["items"][0]["record"]["suggestions"].is_array());
  // Deterministic per user, different between users.
  EXPECT_EQ(ids_of(annotator_->client.post(queue, tab("pending", true)).json()), ids_of(page1));
  EXPECT_NE(ids_of(annotator2_->client.post(queue, tab("pending", true)).json()), ids_of(page1));

  // Submit the first, draft the second, discard the third.
  const auto ids = ids_of(page1);
  expect_status(annotator_->client.post(
                    "/api/v1/records/" + ids[0] + "/responses",
                    {{"status", "submitted"}, {"values", span_values({span("Material", 0, 5)})}}),
                201, "submit");
  expect_status(
      annotator_->client.post("/api/v1/records/" + ids[1] + "/responses",
                              {{"status", "draft"}, {"values", span_values(json::array())}}),
      201, "draft");
  expect_status(annotator_->client.post("/api/v1/records/" + ids[2] + "/responses",
                                        {{"status", "discarded"}}),
                201, "discard");

  auto pending = annotator_->client.post(queue, tab("pending", true)).json();
  EXPECT_EQ(pending["total"], 27);
  for (const auto& rid : ids_of(pending))
    EXPECT_TRUE(rid != ids[0] && rid != ids[1] && rid != ids[2]);
  EXPECT_EQ(annotator_->client.post(queue, tab("submitted", false)).json()["total"], 1);
  auto drafts = annotator_->client.post(queue, tab("draft", false)).json();
  ASSERT_EQ(drafts["total"], 1);
  EXPECT_EQ(drafts["items"][0]["record"]["responses"][0]["status"], "draft");
  EXPECT_EQ(annotator_->client.post(queue, tab("discarded", false)).json()["total"], 1);
  // min_submitted = 1: the submitted record left the other annotator's pending queue too.
  EXPECT_EQ(annotator2_->client.post(queue, tab("pending", true)).json()["total"], 29);

  auto metrics = annotator_->client.get("/api/v1/me/datasets/" + id + "/metrics").json();
  EXPECT_EQ(metrics["responses"]["submitted"], 1);
  EXPECT_EQ(metrics["responses"]["draft"], 1);
  EXPECT_EQ(metrics["responses"]["discarded"], 1);
  EXPECT_EQ(metrics["responses"]["pending"], 27);
  EXPECT_EQ(metrics["responses"]["total"], 30);

  // Text search in the queue and cursor paging through the whole admin listing.
  json text_query = tab("pending", true);
  text_query["query"] = {{"text", {{"q", "\"number 7\""}}}};
  EXPECT_EQ(annotator2_->client.post(queue, text_query).json()["total"], 1);
  std::set<std::string> seen;
  std::string cursor;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = owner_
                    .get("/api/v1/datasets/" + id + "/records?limit=7" +
                         (cursor.empty() ? "" : "&cursor=" + url_encode(cursor)))
                    .json();
    for (const auto& r : page["items"]) seen.insert(r["id"]);
    if (!page.contains("next_cursor")) break;
    cursor = page["next_cursor"];
  }
  EXPECT_EQ(seen.size(), 30u);
}

}  // namespace
}  // namespace spanloop::testing
