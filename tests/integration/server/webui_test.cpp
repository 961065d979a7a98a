// Serving the web UI from --web-dir: assets, SPA fallback, cache and CSP headers.
#include <fstream>

#include "server_suite.h"

namespace spanloop::testing {
namespace {

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

TEST(WebUiTest, ServesFilesWithFallbackAndHeaders) {
  TempDir web;
  write(web.path() / "index.html", "<!doctype html><title>spanloop</title>");
  write(web.path() / "assets" / "app-1a2b3c.js", "console.log(1)");
  write(web.path() / "favicon.svg", "<svg/>");
  TempDir outside;
  write(outside.path() / "secret.txt", "do not serve");
  ServerOptions o;
  o.extra_args = {"--web-dir", web.path().string()};
  ServerProcess server(o);
  auto c = server.client("");

  auto index = c.get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("<title>spanloop"), std::string::npos);
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  EXPECT_EQ(index.header("content-security-policy"), "default-src 'self'");

  auto js = c.get("/assets/app-1a2b3c.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_NE(js.header("cache-control").find("immutable"), std::string::npos);
  EXPECT_EQ(c.get("/favicon.svg").header("content-type"), "image/svg+xml");

  // Client-side routes get the app shell; missing files and API paths do not.
  auto route = c.get("/datasets/123/annotate");
  EXPECT_EQ(route.status, 200);
  EXPECT_NE(route.body.find("<title>spanloop"), std::string::npos);
  EXPECT_EQ(c.get("/assets/missing.js").status, 404);
  EXPECT_EQ(c.get("/api/v1/nope").json()["detail"]["code"], "not_found");
  auto traversal = c.get("/../" + outside.path().filename().string() + "/secret.txt");
  EXPECT_EQ(traversal.body.find("do not serve"), std::string::npos);
  EXPECT_EQ(c.get("/%2e%2e/secret.txt").body.find("do not serve"), std::string::npos);
}

}  // namespace
}  // namespace spanloop::testing
