// Workspaces and memberships over HTTP; isolation between workspaces.
#include "server_suite.h"

namespace spanloop::testing {
namespace {

class WorkspacesTest : public ServerSuite {};

std::vector<std::string> ids(const HttpResult& r) {
  std::vector<std::string> out;
  auto body = r.json();  // keep the document alive while iterating
  for (const auto& item : body["items"]) out.push_back(item["id"]);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_F(WorkspacesTest, OwnerCreatesReadsDeletes) {
  auto c = owner();
  auto r = c.post("/api/v1/workspaces", {{"name", "patents-a"}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id = r.json()["id"];
  EXPECT_EQ(c.post("/api/v1/workspaces", {{"name", "patents-a"}}).status, 409);
  EXPECT_EQ(c.post("/api/v1/workspaces", {{"name", ""}}).status, 422);
  EXPECT_EQ(c.get("/api/v1/workspaces/" + id).json()["name"], "patents-a");
  EXPECT_TRUE(contains(ids(c.get("/api/v1/me/workspaces")), id));  // owners see all
  EXPECT_TRUE(contains(ids(c.get("/api/v1/workspaces")), id));
  EXPECT_EQ(c.del("/api/v1/workspaces/" + id).status, 200);
  EXPECT_EQ(c.get("/api/v1/workspaces/" + id).status, 404);
}

TEST_F(WorkspacesTest, WorkspaceWithDatasetsCannotBeDeleted) {
  auto ws = api().create_workspace();
  api().create_span_dataset(ws["id"]);
  auto r = owner().del("/api/v1/workspaces/" + ws["id"].get<std::string>());
  EXPECT_EQ(r.status, 409) << r.body;
}

TEST_F(WorkspacesTest, MembersSeeOnlyTheirWorkspaces) {
  auto a = api().create_workspace();
  auto b = api().create_workspace();
  std::string a_id = a["id"], b_id = b["id"];
  auto annotator = api().create_user("annotator", a_id);
  auto mine = ids(annotator.client.get("/api/v1/me/workspaces"));
  EXPECT_EQ(mine, std::vector<std::string>{a_id});
  EXPECT_EQ(annotator.client.get("/api/v1/workspaces/" + a_id).status, 200);
  EXPECT_EQ(annotator.client.get("/api/v1/workspaces/" + b_id).status, 403);
  EXPECT_EQ(annotator.client.get("/api/v1/workspaces/00000000-0000-0000-0000-000000000000").status,
            404);
  EXPECT_EQ(annotator.client.get("/api/v1/workspaces").status, 403);
  EXPECT_EQ(annotator.client.post("/api/v1/workspaces", {{"name", "mine"}}).status, 403);
  EXPECT_EQ(annotator.client.del("/api/v1/workspaces/" + a_id).status, 403);
}

TEST_F(WorkspacesTest, MembershipRolesFollowTheReference) {
  auto ws = api().create_workspace();
  std::string id = ws["id"];
  auto admin = api().create_user("admin", id);
  auto outsider_admin = api().create_user("admin");
  auto annotator = api().create_user("annotator", id);
  auto extra = api().create_user("annotator");

  // Owner and member admins list members; annotators and other admins cannot.
  auto members = owner().get("/api/v1/workspaces/" + id + "/users");
  ASSERT_EQ(members.status, 200);
  EXPECT_TRUE(contains(ids(members), admin.id));
  EXPECT_TRUE(contains(ids(members), annotator.id));
  EXPECT_EQ(admin.client.get("/api/v1/workspaces/" + id + "/users").status, 200);
  EXPECT_EQ(annotator.client.get("/api/v1/workspaces/" + id + "/users").status, 403);
  EXPECT_EQ(outsider_admin.client.get("/api/v1/workspaces/" + id + "/users").status, 403);

  // Only owners add members.
  EXPECT_EQ(
      admin.client.post("/api/v1/workspaces/" + id + "/users", {{"user_id", extra.id}}).status,
      403);
  auto added = owner().post("/api/v1/workspaces/" + id + "/users", {{"user_id", extra.id}});
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()["id"], extra.id);
  EXPECT_EQ(owner().post("/api/v1/workspaces/" + id + "/users", {{"user_id", extra.id}}).status,
            409);
  EXPECT_EQ(owner()
                .post("/api/v1/workspaces/" + id + "/users",
                      {{"user_id", "00000000-0000-0000-0000-000000000000"}})
                .status,
            404);

  // Owners and member admins remove members.
  EXPECT_EQ(annotator.client.del("/api/v1/workspaces/" + id + "/users/" + extra.id).status, 403);
  EXPECT_EQ(admin.client.del("/api/v1/workspaces/" + id + "/users/" + extra.id).status, 200);
  EXPECT_EQ(admin.client.del("/api/v1/workspaces/" + id + "/users/" + extra.id).status, 404);
  EXPECT_EQ(extra.client.get("/api/v1/workspaces/" + id).status, 403);
}

}  // namespace
}  // namespace spanloop::testing
