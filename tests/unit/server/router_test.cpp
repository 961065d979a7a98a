// Router: path parameters, literal precedence, 405 detection, HEAD as GET.
#include "server/router.h"

#include <gtest/gtest.h>

#include "text/error.h"

namespace spanloop::server {
namespace {

HttpResponse ok(RequestContext&) {
  return HttpResponse{};
}

TEST(RouterTest, MatchesParametersAndPrefersLiterals) {
  Router r;
  r.get("/api/v1/datasets/{dataset_id}", ok);
  r.get("/api/v1/datasets/{dataset_id}/fields", ok);
  r.get("/api/v1/me/datasets", ok);
  r.get("/api/v1/{anything}/datasets", ok);
  auto m = r.match("GET", "/api/v1/datasets/abc/fields");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/datasets/{dataset_id}/fields");
  EXPECT_EQ(m.params.at("dataset_id"), "abc");
  m = r.match("GET", "/api/v1/me/datasets");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/me/datasets");
  EXPECT_EQ(r.match("GET", "/api/v1/datasets").route, nullptr);
  EXPECT_EQ(r.match("GET", "/api/v1/datasets/a/b/c").route, nullptr);
}

TEST(RouterTest, OtherMethodOnKnownPathIsReported) {
  Router r;
  r.get("/api/v1/users", ok);
  auto m = r.match("DELETE", "/api/v1/users");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_exists);
  EXPECT_FALSE(r.match("DELETE", "/api/v1/nothing").path_exists);
  EXPECT_NE(r.match("HEAD", "/api/v1/users").route, nullptr);
}

TEST(RouterTest, TrailingSlashesAndDuplicates) {
  Router r;
  r.get("/api/v1/users", ok);
  EXPECT_NE(r.match("GET", "/api/v1/users/").route, nullptr);
  EXPECT_THROW(r.get("/api/v1/users", ok), Error);
}

}  // namespace
}  // namespace spanloop::server
