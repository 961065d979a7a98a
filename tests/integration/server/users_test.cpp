// /api/v1/users and API keys over HTTP: owners manage users; others only themselves.
#include "server_suite.h"

namespace spanloop::testing {
namespace {

class UsersTest : public ServerSuite {};

TEST_F(UsersTest, OwnerCreatesListsReadsAndDeletesUsers) {
  auto c = owner();
  auto r = c.post("/api/v1/users", {{"username", "ada-l"},
                                    {"first_name", "Ada"},
                                    {"last_name", "Lovelace"},
                                    {"role", "admin"},
                                    {"password", "analytical"},
                                    {"unknown_key", 1}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto user = r.json();
  EXPECT_EQ(user["role"], "admin");
  EXPECT_EQ(user["last_name"], "Lovelace");
  EXPECT_FALSE(user.contains("password"));
  EXPECT_FALSE(user.contains("password_hash"));
  std::string id = user["id"];
  EXPECT_EQ(c.get("/api/v1/users/" + id).json()["username"], "ada-l");
  bool listed = false;
  auto users = c.get("/api/v1/users").json();
  for (const auto& u : users["items"]) listed = listed || u["id"] == id;
  EXPECT_TRUE(listed);
  auto patched = c.patch("/api/v1/users/" + id, {{"role", "annotator"}, {"first_name", "A."}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["role"], "annotator");
  EXPECT_EQ(patched.json()["first_name"], "A.");
  EXPECT_EQ(c.del("/api/v1/users/" + id).status, 200);
  EXPECT_EQ(c.get("/api/v1/users/" + id).status, 404);
  EXPECT_EQ(c.del("/api/v1/users/" + id).status, 404);
}

TEST_F(UsersTest, ValidationErrorsAre422AndDuplicates409) {
  auto c = owner();
  auto r = c.post("/api/v1/users", {{"username", "shorty"}, {"password", "short"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.error_message().find("password"), std::string::npos) << r.body;
  r = c.post("/api/v1/users", {{"username", "bad name!"}, {"password", "long-enough"}});
  EXPECT_EQ(r.status, 422) << r.body;
  r = c.post("/api/v1/users",
             {{"username", "roley"}, {"password", "long-enough"}, {"role", "superuser"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.error_message().find("superuser"), std::string::npos);
  r = c.post("/api/v1/users", {{"password", "long-enough"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.error_message().find("username"), std::string::npos);
  ASSERT_EQ(c.post("/api/v1/users", {{"username", "twin"}, {"password", "long-enough"}}).status,
            201);
  EXPECT_EQ(c.post("/api/v1/users", {{"username", "twin"}, {"password", "long-enough"}}).status,
            409);
}

TEST_F(UsersTest, AdminsAndAnnotatorsCannotManageUsers) {
  for (const char* role : {"admin", "annotator"}) {
    auto u = api().create_user(role);
    auto other = api().create_user("annotator");
    EXPECT_EQ(u.client.get("/api/v1/users").status, 403) << role;
    EXPECT_EQ(u.client
                  .post("/api/v1/users",
                        {{"username", ApiFixture::unique("x")}, {"password", "long-enough"}})
                  .status,
              403)
        << role;
    EXPECT_EQ(u.client.get("/api/v1/users/" + other.id).status, 403) << role;
    EXPECT_EQ(u.client.del("/api/v1/users/" + other.id).status, 403) << role;
    EXPECT_EQ(u.client.patch("/api/v1/users/" + other.id, {{"password", "hijacked!"}}).status, 403);
    EXPECT_EQ(u.client.post("/api/v1/users/" + other.id + "/api-keys", {}).status, 403);
    EXPECT_EQ(u.client.get("/api/v1/users/" + other.id + "/workspaces").status, 403);
    // Themselves: read, change password, but not promote.
    EXPECT_EQ(u.client.get("/api/v1/users/" + u.id).status, 200);
    EXPECT_EQ(u.client.patch("/api/v1/users/" + u.id, {{"role", "owner"}}).status, 403);
    EXPECT_EQ(u.client.get("/api/v1/me").json()["role"], role);
  }
}

TEST_F(UsersTest, ApiKeysAreIssuedOnceListedWithoutSecretAndRevocable) {
  auto u = api().create_user("annotator");
  auto r = u.client.post("/api/v1/users/" + u.id + "/api-keys", {{"name", "notebook"}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string key = r.json()["api_key"];
  std::string key_id = r.json()["id"];
  EXPECT_EQ(api().anonymous().with_api_key(key).get("/api/v1/me").json()["id"], u.id);
  auto list = u.client.get("/api/v1/users/" + u.id + "/api-keys");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["items"].size(), 2u);
  EXPECT_EQ(list.body.find(key), std::string::npos);  // only hashes are stored
  EXPECT_EQ(u.client.del("/api/v1/users/" + u.id + "/api-keys/" + key_id).status, 200);
  EXPECT_EQ(api().anonymous().with_api_key(key).get("/api/v1/me").status, 401);
  EXPECT_EQ(u.client.del("/api/v1/users/" + u.id + "/api-keys/" + key_id).status, 404);
}

TEST_F(UsersTest, TheLastOwnerStays) {
  auto me = owner().get("/api/v1/me").json();
  std::string id = me["id"];
  EXPECT_EQ(owner().del("/api/v1/users/" + id).status, 409);
  EXPECT_EQ(owner().patch("/api/v1/users/" + id, {{"role", "annotator"}}).status, 409);
  EXPECT_EQ(owner().get("/api/v1/me").json()["role"], "owner");
}

TEST_F(UsersTest, UserWorkspacesForOwnerView) {
  auto ws = api().create_workspace();
  auto u = api().create_user("annotator", ws["id"]);
  auto r = owner().get("/api/v1/users/" + u.id + "/workspaces");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json()["items"].size(), 1u);
  EXPECT_EQ(r.json()["items"][0]["id"], ws["id"]);
  EXPECT_EQ(owner().get("/api/v1/users/00000000-0000-0000-0000-000000000000/workspaces").status,
            404);
}

}  // namespace
}  // namespace spanloop::testing
