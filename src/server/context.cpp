// RequestContext: parameter access and lazy JSON parsing with 422 errors.
#include "server/context.h"

#include <charconv>

#include "server/app.h"
#include "text/error.h"

namespace spanloop::server {

RequestContext::RequestContext(App& app, const HttpRequest& request, PathParams params,
                               std::string request_id)
    : app_(app),
      request_(request),
      params_(std::move(params)),
      request_id_(std::move(request_id)) {}

store::Store& RequestContext::store() {
  return app_.store();
}
const ServerConfig& RequestContext::config() const {
  return app_.config();
}

const store::User& RequestContext::user() const {
  if (!user_) throw Error(ErrorKind::kUnauthenticated, "authentication required");
  return *user_;
}

const std::string& RequestContext::path_param(std::string_view name) const {
  auto it = params_.find(name);
  if (it == params_.end()) {
    throw Error(ErrorKind::kInternal, "route has no path parameter " + std::string(name));
  }
  return it->second;
}

std::optional<std::string> RequestContext::query(std::string_view name) const {
  auto it = request_.query.find(std::string(name));
  if (it == request_.query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> RequestContext::query_all(std::string_view name) const {
  std::vector<std::string> out;
  auto [b, e] = request_.query.equal_range(std::string(name));
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

std::int64_t RequestContext::query_int(std::string_view name, std::int64_t fallback,
                                       std::int64_t min, std::int64_t max) const {
  auto v = query(name);
  if (!v) return fallback;
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) {
    throw_invalid("query parameter `" + std::string(name) + "` must be an integer, got `" + *v +
                  "`");
  }
  if (out < min || out > max) {
    throw_invalid("query parameter `" + std::string(name) + "` must be between " +
                  std::to_string(min) + " and " + std::to_string(max) + ", got " + *v);
  }
  return out;
}

const nlohmann::json& RequestContext::json() {
  if (!json_) {
    if (request_.body.empty()) throw_invalid("request body is empty; expected a JSON document");
    try {
      json_ = nlohmann::json::parse(request_.body);
    } catch (const nlohmann::json::parse_error& e) {
      // e.byte names the position; the library's message carries no internals.
      throw_invalid("malformed JSON body at byte " + std::to_string(e.byte) + ": " +
                    std::string(e.what()).substr(std::string(e.what()).find(':') + 2));
    }
  }
  return *json_;
}

const nlohmann::json& RequestContext::json_object() {
  const auto& j = json();
  if (!j.is_object()) throw_invalid("request body must be a JSON object");
  return j;
}

}  // namespace spanloop::server
