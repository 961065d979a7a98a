// /api/v1/workspaces and /api/v1/me/workspaces: owners create and delete workspaces and add
// members; admins of a workspace list and remove its members.
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

HttpResponse workspaces_response(const std::vector<store::Workspace>& list) {
  json items = json::array();
  for (const auto& w : list) items.push_back(workspace_json(w));
  return items_response(std::move(items));
}

HttpResponse my_workspaces(RequestContext& ctx) {
  return workspaces_response(ctx.is_owner() ? ctx.store().list_workspaces()
                                            : ctx.store().list_user_workspaces(ctx.user().id));
}

HttpResponse list_workspaces(RequestContext& ctx) {
  require_owner(ctx);
  return workspaces_response(ctx.store().list_workspaces());
}

HttpResponse get_workspace(RequestContext& ctx) {
  auto w = load_workspace(ctx, ctx.path_param("workspace_id"));
  require_workspace_member(ctx, w.id);
  return json_response(workspace_json(w));
}

HttpResponse create_workspace(RequestContext& ctx) {
  require_owner(ctx);
  auto name = jr::string(ctx.json_object(), "name", "");
  return json_response(workspace_json(ctx.store().create_workspace(name)), 201);
}

HttpResponse delete_workspace(RequestContext& ctx) {
  require_owner(ctx);
  auto w = load_workspace(ctx, ctx.path_param("workspace_id"));
  return json_response(workspace_json(ctx.store().delete_workspace(w.id)));
}

HttpResponse workspace_users(RequestContext& ctx) {
  auto w = load_workspace(ctx, ctx.path_param("workspace_id"));
  require_workspace_admin(ctx, w.id);
  json items = json::array();
  for (const auto& u : ctx.store().list_workspace_users(w.id)) items.push_back(user_json(u));
  return items_response(std::move(items));
}

HttpResponse add_workspace_user(RequestContext& ctx) {
  require_owner(ctx);
  auto w = load_workspace(ctx, ctx.path_param("workspace_id"));
  auto user_id = jr::string(ctx.json_object(), "user_id", "");
  auto user = ctx.store().get_user(user_id);
  if (!user) throw_not_found("User with id `" + user_id + "` not found");
  ctx.store().add_workspace_user(w.id, user->id);
  return json_response(user_json(*user), 201);
}

HttpResponse remove_workspace_user(RequestContext& ctx) {
  auto w = load_workspace(ctx, ctx.path_param("workspace_id"));
  require_workspace_admin(ctx, w.id);
  const auto& user_id = ctx.path_param("user_id");
  auto user = ctx.store().get_user(user_id);
  if (!user) throw_not_found("User with id `" + user_id + "` not found");
  ctx.store().remove_workspace_user(w.id, user->id);
  return json_response(user_json(*user));
}

}  // namespace

void register_workspace_routes(Router& r) {
  r.get("/api/v1/me/workspaces", my_workspaces);
  r.get("/api/v1/workspaces", list_workspaces);
  r.post("/api/v1/workspaces", create_workspace);
  r.get("/api/v1/workspaces/{workspace_id}", get_workspace);
  r.del("/api/v1/workspaces/{workspace_id}", delete_workspace);
  r.get("/api/v1/workspaces/{workspace_id}/users", workspace_users);
  r.post("/api/v1/workspaces/{workspace_id}/users", add_workspace_user);
  r.del("/api/v1/workspaces/{workspace_id}/users/{user_id}", remove_workspace_user);
}

}  // namespace spanloop::server
