// The server without sockets: authentication, routing, error mapping, access log and the web
// UI. Server (server.h) feeds it requests from cpp-httplib; tests may call handle() directly.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "server/auth_token.h"
#include "server/http_types.h"
#include "server/router.h"
#include "server/server_config.h"
#include "server/user_cache.h"
#include "store/model.h"

namespace spanloop::store {
class Store;
}

namespace spanloop::server {

class StaticFiles;

class App {
 public:
  // Registers every route family (routes.cpp). The store must outlive the App.
  App(store::Store& store, ServerConfig config);
  ~App();

  // Answers one request; never throws.
  HttpResponse handle(const HttpRequest& request);

  store::Store& store() { return store_; }
  const ServerConfig& config() const { return config_; }
  const Router& router() const { return router_; }
  const TokenSigner& tokens() const { return tokens_; }
  LoginThrottle& login_throttle() { return throttle_; }

  // The user named by the request's X-Argilla-Api-Key or Authorization: Bearer (API key or login
  // token); nullopt when it sends none; 401 when it sends a bad one.
  std::optional<store::User> authenticate(const HttpRequest& request);

 private:
  HttpResponse dispatch(const HttpRequest& request, const std::string& request_id,
                        std::string& username);
  std::string next_request_id();

  store::Store& store_;
  ServerConfig config_;
  Router router_;
  TokenSigner tokens_;
  LoginThrottle throttle_;
  UserCache users_;
  std::unique_ptr<StaticFiles> static_files_;
  std::string id_prefix_;
  std::atomic<std::uint64_t> request_counter_{0};
};

// Unix seconds now (token expiry and login throttle).
std::int64_t unix_seconds_now();

}  // namespace spanloop::server
