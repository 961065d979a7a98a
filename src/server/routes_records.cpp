// Records: bulk create/upsert, list, get, patch, delete (reference §1.2 "records").
#include <cstdint>

#include "server/context.h"
#include "server/json_records.h"
#include "server/permissions.h"
#include "server/record_access.h"
#include "server/routes.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

constexpr std::size_t kMaxBulkItems = 500;
constexpr std::size_t kMaxDeleteIds = 100;

std::vector<store::RecordInput> bulk_items(RequestContext& ctx) {
  const json& body = ctx.json_object();
  auto it = body.find("items");
  if (it == body.end() || !it->is_array()) throw_invalid("missing required key `items` (a list)");
  if (it->empty() || it->size() > kMaxBulkItems)
    throw_invalid("`items` must hold 1 to " + std::to_string(kMaxBulkItems) + " records, not " +
                  std::to_string(it->size()));
  std::vector<store::RecordInput> items;
  items.reserve(it->size());
  for (std::size_t i = 0; i < it->size(); ++i)
    items.push_back(record_input_from_json((*it)[i], "items[" + std::to_string(i) + "]"));
  return items;
}

// {"items": [records...], "updated_item_ids"?: [...]}.
HttpResponse records_response(const store::BulkResult& result, bool with_updated, int status) {
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& r : result.records) write_record(w, r);
  w.end_array();
  if (with_updated) {
    w.key("updated_item_ids").begin_array();
    for (const auto& id : result.updated_ids) w.string(id);
    w.end_array();
  }
  return json_text_response(w.end_object().take(), status);
}

HttpResponse record_response(const store::Record& record) {
  JsonWriter w;
  write_record(w, record);
  return json_text_response(w.take());
}

HttpResponse bulk_create(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  auto items = bulk_items(ctx);
  auto result = ctx.store().bulk_create_records(d.id, items);
  return records_response(result, false, 201);
}

HttpResponse bulk_upsert(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  auto items = bulk_items(ctx);
  auto result = ctx.store().bulk_upsert_records(d.id, items);
  return records_response(result, true, 200);
}

// GET .../records: the search with no filters, in insertion order.
HttpResponse list_records(RequestContext& ctx, bool me) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"),
                        me ? DatasetAccess::kRead : DatasetAccess::kManage);
  store::SearchQuery q;
  q.dataset_id = d.id;
  q.offset = ctx.query_int("offset", 0, 0, INT64_MAX);
  q.limit = ctx.query_int("limit", 50, 1, 1000);
  q.include = record_include_from_params(ctx.query_all("include"));
  if (me) {
    q.user_id = ctx.user().id;
    q.include.responses_user_id = ctx.user().id;
  }
  if (auto cursor = ctx.query("cursor")) q.cursor = *cursor;
  auto result = ctx.store().search(q);
  const auto hidden = hidden_metadata_properties(ctx, d.id);
  for (auto& hit : result.items) strip_hidden_metadata(hit.record, hidden);
  return json_text_response(search_result_json(result, false));
}

HttpResponse delete_records(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kManage);
  ctx.store().delete_records(d.id, ids_param(ctx, kMaxDeleteIds));
  return no_content();
}

HttpResponse get_record(RequestContext& ctx) {
  store::RecordInclude include;
  include.responses = include.suggestions = include.vectors = true;
  auto loaded = load_record(ctx, ctx.path_param("record_id"), DatasetAccess::kRead);
  scope_responses_to_caller(ctx, loaded.dataset, include);
  auto record = ctx.store().get_record(loaded.record.id, include);
  if (!record) throw_not_found("Record with id `" + loaded.record.id + "` not found");
  strip_hidden_metadata(*record, hidden_metadata_properties(ctx, loaded.dataset.id));
  return record_response(*record);
}

HttpResponse patch_record(RequestContext& ctx) {
  auto loaded = load_record(ctx, ctx.path_param("record_id"), DatasetAccess::kManage);
  auto update = record_update_from_json(ctx.json_object());
  return record_response(ctx.store().update_record(loaded.record.id, update));
}

HttpResponse delete_record(RequestContext& ctx) {
  auto loaded = load_record(ctx, ctx.path_param("record_id"), DatasetAccess::kManage);
  return record_response(ctx.store().delete_record(loaded.record.id));
}

}  // namespace

void register_record_routes(Router& r) {
  r.post("/api/v1/datasets/{dataset_id}/records/bulk", bulk_create);
  r.put("/api/v1/datasets/{dataset_id}/records/bulk", bulk_upsert);
  r.get("/api/v1/datasets/{dataset_id}/records",
        [](RequestContext& c) { return list_records(c, false); });
  r.get("/api/v1/me/datasets/{dataset_id}/records",
        [](RequestContext& c) { return list_records(c, true); });
  r.del("/api/v1/datasets/{dataset_id}/records", delete_records);
  r.get("/api/v1/records/{record_id}", get_record);
  r.patch("/api/v1/records/{record_id}", patch_record);
  r.del("/api/v1/records/{record_id}", delete_record);
}

}  // namespace spanloop::server
