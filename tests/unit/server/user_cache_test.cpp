// The credential -> user cache: its own rules, and that every change of a user or API key made
// through the server (or its store) takes effect on the very next request.
#include "server/user_cache.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "server/accounts.h"
#include "server/app.h"
#include "store/store.h"
#include "support/test_support.h"

namespace spanloop::server {
namespace {

using Clock = UserCache::Clock;
using namespace std::chrono_literals;

store::User user_named(const std::string& name) {
  store::User u;
  u.id = "id-" + name;
  u.username = name;
  return u;
}

TEST(UserCacheTest, HitsOnlyWithinTheGenerationAndTheLifetime) {
  UserCache cache(1000ms);
  const auto t0 = Clock::now();
  EXPECT_FALSE(cache.find("k:a", 1, t0));
  cache.put("k:a", user_named("a"), 1, t0);
  ASSERT_TRUE(cache.find("k:a", 1, t0 + 999ms));
  EXPECT_EQ(cache.find("k:a", 1, t0 + 999ms)->username, "a");
  EXPECT_FALSE(cache.find("k:b", 1, t0));
  // Another generation (a user or key changed): gone, and stays gone.
  EXPECT_FALSE(cache.find("k:a", 2, t0));
  EXPECT_FALSE(cache.find("k:a", 1, t0));
  cache.put("k:a", user_named("a"), 2, t0);
  EXPECT_FALSE(cache.find("k:a", 2, t0 + 1000ms));  // expired
  EXPECT_EQ(cache.size(), 0u);
}

TEST(UserCacheTest, ZeroLifetimeDisablesAndSizeIsBounded) {
  UserCache off(0ms);
  off.put("k:a", user_named("a"), 1);
  EXPECT_FALSE(off.find("k:a", 1));
  UserCache small(1000ms, 3);
  for (int i = 0; i < 10; ++i) small.put("k:" + std::to_string(i), user_named("u"), 1);
  EXPECT_LE(small.size(), 3u);
  EXPECT_TRUE(small.find("k:9", 1));
}

// The App with its cache on, and a second store on the same database for changes made by
// another process.
class AuthCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store(store::sqlite_url_for_data_dir(dir_.path().string()));
    accounts::OwnerSetup owner;
    owner.password = "owner-password";
    owner.api_key = "owner-key-12345";
    accounts::ensure_owner(*store_, owner);
    accounts::NewUser u;
    u.username = "ann";
    u.password = "ann-password-1";
    user_ = accounts::create_user(*store_, u);
    key_ = accounts::issue_api_key(*store_, user_.id, "k", "ann-key-123456").key;
    ServerConfig config;
    config.auth_secret = "unit-test-secret-unit-test-secret";
    config.auth_cache_ttl = std::chrono::hours(1);  // only invalidation can drop an entry
    app_ = std::make_unique<App>(*store_, config);
  }

  HttpResponse call(const std::string& method, const std::string& path,
                    const std::string& credential, const std::string& body = "",
                    bool bearer = false) {
    HttpRequest req;
    req.method = method;
    req.path = path;
    req.body = body;
    if (bearer)
      req.headers["authorization"] = "Bearer " + credential;
    else
      req.headers["x-argilla-api-key"] = credential;
    if (!body.empty()) req.headers["content-type"] = "application/json";
    return app_->handle(req);
  }
  std::string me_role(const std::string& credential, bool bearer = false) {
    auto r = call("GET", "/api/v1/me", credential, "", bearer);
    if (r.status != 200) return std::to_string(r.status);
    return nlohmann::json::parse(r.body)["role"].get<std::string>();
  }
  std::string login(const std::string& password) {
    HttpRequest req;
    req.method = "POST";
    req.path = "/api/v1/token";
    req.headers["content-type"] = "application/x-www-form-urlencoded";
    req.body = "username=ann&password=" + password;
    auto r = app_->handle(req);
    if (r.status != 201) return "";
    return nlohmann::json::parse(r.body)["access_token"].get<std::string>();
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<App> app_;
  store::User user_;
  store::ApiKey key_;
};

TEST_F(AuthCacheTest, RoleChangeAppliesToTheNextRequest) {
  const std::string token = login("ann-password-1");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(me_role("ann-key-123456"), "annotator");
  EXPECT_EQ(me_role(token, true), "annotator");
  auto r = call("PATCH", "/api/v1/users/" + user_.id, "owner-key-12345", R"({"role": "admin"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(me_role("ann-key-123456"), "admin");
  EXPECT_EQ(me_role(token, true), "admin");
}

TEST_F(AuthCacheTest, DeletedKeyIsRefusedAtOnce) {
  EXPECT_EQ(me_role("ann-key-123456"), "annotator");
  auto r = call("DELETE", "/api/v1/users/" + user_.id + "/api-keys/" + key_.id, "owner-key-12345");
  ASSERT_LT(r.status, 300) << r.body;
  EXPECT_EQ(me_role("ann-key-123456"), "401");
  EXPECT_EQ(me_role("ann-key-123456", true), "401");
}

TEST_F(AuthCacheTest, PasswordChangeEndsLoginTokensAtOnce) {
  const std::string token = login("ann-password-1");
  EXPECT_EQ(me_role(token, true), "annotator");
  auto r = call("PATCH", "/api/v1/users/" + user_.id, "ann-key-123456",
                R"({"password": "ann-password-2"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(me_role(token, true), "401");
  EXPECT_EQ(me_role(login("ann-password-2"), true), "annotator");
}

TEST_F(AuthCacheTest, DeletedUserIsRefusedAtOnce) {
  const std::string token = login("ann-password-1");
  EXPECT_EQ(me_role("ann-key-123456"), "annotator");
  EXPECT_EQ(me_role(token, true), "annotator");
  auto r = call("DELETE", "/api/v1/users/" + user_.id, "owner-key-12345");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(me_role("ann-key-123456"), "401");
  EXPECT_EQ(me_role(token, true), "401");
}

TEST_F(AuthCacheTest, ChangesThroughTheStoreOutsideTheApiApplyAtOnce) {
  // The offline CLI's code path (accounts::...) on the server's own store.
  EXPECT_EQ(me_role("ann-key-123456"), "annotator");
  accounts::set_role(*store_, user_.id, store::Role::kAdmin);
  EXPECT_EQ(me_role("ann-key-123456"), "admin");
  accounts::delete_user(*store_, user_.id);
  EXPECT_EQ(me_role("ann-key-123456"), "401");
}

TEST(AuthCacheLifetimeTest, ChangesByAnotherProcessApplyAfterTheLifetime) {
  testing::TempDir dir;
  const std::string url = store::sqlite_url_for_data_dir(dir.path().string());
  auto store = store::open_store(url);
  accounts::OwnerSetup owner;
  owner.password = "owner-password";
  owner.api_key = "owner-key-12345";
  accounts::ensure_owner(*store, owner);
  ServerConfig config;
  config.auth_secret = "unit-test-secret-unit-test-secret";
  config.auth_cache_ttl = 50ms;
  App app(*store, config);
  HttpRequest req;
  req.method = "GET";
  req.path = "/api/v1/me";
  req.headers["x-argilla-api-key"] = "owner-key-12345";
  ASSERT_EQ(app.handle(req).status, 200);
  // Another process (a second store on the same file) deletes the key.
  auto other = store::open_store(url);
  const auto owner_user = *other->get_user_by_username("owner");
  for (const auto& k : other->list_api_keys(owner_user.id)) other->delete_api_key(k.id);
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(app.handle(req).status, 401);
}

}  // namespace
}  // namespace spanloop::server
