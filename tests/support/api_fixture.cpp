// ApiFixture helpers.
#include "api_fixture.h"

#include <atomic>
#include <stdexcept>

namespace spanloop::testing {

const HttpResult& expect_status(const HttpResult& result, int expected, const std::string& what) {
  if (result.status != expected) {
    throw std::runtime_error(what + ": expected HTTP " + std::to_string(expected) + ", got " +
                             std::to_string(result.status) + ": " + result.body);
  }
  return result;
}

std::string ApiFixture::unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(++counter);
}

TestUser ApiFixture::create_user(const std::string& role, const std::string& workspace_id) const {
  TestUser u{"", unique(role), "password-" + unique("pw"), "", server_.client("")};
  auto created = expect_status(owner().post("/api/v1/users", {{"username", u.username},
                                                              {"first_name", "Test"},
                                                              {"role", role},
                                                              {"password", u.password}}),
                               201, "create user")
                     .json();
  u.id = created["id"].get<std::string>();
  auto key = expect_status(owner().post("/api/v1/users/" + u.id + "/api-keys", {{"name", "test"}}),
                           201, "create API key")
                 .json();
  u.api_key = key["api_key"].get<std::string>();
  u.client = server_.client(u.api_key);
  if (!workspace_id.empty()) add_member(workspace_id, u.id);
  return u;
}

nlohmann::json ApiFixture::create_workspace(const std::string& name) const {
  return expect_status(
             owner().post("/api/v1/workspaces", {{"name", name.empty() ? unique("ws") : name}}),
             201, "create workspace")
      .json();
}

void ApiFixture::add_member(const std::string& workspace_id, const std::string& user_id) const {
  expect_status(
      owner().post("/api/v1/workspaces/" + workspace_id + "/users", {{"user_id", user_id}}), 201,
      "add workspace member");
}

nlohmann::json ApiFixture::create_span_dataset(const std::string& workspace_id,
                                               const std::vector<std::string>& labels, bool publish,
                                               bool allow_overlapping) const {
  auto c = owner();
  auto d = expect_status(c.post("/api/v1/datasets",
                                {{"name", unique("dataset")}, {"workspace_id", workspace_id}}),
                         201, "create dataset")
               .json();
  std::string id = d["id"];
  expect_status(c.post("/api/v1/datasets/" + id + "/fields", {{"name", "text"},
                                                              {"title", "Text"},
                                                              {"required", true},
                                                              {"settings", {{"type", "text"}}}}),
                201, "create field");
  nlohmann::json options = nlohmann::json::array();
  for (const auto& l : labels) options.push_back({{"value", l}, {"text", l}});
  expect_status(c.post("/api/v1/datasets/" + id + "/questions",
                       {{"name", "spans"},
                        {"title", "Spans"},
                        {"required", true},
                        {"settings",
                         {{"type", "span"},
                          {"field", "text"},
                          {"options", options},
                          {"allow_overlapping", allow_overlapping}}}}),
                201, "create question");
  if (publish) {
    d = expect_status(c.put("/api/v1/datasets/" + id + "/publish", nlohmann::json::object()), 200,
                      "publish dataset")
            .json();
  }
  return d;
}

}  // namespace spanloop::testing
