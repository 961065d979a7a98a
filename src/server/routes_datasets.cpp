// /api/v1/datasets: create, list (/me/datasets), read, update, delete, publish.
#include "server/context.h"
#include "server/json_models.h"
#include "server/permissions.h"
#include "server/routes.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

HttpResponse create_dataset(RequestContext& ctx) {
  require_owner_or_admin(ctx);
  auto create = dataset_create_from_json(ctx.json_object());
  load_workspace(ctx, create.workspace_id);
  require_workspace_admin(ctx, create.workspace_id);
  return json_response(dataset_json(ctx.store().create_dataset(create)), 201);
}

// GET /me/datasets (and /datasets): the datasets of the caller's workspaces (all for owners),
// optionally by workspace_id, name and status.
HttpResponse list_datasets(RequestContext& ctx) {
  store::DatasetFilter f;
  f.workspace_id = ctx.query("workspace_id");
  f.name = ctx.query("name");
  if (auto s = ctx.query("status")) {
    f.status = store::parse_dataset_status(*s);
    if (!f.status)
      throw_invalid("query parameter `status` must be draft or ready, got `" + *s + "`");
  }
  if (!ctx.is_owner()) f.member_user_id = ctx.user().id;
  json items = json::array();
  for (const auto& d : ctx.store().list_datasets(f)) items.push_back(dataset_json(d));
  return items_response(std::move(items));
}

HttpResponse get_dataset(RequestContext& ctx) {
  return json_response(
      dataset_json(load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kRead)));
}

HttpResponse update_dataset(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  auto update = dataset_update_from_json(ctx.json_object());
  return json_response(dataset_json(ctx.store().update_dataset(d.id, update)));
}

HttpResponse delete_dataset(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  return json_response(dataset_json(ctx.store().delete_dataset(d.id)));
}

HttpResponse publish_dataset(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  return json_response(dataset_json(ctx.store().publish_dataset(d.id)));
}

}  // namespace

void register_dataset_routes(Router& r) {
  r.post("/api/v1/datasets", create_dataset);
  r.get("/api/v1/datasets", list_datasets);
  r.get("/api/v1/me/datasets", list_datasets);
  r.get("/api/v1/datasets/{dataset_id}", get_dataset);
  r.patch("/api/v1/datasets/{dataset_id}", update_dataset);
  r.del("/api/v1/datasets/{dataset_id}", delete_dataset);
  r.put("/api/v1/datasets/{dataset_id}/publish", publish_dataset);
}

}  // namespace spanloop::server
