// Metadata properties and vector settings of a dataset. Annotators see only the metadata
// properties marked visible_for_annotators.
#include "server/context.h"
#include "server/json_models.h"
#include "server/json_read.h"
#include "server/permissions.h"
#include "server/routes.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

bool sees_all_metadata(const RequestContext& ctx) {
  return ctx.user().role != store::Role::kAnnotator;
}

HttpResponse list_metadata_properties(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kRead);
  json items = json::array();
  for (const auto& p : ctx.store().list_metadata_properties(d.id)) {
    if (p.visible_for_annotators || sees_all_metadata(ctx)) {
      items.push_back(metadata_property_json(p));
    }
  }
  return items_response(std::move(items));
}

HttpResponse create_metadata_property(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  auto create = metadata_property_create_from_json(ctx.json_object());
  return json_response(metadata_property_json(ctx.store().create_metadata_property(d.id, create)),
                       201);
}

store::MetadataProperty load_property(RequestContext& ctx, DatasetAccess access) {
  const auto& id = ctx.path_param("property_id");
  auto p = ctx.store().get_metadata_property(id);
  if (!p) throw_not_found("Metadata property with id `" + id + "` not found");
  load_dataset(ctx, p->dataset_id, access);
  if (!p->visible_for_annotators && !sees_all_metadata(ctx)) {
    throw_not_found("Metadata property with id `" + id + "` not found");
  }
  return *p;
}

HttpResponse update_metadata_property(RequestContext& ctx) {
  auto p = load_property(ctx, DatasetAccess::kManage);
  auto update = metadata_property_update_from_json(ctx.json_object());
  return json_response(metadata_property_json(ctx.store().update_metadata_property(p.id, update)));
}

HttpResponse delete_metadata_property(RequestContext& ctx) {
  auto p = load_property(ctx, DatasetAccess::kManage);
  return json_response(metadata_property_json(ctx.store().delete_metadata_property(p.id)));
}

HttpResponse metadata_property_metrics(RequestContext& ctx) {
  auto p = load_property(ctx, DatasetAccess::kRead);
  return json_response(metadata_metrics_json(ctx.store().metadata_property_metrics(p.id)));
}

HttpResponse list_vector_settings(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kRead);
  json items = json::array();
  for (const auto& v : ctx.store().list_vector_settings(d.id))
    items.push_back(vector_settings_json(v));
  return items_response(std::move(items));
}

HttpResponse create_vector_settings(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  auto create = vector_settings_create_from_json(ctx.json_object());
  return json_response(vector_settings_json(ctx.store().create_vector_settings(d.id, create)), 201);
}

store::VectorSettings load_vector_settings(RequestContext& ctx) {
  const auto& id = ctx.path_param("vector_settings_id");
  auto v = ctx.store().get_vector_settings(id);
  if (!v) throw_not_found("Vector settings with id `" + id + "` not found");
  load_dataset(ctx, v->dataset_id, DatasetAccess::kManage);
  return *v;
}

HttpResponse update_vector_settings(RequestContext& ctx) {
  auto v = load_vector_settings(ctx);
  auto title = json_read::opt_string(ctx.json_object(), "title", "");
  if (!title) return json_response(vector_settings_json(v));
  return json_response(vector_settings_json(ctx.store().update_vector_settings(v.id, *title)));
}

HttpResponse delete_vector_settings(RequestContext& ctx) {
  auto v = load_vector_settings(ctx);
  return json_response(vector_settings_json(ctx.store().delete_vector_settings(v.id)));
}

}  // namespace

void register_metadata_routes(Router& r) {
  r.get("/api/v1/datasets/{dataset_id}/metadata-properties", list_metadata_properties);
  r.get("/api/v1/me/datasets/{dataset_id}/metadata-properties", list_metadata_properties);
  r.post("/api/v1/datasets/{dataset_id}/metadata-properties", create_metadata_property);
  r.patch("/api/v1/metadata-properties/{property_id}", update_metadata_property);
  r.del("/api/v1/metadata-properties/{property_id}", delete_metadata_property);
  r.get("/api/v1/metadata-properties/{property_id}/metrics", metadata_property_metrics);
  r.get("/api/v1/datasets/{dataset_id}/vectors-settings", list_vector_settings);
  r.post("/api/v1/datasets/{dataset_id}/vectors-settings", create_vector_settings);
  r.patch("/api/v1/vectors-settings/{vector_settings_id}", update_vector_settings);
  r.del("/api/v1/vectors-settings/{vector_settings_id}", delete_vector_settings);
}

}  // namespace spanloop::server
