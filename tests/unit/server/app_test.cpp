// The request pipeline without sockets: App::handle on a temporary SQLite store.
#include "server/app.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/accounts.h"
#include "server/demo.h"
#include "server/errors.h"
#include "store/store.h"
#include "support/test_support.h"
#include "text/utf8.h"

namespace spanloop::server {
namespace {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store(store::sqlite_url_for_data_dir(dir_.path().string()));
    accounts::OwnerSetup owner;
    owner.password = "owner-password";
    owner.api_key = "owner-key-12345";
    accounts::ensure_owner(*store_, owner);
    ServerConfig config;
    config.auth_secret = "unit-test-secret-unit-test-secret";
    app_ = std::make_unique<App>(*store_, config);
  }

  HttpResponse call(std::string method, std::string path, std::string body = "",
                    std::string api_key = "owner-key-12345") {
    HttpRequest req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.body = std::move(body);
    if (!api_key.empty()) req.headers["x-argilla-api-key"] = api_key;
    return app_->handle(req);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<App> app_;
};

nlohmann::json body(const HttpResponse& r) {
  return nlohmann::json::parse(r.body);
}

TEST_F(AppTest, StatusIsPublicAndMeNeedsCredentials) {
  auto status = call("GET", "/api/v1/status", "", "");
  EXPECT_EQ(status.status, 200);
  EXPECT_EQ(body(status)["status"], "ok");
  auto anon = call("GET", "/api/v1/me", "", "");
  EXPECT_EQ(anon.status, 401);
  EXPECT_EQ(body(anon)["detail"]["code"], "unauthenticated");
  auto me = call("GET", "/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(body(me)["role"], "owner");
  EXPECT_EQ(call("GET", "/api/v1/me", "", "wrong-key").status, 401);
}

TEST_F(AppTest, EveryResponseCarriesARequestId) {
  auto r = call("GET", "/api/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  bool found = false;
  for (const auto& [k, v] : r.headers) found = found || (k == "X-Request-Id" && !v.empty());
  EXPECT_TRUE(found);
}

TEST_F(AppTest, MalformedJsonIsA422NamingThePosition) {
  auto r = call("POST", "/api/v1/workspaces", "{\"name\": ");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(body(r)["detail"]["message"].get<std::string>().find("malformed JSON"),
            std::string::npos);
  r = call("POST", "/api/v1/workspaces", "[1,2]");
  EXPECT_EQ(r.status, 422);
  r = call("POST", "/api/v1/workspaces", "{}");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("missing required key `name`"), std::string::npos) << r.body;
}

TEST(ErrorsTest, InternalErrorsNeverReachTheClient) {
  auto r = exception_response(
      std::make_exception_ptr(Error(ErrorKind::kInternal, "SELECT secret FROM users")), "req-9");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("SELECT"), std::string::npos);
  EXPECT_NE(r.body.find("req-9"), std::string::npos);
  r = exception_response(std::make_exception_ptr(std::runtime_error("boom at 0xdead")), "req-10");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("0xdead"), std::string::npos);
  r = exception_response(std::make_exception_ptr(Error(ErrorKind::kConflict, "dup")), "x");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(nlohmann::json::parse(r.body)["detail"]["message"], "dup");
}

TEST_F(AppTest, DemoSeedingIsIdempotentWithCodePointSuggestions) {
  auto first = seed_demo(*store_);
  auto second = seed_demo(*store_);
  EXPECT_EQ(first.records, 20);
  EXPECT_EQ(second.records, 20);
  EXPECT_EQ(first.dataset_id, second.dataset_id);
  auto dataset = store_->get_dataset(first.dataset_id);
  ASSERT_TRUE(dataset);
  EXPECT_EQ(dataset->status, store::DatasetStatus::kReady);
  // Claim 3 has "1350 °C": its suggested Value span must cover exactly that text.
  store::SearchQuery q;
  q.dataset_id = first.dataset_id;
  q.include.suggestions = true;
  q.limit = 50;
  auto result = store_->search(q);
  ASSERT_EQ(result.items.size(), 20u);
  bool checked = false;
  for (const auto& item : result.items) {
    const auto& rec = item.record;
    if (rec.external_id != "claim-003") continue;
    ASSERT_TRUE(rec.suggestions);
    ASSERT_EQ(rec.suggestions->size(), 1u);
    const auto& spans = std::get<std::vector<store::SpanValue>>(rec.suggestions->front().value);
    auto cps = text::to_u32(rec.fields.at("text"));
    for (const auto& s : spans) {
      if (s.label != "Value") continue;
      auto piece = text::to_utf8(cps.substr(s.start, s.end - s.start));
      if (piece == "1350 °C") checked = true;
    }
  }
  EXPECT_TRUE(checked);
  auto annotator = store_->get_user_by_username("annotator");
  ASSERT_TRUE(annotator);
  EXPECT_TRUE(store_->is_workspace_member(dataset->workspace_id, annotator->id));
}

}  // namespace
}  // namespace spanloop::server
