// The offline CLI (`spanloop user`, `spanloop workspace`) on a data directory, then the server
// on the same directory sees the result; `serve --demo` seeds the demo dataset.
#include <memory>

#include "server_suite.h"
#include "support/cli_run.h"

namespace spanloop::testing {
namespace {

// Output of the offline commands, stderr included (errors are asserted on).
CliRun run_cli(const std::string& args) {
  return run_spanloop(args, {.merge_stderr = true});
}

TEST(CliTest, UserAndWorkspaceCommandsShareTheServersRules) {
  TempDir dir;
  std::string dd = " --data-dir " + (dir.path() / "data").string();
  auto r = run_cli("workspace create claims" + dd);
  ASSERT_EQ(r.code, 0) << r.out;
  r = run_cli("user create ann --role annotator --password ann-password --workspace claims" + dd);
  ASSERT_EQ(r.code, 0) << r.out;
  r = run_cli("user create bad --password short" + dd);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("between 8 and 100"), std::string::npos) << r.out;
  r = run_cli("user create ann --password ann-password" + dd);
  EXPECT_NE(r.code, 0);
  r = run_cli("user create gen --role admin" + dd);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("password: "), std::string::npos);
  r = run_cli("user list" + dd);
  EXPECT_NE(r.out.find("ann"), std::string::npos);
  EXPECT_NE(r.out.find("annotator"), std::string::npos);
  r = run_cli("user api-key ann --name notebook" + dd);
  ASSERT_EQ(r.code, 0) << r.out;
  std::string key = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(key.rfind("sl_", 0), 0u) << r.out;
  r = run_cli("user set-password gen --password gen-password-2" + dd);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(run_cli("user delete nobody" + dd).code, 0);
  EXPECT_NE(run_cli("workspace add-user claims nobody" + dd).code, 0);

  // The server started on that directory: the CLI's users, keys and memberships are live.
  ServerOptions o;
  o.extra_args = {"--data-dir", (dir.path() / "data").string()};
  ServerProcess server(o);
  auto me = server.client(key).get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["username"], "ann");
  auto ws = server.client(key).get("/api/v1/me/workspaces").json()["items"];
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0]["name"], "claims");
  auto login =
      server.client("").request("POST", "/api/v1/token", "username=gen&password=gen-password-2",
                                "application/x-www-form-urlencoded");
  EXPECT_EQ(login.status, 201) << login.body;

  server.stop();
  EXPECT_EQ(run_cli("workspace remove-user claims ann" + dd).code, 0);
  EXPECT_NE(run_cli("workspace remove-user claims ann" + dd).code, 0);
  EXPECT_EQ(run_cli("workspace delete claims" + dd).code, 0);
  r = run_cli("workspace list" + dd);
  EXPECT_EQ(r.out.find("claims"), std::string::npos) << r.out;
  EXPECT_EQ(run_cli("user delete ann" + dd).code, 0);
}

TEST(CliTest, ServeDemoSeedsThePatentClaimsDataset) {
  ServerOptions o;
  o.extra_args = {"--demo"};
  o.env = {{"SPANLOOP_OWNER_PASSWORD", ""}};
  ServerProcess server(o);
  auto datasets = server.client().get("/api/v1/me/datasets?name=patent-claims").json()["items"];
  ASSERT_EQ(datasets.size(), 1u);
  EXPECT_EQ(datasets[0]["status"], "ready");
  std::string id = datasets[0]["id"];
  auto questions = server.client().get("/api/v1/datasets/" + id + "/questions").json()["items"];
  ASSERT_EQ(questions.size(), 1u);
  std::vector<std::string> labels;
  for (const auto& o : questions[0]["settings"]["options"]) labels.push_back(o["value"]);
  EXPECT_EQ(labels,
            (std::vector<std::string>{"Material", "Component", "Process", "Property", "Value"}));
  // The demo annotator logs in with the printed password and sees the dataset.
  auto login = server.client("").request("POST", "/api/v1/token",
                                         "username=annotator&password=annotate-demo",
                                         "application/x-www-form-urlencoded");
  ASSERT_EQ(login.status, 201) << login.body;
  auto ann = server.client("").with_bearer(login.json()["access_token"]);
  EXPECT_EQ(ann.get("/api/v1/me/datasets").json()["items"].size(), 1u);
  // Seeding again on restart changes nothing.
  server.restart();
  EXPECT_EQ(server.client().get("/api/v1/me/datasets").json()["items"].size(), 1u);
  EXPECT_NE(server.output().find("20 records"), std::string::npos) << server.output();
}

}  // namespace
}  // namespace spanloop::testing
