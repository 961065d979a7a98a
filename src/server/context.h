// What a route handler gets: the caller, the store, path and query parameters, the JSON body.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.h"
#include "server/router.h"
#include "store/model.h"

namespace spanloop::store {
class Store;
}

namespace spanloop::server {

class App;
struct ServerConfig;

class RequestContext {
 public:
  RequestContext(App& app, const HttpRequest& request, PathParams params, std::string request_id);

  App& app() { return app_; }
  store::Store& store();
  const ServerConfig& config() const;
  const HttpRequest& request() const { return request_; }
  const std::string& request_id() const { return request_id_; }

  // The authenticated caller. Only public routes can run without one; there user() throws 401.
  const store::User& user() const;
  bool has_user() const { return user_.has_value(); }
  bool is_owner() const { return user_ && user_->role == store::Role::kOwner; }
  void set_user(store::User user) { user_ = std::move(user); }

  // A {name} of the route pattern (always present when the route matched).
  const std::string& path_param(std::string_view name) const;
  // First value of a query parameter, or nullopt.
  std::optional<std::string> query(std::string_view name) const;
  // Every value of a repeated parameter (include=responses&include=suggestions), in order.
  std::vector<std::string> query_all(std::string_view name) const;
  // An integer query parameter within [min, max]; 422 naming the parameter otherwise.
  std::int64_t query_int(std::string_view name, std::int64_t fallback, std::int64_t min,
                         std::int64_t max) const;

  // The body parsed as JSON, once; 422 "malformed JSON body: ..." when it is not JSON.
  const nlohmann::json& json();
  // The body as a JSON object (422 for any other JSON value).
  const nlohmann::json& json_object();

 private:
  App& app_;
  const HttpRequest& request_;
  PathParams params_;
  std::string request_id_;
  std::optional<store::User> user_;
  std::optional<nlohmann::json> json_;
};

}  // namespace spanloop::server
