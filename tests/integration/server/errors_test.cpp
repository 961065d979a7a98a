// Error classes over HTTP: JSON bodies with the right status for bad JSON, unknown routes,
// wrong methods, oversized bodies.
#include <fstream>

#include "server_suite.h"

namespace spanloop::testing {
namespace {

class ErrorsTest : public ServerSuite {};

void expect_error_shape(const HttpResult& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type").rfind("application/json", 0), 0u) << r.header("content-type");
  auto j = r.json();
  ASSERT_TRUE(j.is_object()) << r.body;
  EXPECT_EQ(j["detail"]["code"], code) << r.body;
  EXPECT_TRUE(j["detail"]["message"].is_string());
  EXPECT_FALSE(r.header("x-request-id").empty());
}

TEST_F(ErrorsTest, MalformedJsonIs422) {
  auto c = owner();
  auto r = c.request("POST", "/api/v1/workspaces", "{\"name\": \"x\"", "application/json");
  expect_error_shape(r, 422, "invalid_argument");
  EXPECT_NE(r.error_message().find("malformed JSON"), std::string::npos);
  expect_error_shape(c.request("POST", "/api/v1/workspaces", "", "application/json"), 422,
                     "invalid_argument");
  expect_error_shape(
      c.request("POST", "/api/v1/workspaces", "\"just a string\"", "application/json"), 422,
      "invalid_argument");
  auto wrong_type = c.post("/api/v1/workspaces", {{"name", 42}});
  expect_error_shape(wrong_type, 422, "invalid_argument");
  EXPECT_NE(wrong_type.error_message().find("`name` must be a string"), std::string::npos);
}

TEST_F(ErrorsTest, UnknownRoutesAndMethods) {
  auto c = owner();
  expect_error_shape(c.get("/api/v1/no-such-thing"), 404, "not_found");
  expect_error_shape(c.del("/api/v1/me"), 405, "method_not_allowed");
  expect_error_shape(c.get("/api/v1/datasets/not-a-uuid"), 404, "not_found");
}

TEST_F(ErrorsTest, ForbiddenAndConflictBodies) {
  auto u = api().create_user("annotator");
  expect_error_shape(u.client.get("/api/v1/users"), 403, "permission_denied");
  auto ws = api().create_workspace();
  expect_error_shape(owner().post("/api/v1/workspaces", {{"name", ws["name"]}}), 409, "conflict");
}

TEST(ServerLimitsTest, HugeBodiesAreRefusedWith413) {
  ServerOptions o;
  o.extra_args = {"--max-body-mb", "1"};
  ServerProcess server(o);
  std::string big = "{\"name\": \"" + std::string(2u << 20, 'a') + "\"}";
  auto r = server.client().request("POST", "/api/v1/workspaces", big, "application/json");
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
  EXPECT_EQ(r.json()["detail"]["code"], "payload_too_large");
  // The server keeps serving.
  EXPECT_EQ(server.client().get("/api/v1/me").status, 200);
}

TEST(ServerLimitsTest, BadConfigurationFailsAtStart) {
  ServerOptions o;
  o.extra_args = {"--demo", "--host", "0.0.0.0"};
  try {
    ServerProcess server(o);
    ADD_FAILURE() << "--demo on a public address must be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("loopback"), std::string::npos) << e.what();
  }
}

TEST(ServerRestartTest, TokensAndDataSurviveARestart) {
  ServerProcess server;
  auto r = server.client("").request(
      "POST", "/api/v1/token",
      std::string("username=owner&password=") + ServerProcess::kOwnerPassword,
      "application/x-www-form-urlencoded");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string token = r.json()["access_token"];
  ASSERT_EQ(server.client().post("/api/v1/workspaces", {{"name", "kept"}}).status, 201);
  server.stop(9);  // a crash
  server.restart();
  EXPECT_EQ(server.client("").with_bearer(token).get("/api/v1/me").status, 200);
  auto list = server.client().get("/api/v1/me/workspaces").json()["items"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "kept");
  // The owner is created once; printed secrets are not printed again.
  EXPECT_EQ(server.output().find("created owner"), std::string::npos);
}

}  // namespace
}  // namespace spanloop::testing
