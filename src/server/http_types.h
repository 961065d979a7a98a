// Plain HTTP request and response structs: what every route handler sees instead of the HTTP
// library's types, so handlers are testable without sockets (only server.cpp knows httplib).
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spanloop::server {

struct HttpRequest {
  std::string method;                             // GET, POST, PUT, PATCH, DELETE, HEAD
  std::string path;                               // decoded path without the query string
  std::multimap<std::string, std::string> query;  // decoded; repeated keys kept (include=...)
  std::map<std::string, std::string> headers;     // names lowercased
  std::string body;
  std::string remote_addr;

  // The header value ("" when absent); name is matched case-insensitively.
  std::string header(std::string_view name) const;
};

// Writes one chunk of a streamed body; returns false when the client went away.
using ChunkWriter = std::function<bool(std::string_view chunk)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is produced by this function in chunks (exports); `body` is ignored.
  std::function<void(const ChunkWriter& write)> stream;

  void set_header(std::string name, std::string value);
};

// 200 (or `status`) with a JSON body.
HttpResponse json_response(const nlohmann::json& body, int status = 200);
// 200 (or `status`) with JSON text written already (JsonWriter).
HttpResponse json_text_response(std::string body, int status = 200);
// Argilla's list envelope: {"items": [...]}.
HttpResponse items_response(nlohmann::json items, int status = 200);
// 204 without a body.
HttpResponse no_content();

// Decodes application/x-www-form-urlencoded text (also query strings): '+' is a space, %XX bytes.
std::multimap<std::string, std::string> parse_form(std::string_view text);
std::string percent_decode(std::string_view text, bool plus_is_space);

}  // namespace spanloop::server
