// Fields and questions of a dataset: members read them, owners and workspace admins change them.
#include "server/context.h"
#include "server/json_models.h"
#include "server/permissions.h"
#include "server/routes.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

template <typename T, typename F>
HttpResponse list_response(const std::vector<T>& list, F to_json) {
  json items = json::array();
  for (const auto& v : list) items.push_back(to_json(v));
  return items_response(std::move(items));
}

HttpResponse list_fields(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kRead);
  return list_response(ctx.store().list_fields(d.id), field_json);
}

HttpResponse create_field(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  auto create = field_create_from_json(ctx.json_object());
  return json_response(field_json(ctx.store().create_field(d.id, create)), 201);
}

store::Field load_field(RequestContext& ctx) {
  const auto& id = ctx.path_param("field_id");
  auto f = ctx.store().get_field(id);
  if (!f) throw_not_found("Field with id `" + id + "` not found");
  load_dataset(ctx, f->dataset_id, DatasetAccess::kManage);
  return *f;
}

HttpResponse update_field(RequestContext& ctx) {
  auto f = load_field(ctx);
  auto update = field_update_from_json(ctx.json_object());
  return json_response(field_json(ctx.store().update_field(f.id, update)));
}

HttpResponse delete_field(RequestContext& ctx) {
  auto f = load_field(ctx);
  return json_response(field_json(ctx.store().delete_field(f.id)));
}

HttpResponse list_questions(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kRead);
  return list_response(ctx.store().list_questions(d.id), question_json);
}

HttpResponse create_question(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  auto create = question_create_from_json(ctx.json_object());
  return json_response(question_json(ctx.store().create_question(d.id, create)), 201);
}

store::Question load_question(RequestContext& ctx) {
  const auto& id = ctx.path_param("question_id");
  auto q = ctx.store().get_question(id);
  if (!q) throw_not_found("Question with id `" + id + "` not found");
  load_dataset(ctx, q->dataset_id, DatasetAccess::kManage);
  return *q;
}

HttpResponse update_question(RequestContext& ctx) {
  auto q = load_question(ctx);
  auto update = question_update_from_json(ctx.json_object(), q);
  return json_response(question_json(ctx.store().update_question(q.id, update)));
}

HttpResponse delete_question(RequestContext& ctx) {
  auto q = load_question(ctx);
  return json_response(question_json(ctx.store().delete_question(q.id)));
}

}  // namespace

void register_field_routes(Router& r) {
  r.get("/api/v1/datasets/{dataset_id}/fields", list_fields);
  r.post("/api/v1/datasets/{dataset_id}/fields", create_field);
  r.patch("/api/v1/fields/{field_id}", update_field);
  r.del("/api/v1/fields/{field_id}", delete_field);
  r.get("/api/v1/datasets/{dataset_id}/questions", list_questions);
  r.post("/api/v1/datasets/{dataset_id}/questions", create_question);
  r.patch("/api/v1/questions/{question_id}", update_question);
  r.del("/api/v1/questions/{question_id}", delete_question);
}

}  // namespace spanloop::server
