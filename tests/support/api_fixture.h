// Setting up API state for integration tests through the owner's client: users with API keys,
// workspaces, span datasets. Each helper throws std::runtime_error (with the response) when the
// server refuses, so a broken precondition fails the test loudly.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http_client.h"
#include "server_process.h"

namespace spanloop::testing {

struct TestUser {
  std::string id;
  std::string username;
  std::string password;
  std::string api_key;
  HttpClient client;  // authenticated with api_key
};

class ApiFixture {
 public:
  explicit ApiFixture(const ServerProcess& server) : server_(server) {}

  HttpClient owner() const { return server_.client(); }
  HttpClient anonymous() const { return server_.client(""); }
  // A name unique within this test process ("prefix-7").
  static std::string unique(const std::string& prefix);

  // A user of `role` (owner/admin/annotator) with a password and an API key; member of
  // `workspace_id` when given.
  TestUser create_user(const std::string& role, const std::string& workspace_id = "") const;
  nlohmann::json create_workspace(const std::string& name = "") const;
  void add_member(const std::string& workspace_id, const std::string& user_id) const;
  // A dataset with a text field "text" and a span question "spans" over it with these labels;
  // published unless publish = false.
  nlohmann::json create_span_dataset(const std::string& workspace_id,
                                     const std::vector<std::string>& labels = {"Material",
                                                                               "Component"},
                                     bool publish = true, bool allow_overlapping = false) const;

 private:
  const ServerProcess& server_;
};

// Throws unless result.status == expected (the message carries the body).
const HttpResult& expect_status(const HttpResult& result, int expected, const std::string& what);

}  // namespace spanloop::testing
