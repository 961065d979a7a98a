// Health, version, UI settings, login (token) and the caller's own user.
#include <nlohmann/json.hpp>

#include "server/app.h"
#include "server/auth_crypto.h"
#include "server/context.h"
#include "server/errors.h"
#include "server/json_models.h"
#include "server/routes.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

HttpResponse status(RequestContext& ctx) {
  // Touch the database so the health check means "can serve requests".
  ctx.store().schema_version();
  return json_response({{"status", "ok"},
                        {"version", SPANLOOP_VERSION},
                        {"store", {{"engine", ctx.store().engine()}}}});
}

HttpResponse version(RequestContext&) {
  return json_response({{"version", SPANLOOP_VERSION}});
}

HttpResponse settings(RequestContext& ctx) {
  return json_response({{"version", SPANLOOP_VERSION},
                        {"auth", {{"token_lifetime_s", ctx.config().token_lifetime.count()}}},
                        {"limits",
                         {{"max_body_bytes", ctx.config().max_body_bytes},
                          {"bulk_records", 500},
                          {"page_size", 1000},
                          {"spans_per_value", 10000}}}});
}

// POST /api/v1/token: form (or JSON) username + password -> a signed, expiring bearer token.
HttpResponse token(RequestContext& ctx) {
  const auto& req = ctx.request();
  std::string username, password;
  if (req.header("content-type").find("application/json") == 0) {
    const auto& body = ctx.json_object();
    if (body.contains("username") && body["username"].is_string()) username = body["username"];
    if (body.contains("password") && body["password"].is_string()) password = body["password"];
  } else {
    auto form = parse_form(req.body);
    if (auto it = form.find("username"); it != form.end()) username = it->second;
    if (auto it = form.find("password"); it != form.end()) password = it->second;
  }
  if (username.empty() || password.empty()) {
    throw_invalid("login needs form fields `username` and `password`");
  }
  auto now = unix_seconds_now();
  auto& throttle = ctx.app().login_throttle();
  if (auto left = throttle.locked_for(username, now)) {
    auto res =
        json_response({{"detail",
                        {{"code", "too_many_requests"},
                         {"message", "too many failed logins for `" + username +
                                         "`; try again in " + std::to_string(*left) + " s"}}}},
                      429);
    res.set_header("Retry-After", std::to_string(*left));
    return res;
  }
  auto user = ctx.store().get_user_by_username(username);
  if (!user || !verify_password(user->password_hash, password)) {
    throttle.record_failure(username, now);
    throw Error(ErrorKind::kUnauthenticated, "wrong username or password");
  }
  throttle.record_success(username);
  return json_response({{"access_token", ctx.app().tokens().issue(*user, now)},
                        {"token_type", "bearer"},
                        {"expires_in", ctx.app().tokens().lifetime().count()}},
                       201);
}

HttpResponse me(RequestContext& ctx) {
  return json_response(user_json(ctx.user()));
}

// GET /api/me: the whoami of Argilla 1.x servers that older SDKs still call.
HttpResponse legacy_me(RequestContext& ctx) {
  auto out = user_json(ctx.user());
  json workspaces = json::array();
  auto list = ctx.is_owner() ? ctx.store().list_workspaces()
                             : ctx.store().list_user_workspaces(ctx.user().id);
  for (const auto& w : list) workspaces.push_back(w.name);
  out["workspaces"] = std::move(workspaces);
  return json_response(out);
}

}  // namespace

void register_status_routes(Router& r) {
  r.get("/api/v1/status", status, Access::kPublic);
  r.get("/api/v1/version", version, Access::kPublic);
  r.get("/api/v1/settings", settings, Access::kPublic);
  r.post("/api/v1/token", token, Access::kPublic);
  r.get("/api/v1/me", me);
  r.get("/api/me", legacy_me);
}

}  // namespace spanloop::server
