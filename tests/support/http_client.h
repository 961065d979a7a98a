// A small blocking HTTP client for integration tests (wraps cpp-httplib).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace spanloop::testing {

struct HttpResult {
  int status = 0;  // 0: no connection (body says why)
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names

  // The body as JSON (null when it is not JSON).
  nlohmann::json json() const;
  std::string header(const std::string& lowercase_name) const;
  // "detail.message" of an error body ("" when absent).
  std::string error_message() const;
};

class HttpClient {
 public:
  HttpClient(std::string host, int port);

  // Credentials sent with every request (none by default).
  HttpClient& with_api_key(std::string key);
  HttpClient& with_bearer(std::string token);
  HttpClient& without_auth();

  HttpResult get(const std::string& path) const;
  HttpResult del(const std::string& path) const;
  HttpResult post(const std::string& path, const nlohmann::json& body) const;
  HttpResult put(const std::string& path, const nlohmann::json& body) const;
  HttpResult patch(const std::string& path, const nlohmann::json& body) const;
  // Any method with a raw body.
  HttpResult request(const std::string& method, const std::string& path, const std::string& body,
                     const std::string& content_type,
                     const std::vector<std::pair<std::string, std::string>>& headers = {}) const;

  const std::string& host() const { return host_; }
  int port() const { return port_; }

 private:
  std::string host_;
  int port_;
  std::vector<std::pair<std::string, std::string>> auth_;
};

// Percent-encodes a query parameter value.
std::string url_encode(const std::string& value);

}  // namespace spanloop::testing
