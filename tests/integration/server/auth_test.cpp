// Authentication over HTTP: API keys (both headers), login tokens, throttling, public routes.
#include "server_suite.h"

namespace spanloop::testing {
namespace {

class AuthTest : public ServerSuite {};

std::string form(const std::string& user, const std::string& password) {
  return "username=" + url_encode(user) + "&password=" + url_encode(password);
}

HttpResult login(const HttpClient& c, const std::string& user, const std::string& password) {
  return c.request("POST", "/api/v1/token", form(user, password),
                   "application/x-www-form-urlencoded");
}

TEST_F(AuthTest, StatusAndVersionArePublic) {
  auto anon = api().anonymous();
  auto r = anon.get("/api/v1/status");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["status"], "ok");
  EXPECT_EQ(r.json()["store"]["engine"], "sqlite");
  EXPECT_EQ(anon.get("/api/v1/version").status, 200);
}

TEST_F(AuthTest, EveryOtherRouteNeedsCredentials) {
  auto anon = api().anonymous();
  for (const char* path : {"/api/v1/me", "/api/me", "/api/v1/users", "/api/v1/me/workspaces",
                           "/api/v1/me/datasets", "/api/v1/workspaces"}) {
    auto r = anon.get(path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.json()["detail"]["code"], "unauthenticated") << path;
    EXPECT_EQ(r.header("www-authenticate"), "Bearer");
  }
  EXPECT_EQ(anon.post("/api/v1/workspaces", {{"name", "x"}}).status, 401);
}

TEST_F(AuthTest, ApiKeyWorksInBothHeaders) {
  auto me = owner().get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["username"], "owner");
  EXPECT_EQ(me.json()["role"], "owner");
  auto bearer = api().anonymous().with_bearer(ServerProcess::kOwnerApiKey).get("/api/v1/me");
  EXPECT_EQ(bearer.status, 200) << bearer.body;
  EXPECT_EQ(api().anonymous().with_api_key("nope-nope-nope").get("/api/v1/me").status, 401);
  EXPECT_EQ(api().anonymous().with_bearer("nope.nope.nope").get("/api/v1/me").status, 401);
  auto basic = api().anonymous().request("GET", "/api/v1/me", "", "",
                                         {{"Authorization", "Basic b3duZXI6eA=="}});
  EXPECT_EQ(basic.status, 401);
  EXPECT_NE(basic.error_message().find("Bearer"), std::string::npos);
}

TEST_F(AuthTest, LegacyWhoAmIListsWorkspaces) {
  auto ws = api().create_workspace();
  auto user = api().create_user("annotator", ws["id"]);
  auto r = user.client.get("/api/me");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["username"], user.username);
  EXPECT_EQ(r.json()["workspaces"], nlohmann::json::array({ws["name"]}));
}

TEST_F(AuthTest, LoginIssuesABearerTokenForTheUi) {
  auto user = api().create_user("annotator");
  auto r = login(api().anonymous(), user.username, user.password);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["token_type"], "bearer");
  std::string token = r.json()["access_token"];
  auto me = api().anonymous().with_bearer(token).get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["id"], user.id);
  // JSON logins work too.
  auto j = api().anonymous().post("/api/v1/token",
                                  {{"username", user.username}, {"password", user.password}});
  EXPECT_EQ(j.status, 201) << j.body;
  // A changed password ends the old tokens.
  ASSERT_EQ(user.client.patch("/api/v1/users/" + user.id, {{"password", "a-new-password"}}).status,
            200);
  EXPECT_EQ(api().anonymous().with_bearer(token).get("/api/v1/me").status, 401);
  EXPECT_EQ(login(api().anonymous(), user.username, "a-new-password").status, 201);
}

TEST_F(AuthTest, WrongPasswordsAre401AndThrottled) {
  auto user = api().create_user("annotator");
  auto anon = api().anonymous();
  auto r = login(anon, user.username, "wrong-password");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(login(anon, "no-such-user", "whatever-pw").status, 401);
  EXPECT_EQ(login(anon, "", "").status, 422);
  for (int i = 0; i < 4; ++i) login(anon, user.username, "wrong-password");
  auto locked = login(anon, user.username, user.password);  // even the right password
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_FALSE(locked.header("retry-after").empty());
  // API keys still work while the password login is locked.
  EXPECT_EQ(user.client.get("/api/v1/me").status, 200);
}

}  // namespace
}  // namespace spanloop::testing
