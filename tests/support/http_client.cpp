// HttpClient over cpp-httplib.
#include "http_client.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>

namespace spanloop::testing {

nlohmann::json HttpResult::json() const {
  return nlohmann::json::parse(body, nullptr, false, true).is_discarded()
             ? nlohmann::json()
             : nlohmann::json::parse(body, nullptr, false);
}

std::string HttpResult::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpResult::error_message() const {
  auto j = json();
  if (j.is_object() && j.contains("detail") && j["detail"].is_object() &&
      j["detail"].contains("message") && j["detail"]["message"].is_string()) {
    return j["detail"]["message"].get<std::string>();
  }
  return "";
}

HttpClient::HttpClient(std::string host, int port) : host_(std::move(host)), port_(port) {}

HttpClient& HttpClient::with_api_key(std::string key) {
  auth_ = {{"X-Argilla-Api-Key", std::move(key)}};
  return *this;
}

HttpClient& HttpClient::with_bearer(std::string token) {
  auth_ = {{"Authorization", "Bearer " + token}};
  return *this;
}

HttpClient& HttpClient::without_auth() {
  auth_.clear();
  return *this;
}

HttpResult HttpClient::request(
    const std::string& method, const std::string& path, const std::string& body,
    const std::string& content_type,
    const std::vector<std::pair<std::string, std::string>>& headers) const {
  httplib::Client cli(host_, port_);
  cli.set_read_timeout(120, 0);
  cli.set_write_timeout(120, 0);
  httplib::Request req;
  req.method = method;
  req.path = path;
  for (const auto& [k, v] : auth_) req.set_header(k, v);
  for (const auto& [k, v] : headers) req.set_header(k, v);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.body = body;
    if (!content_type.empty()) req.set_header("Content-Type", content_type);
  }
  auto res = cli.send(req);
  HttpResult out;
  if (!res) {
    out.body = "no response: " + httplib::to_string(res.error());
    return out;
  }
  out.status = res->status;
  out.body = res->body;
  for (const auto& [k, v] : res->headers) {
    std::string key = k;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers[key] = v;
  }
  return out;
}

HttpResult HttpClient::get(const std::string& path) const {
  return request("GET", path, "", "");
}
HttpResult HttpClient::del(const std::string& path) const {
  return request("DELETE", path, "", "");
}
HttpResult HttpClient::post(const std::string& path, const nlohmann::json& body) const {
  return request("POST", path, body.dump(), "application/json");
}
HttpResult HttpClient::put(const std::string& path, const nlohmann::json& body) const {
  return request("PUT", path, body.dump(), "application/json");
}
HttpResult HttpClient::patch(const std::string& path, const nlohmann::json& body) const {
  return request("PATCH", path, body.dump(), "application/json");
}

std::string url_encode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace spanloop::testing
