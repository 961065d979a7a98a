// /api/v1/users: owners manage users; every user may read themself and manage their own
// password and API keys.
#include "server/accounts.h"
#include "server/context.h"
#include "server/json_models.h"
#include "server/json_read.h"
#include "server/permissions.h"
#include "server/routes.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

namespace jr = json_read;

store::User load_user(RequestContext& ctx, const std::string& id) {
  auto u = ctx.store().get_user(id);
  if (!u) throw_not_found("User with id `" + id + "` not found");
  return *u;
}

// The owner, or the user acting on themself.
void require_owner_or_self(const RequestContext& ctx, const std::string& user_id) {
  if (!ctx.is_owner() && ctx.user().id != user_id) require_owner(ctx);
}

store::Role role_from_json(const json& value) {
  auto s = jr::as_string(value, "role");
  auto role = store::parse_role(s);
  if (!role) throw_invalid("role `" + s + "` is not one of owner, admin, annotator");
  return *role;
}

HttpResponse list_users(RequestContext& ctx) {
  require_owner(ctx);
  json items = json::array();
  for (const auto& u : ctx.store().list_users()) items.push_back(user_json(u));
  return items_response(std::move(items));
}

HttpResponse get_user(RequestContext& ctx) {
  const auto& id = ctx.path_param("user_id");
  require_owner_or_self(ctx, id);
  return json_response(user_json(load_user(ctx, id)));
}

HttpResponse create_user(RequestContext& ctx) {
  require_owner(ctx);
  const auto& body = ctx.json_object();
  accounts::NewUser u;
  u.username = jr::string(body, "username", "");
  u.first_name = jr::opt_string(body, "first_name", "").value_or("");
  u.last_name = jr::opt_string(body, "last_name", "");
  if (auto it = body.find("role"); it != body.end() && !it->is_null()) u.role = role_from_json(*it);
  u.password = jr::string(body, "password", "");
  auto user = accounts::create_user(ctx.store(), u);
  return json_response(user_json(user), 201);
}

HttpResponse update_user(RequestContext& ctx) {
  const auto& id = ctx.path_param("user_id");
  require_owner_or_self(ctx, id);
  load_user(ctx, id);
  const auto& body = ctx.json_object();
  store::UserUpdate u;
  u.first_name = jr::opt_string(body, "first_name", "");
  u.last_name = jr::nullable_string(body, "last_name", "");
  u.username = jr::opt_string(body, "username", "");
  std::optional<store::Role> role;
  if (auto it = body.find("role"); it != body.end() && !it->is_null()) role = role_from_json(*it);
  auto password = jr::opt_string(body, "password", "");
  // Users may rename themselves and change their password; only owners change names and roles.
  if ((u.username || role) && !ctx.is_owner()) require_owner(ctx);
  if (password) accounts::set_password(ctx.store(), id, *password);
  if (role) accounts::set_role(ctx.store(), id, *role);
  auto user = ctx.store().update_user(id, u);
  return json_response(user_json(user));
}

HttpResponse delete_user(RequestContext& ctx) {
  require_owner(ctx);
  return json_response(user_json(accounts::delete_user(ctx.store(), ctx.path_param("user_id"))));
}

HttpResponse user_workspaces(RequestContext& ctx) {
  require_owner(ctx);
  auto user = load_user(ctx, ctx.path_param("user_id"));
  auto list = user.role == store::Role::kOwner ? ctx.store().list_workspaces()
                                               : ctx.store().list_user_workspaces(user.id);
  json items = json::array();
  for (const auto& w : list) items.push_back(workspace_json(w));
  return items_response(std::move(items));
}

json api_key_json(const store::ApiKey& key) {
  return json{{"id", key.id},
              {"name", key.name},
              {"user_id", key.user_id},
              {"inserted_at", timestamp_json(key.inserted_at)}};
}

HttpResponse create_api_key(RequestContext& ctx) {
  const auto& id = ctx.path_param("user_id");
  require_owner_or_self(ctx, id);
  load_user(ctx, id);
  std::string name = "api-key";
  if (!ctx.request().body.empty()) {
    name = jr::opt_string(ctx.json_object(), "name", "").value_or(name);
  }
  auto issued = accounts::issue_api_key(ctx.store(), id, name);
  auto out = api_key_json(issued.key);
  out["api_key"] = issued.plaintext;  // the only time the key is shown
  return json_response(out, 201);
}

HttpResponse list_api_keys(RequestContext& ctx) {
  const auto& id = ctx.path_param("user_id");
  require_owner_or_self(ctx, id);
  load_user(ctx, id);
  json items = json::array();
  for (const auto& k : ctx.store().list_api_keys(id)) items.push_back(api_key_json(k));
  return items_response(std::move(items));
}

HttpResponse delete_api_key(RequestContext& ctx) {
  const auto& id = ctx.path_param("user_id");
  require_owner_or_self(ctx, id);
  const auto& key_id = ctx.path_param("key_id");
  bool mine = false;
  for (const auto& k : ctx.store().list_api_keys(id)) mine = mine || k.id == key_id;
  if (!mine) throw_not_found("API key with id `" + key_id + "` not found for user `" + id + "`");
  return json_response(api_key_json(ctx.store().delete_api_key(key_id)));
}

}  // namespace

void register_user_routes(Router& r) {
  r.get("/api/v1/users", list_users);
  r.post("/api/v1/users", create_user);
  r.get("/api/v1/users/{user_id}", get_user);
  r.patch("/api/v1/users/{user_id}", update_user);
  r.del("/api/v1/users/{user_id}", delete_user);
  r.get("/api/v1/users/{user_id}/workspaces", user_workspaces);
  r.get("/api/v1/users/{user_id}/api-keys", list_api_keys);
  r.post("/api/v1/users/{user_id}/api-keys", create_api_key);
  r.del("/api/v1/users/{user_id}/api-keys/{key_id}", delete_api_key);
}

}  // namespace spanloop::server
