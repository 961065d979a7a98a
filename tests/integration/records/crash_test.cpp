// Crash safety: SIGKILL the server while bulk imports and concurrent submits are running,
// restart it on the same data directory, and find every acknowledged write and consistent
// counts.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "records_fixture.h"

namespace spanloop::testing {
namespace {

using nlohmann::json;

class CrashTest : public ::testing::Test {};

TEST_F(CrashTest, AcknowledgedWritesSurviveSigkill) {
  ServerProcess server;
  ApiFixture api(server);
  const std::string ws = api.create_workspace()["id"];
  auto ds = api.create_span_dataset(ws, {"Material", "Component"});
  const std::string id = ds["id"];
  std::vector<TestUser> annotators;
  for (int i = 0; i < 4; ++i) annotators.push_back(api.create_user("annotator", ws));
  HttpClient owner = api.owner();

  // Seed records the annotators can answer.
  json seed = json::array();
  for (int i = 0; i < 200; ++i)
    seed.push_back({{"external_id", "seed-" + std::to_string(i)},
                    {"fields", {{"text", "steel frame " + std::to_string(i)}}}});
  auto seeded =
      expect_status(owner.put("/api/v1/datasets/" + id + "/records/bulk", {{"items", seed}}), 200,
                    "seed")
          .json();
  std::vector<std::string> seed_ids;
  for (const auto& r : seeded["items"]) seed_ids.push_back(r["id"]);

  std::mutex mu;
  std::set<std::string> acked_external_ids;
  std::map<std::string, std::set<std::string>> acked_submits;  // user -> records
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c = api.owner();
      for (int batch = 0; !stop; ++batch) {
        json items = json::array();
        std::vector<std::string> ext;
        for (int i = 0; i < 100; ++i) {
          ext.push_back("w" + std::to_string(t) + "-" + std::to_string(batch) + "-" +
                        std::to_string(i));
          items.push_back({{"external_id", ext.back()},
                           {"fields", {{"text", "a claim about κ steel " + ext.back()}}}});
        }
        auto r = c.put("/api/v1/datasets/" + id + "/records/bulk", {{"items", items}});
        if (r.status != 200) break;  // the server is gone
        std::lock_guard lock(mu);
        acked_external_ids.insert(ext.begin(), ext.end());
      }
    });
  }
  for (std::size_t a = 0; a < annotators.size(); ++a) {
    threads.emplace_back([&, a] {
      const HttpClient& c = annotators[a].client;
      for (std::size_t i = a; !stop && i < seed_ids.size(); i += 1) {
        auto r = c.post(
            "/api/v1/records/" + seed_ids[i] + "/responses",
            {{"status", "submitted"},
             {"values",
              {{"spans", {{"value", {{{"label", "Material"}, {"start", 0}, {"end", 5}}}}}}}}});
        if (r.status == 0) break;
        if (r.status == 201) {
          std::lock_guard lock(mu);
          acked_submits[annotators[a].id].insert(seed_ids[i]);
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  server.stop(9);  // SIGKILL in the middle of the writes
  stop = true;
  for (auto& th : threads) th.join();
  ASSERT_FALSE(acked_external_ids.empty()) << "no bulk write was acknowledged before the kill";

  server.restart();
  HttpClient after = api.owner();
  std::set<std::string> found;
  std::map<std::string, json> by_id;
  std::string cursor;
  long completed = 0, total = 0;
  while (true) {
    auto page = after.get("/api/v1/datasets/" + id + "/records?include=responses&limit=1000" +
                          (cursor.empty() ? "" : "&cursor=" + url_encode(cursor)));
    ASSERT_EQ(page.status, 200) << page.body;
    auto j = page.json();
    for (const auto& r : j["items"]) {
      ++total;
      if (r["external_id"].is_string()) found.insert(r["external_id"]);
      int submitted = 0;
      for (const auto& resp : r["responses"]) submitted += resp["status"] == "submitted";
      // Status matches the responses (min_submitted = 1).
      EXPECT_EQ(r["status"], submitted >= 1 ? "completed" : "pending") << r.dump();
      completed += r["status"] == "completed";
      by_id[r["id"]] = r;
    }
    if (!j.contains("next_cursor")) break;
    cursor = j["next_cursor"];
  }
  for (const auto& ext : acked_external_ids) EXPECT_TRUE(found.count(ext)) << "lost record " << ext;
  for (const auto& [user, records] : acked_submits)
    for (const auto& rid : records) {
      bool present = false;
      for (const auto& resp : by_id[rid]["responses"]) present = present || resp["user_id"] == user;
      EXPECT_TRUE(present) << "lost response of " << user << " on " << rid;
    }
  auto progress = after.get("/api/v1/datasets/" + id + "/progress").json();
  EXPECT_EQ(progress["total"], total);
  EXPECT_EQ(progress["completed"], completed);
  EXPECT_EQ(progress["pending"], total - completed);
  // And the server still takes writes.
  EXPECT_EQ(after
                .put("/api/v1/datasets/" + id + "/records/bulk",
                     {{"items", {{{"external_id", "after"}, {"fields", {{"text", "x"}}}}}}})
                .status,
            200);
}

}  // namespace
}  // namespace spanloop::testing
