// The same server on PostgreSQL (skipped unless SPANLOOP_TEST_PG_URL names a server, e.g. from
// scripts/start-postgres.sh): auth, workspaces, datasets and roles work as on SQLite.
#include <unistd.h>

#include <cstdlib>

#include "server_suite.h"

namespace spanloop::testing {
namespace {

TEST(PostgresServerTest, AccountsAndDatasetsOnPostgres) {
  const char* url = std::getenv("SPANLOOP_TEST_PG_URL");
  if (!url || !*url) GTEST_SKIP() << "SPANLOOP_TEST_PG_URL not set";
  std::string base = url;
  std::string schema = "srv_it_" + std::to_string(::getpid());
  ServerOptions o;
  o.database = base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
  ServerProcess server(o);
  EXPECT_EQ(server.client().get("/api/v1/status").json()["store"]["engine"], "postgresql");
  ApiFixture api(server);
  auto ws = api.create_workspace();
  auto annotator = api.create_user("annotator", ws["id"]);
  auto outsider = api.create_user("annotator");
  auto d = api.create_span_dataset(ws["id"]);
  std::string path = "/api/v1/datasets/" + d["id"].get<std::string>();
  EXPECT_EQ(annotator.client.get(path).status, 200);
  EXPECT_EQ(outsider.client.get(path).status, 403);
  EXPECT_EQ(annotator.client.del(path).status, 403);
  auto login = server.client("").request(
      "POST", "/api/v1/token", "username=" + annotator.username + "&password=" + annotator.password,
      "application/x-www-form-urlencoded");
  EXPECT_EQ(login.status, 201) << login.body;
  EXPECT_EQ(server.client().del(path).status, 200);
}

}  // namespace
}  // namespace spanloop::testing
