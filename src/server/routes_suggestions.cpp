// Suggestions: one per record and question; members read them, owners and admins write them.
#include "server/context.h"
#include "server/json_records.h"
#include "server/permissions.h"
#include "server/record_access.h"
#include "server/routes.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

constexpr std::size_t kMaxDeleteIds = 100;

HttpResponse list_suggestions(RequestContext& ctx) {
  auto loaded = load_record(ctx, ctx.path_param("record_id"), DatasetAccess::kRead);
  json items = json::array();
  for (const auto& s : ctx.store().list_suggestions(loaded.record.id))
    items.push_back(suggestion_json(s));
  return items_response(std::move(items));
}

HttpResponse upsert_suggestion(RequestContext& ctx) {
  auto loaded = load_record(ctx, ctx.path_param("record_id"), DatasetAccess::kManage);
  auto input = suggestion_input_from_json(ctx.json_object(), "body");
  auto result = ctx.store().upsert_suggestion(loaded.record.id, input);
  return json_response(suggestion_json(result.suggestion), result.created ? 201 : 200);
}

HttpResponse delete_suggestions(RequestContext& ctx) {
  auto loaded = load_record(ctx, ctx.path_param("record_id"), DatasetAccess::kManage);
  ctx.store().delete_suggestions(loaded.record.id, ids_param(ctx, kMaxDeleteIds));
  return no_content();
}

HttpResponse delete_suggestion(RequestContext& ctx) {
  const auto& id = ctx.path_param("suggestion_id");
  auto s = ctx.store().get_suggestion(id);
  if (!s) throw_not_found("Suggestion with id `" + id + "` not found");
  load_record(ctx, s->record_id, DatasetAccess::kManage);
  return json_response(suggestion_json(ctx.store().delete_suggestion(id)));
}

}  // namespace

void register_suggestion_routes(Router& r) {
  r.get("/api/v1/records/{record_id}/suggestions", list_suggestions);
  r.put("/api/v1/records/{record_id}/suggestions", upsert_suggestion);
  r.del("/api/v1/records/{record_id}/suggestions", delete_suggestions);
  r.del("/api/v1/suggestions/{suggestion_id}", delete_suggestion);
}

}  // namespace spanloop::server
