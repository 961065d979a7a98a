// Responses: the caller's answer on a record, edits by their owner or a workspace admin, and
// the UI's bulk submit (reference §1.2 "responses", §1.4 span rules enforced by the store).
#include "server/context.h"
#include "server/errors.h"
#include "server/json_records.h"
#include "server/permissions.h"
#include "server/record_access.h"
#include "server/routes.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

constexpr std::size_t kMaxBulkResponses = 100;

// The permission check runs inside the store's write (no separate read per submit); a body that
// does not parse is still answered only after the check (404 and 403 come first).
HttpResponse create_response(RequestContext& ctx) {
  const std::string& record_id = ctx.path_param("record_id");
  std::optional<store::ResponseInput> input;
  try {
    input = response_input_from_json(ctx.json_object(), "body");
  } catch (...) {
    check_record_access(ctx, record_id, DatasetAccess::kRead);
    throw;
  }
  const auto check = record_access_check(ctx, DatasetAccess::kRead);
  return json_response(
      response_json(ctx.store().create_response(record_id, ctx.user().id, *input, check)), 201);
}

// The response after checking that the caller owns it (and still belongs to the workspace) or
// manages its dataset.
store::Response load_response(RequestContext& ctx) {
  const auto& id = ctx.path_param("response_id");
  auto response = ctx.store().get_response(id);
  if (!response) throw_not_found("Response with id `" + id + "` not found");
  const bool own = response->user_id == ctx.user().id;
  check_record_access(ctx, response->record_id,
                      own ? DatasetAccess::kRead : DatasetAccess::kManage);
  return *response;
}

HttpResponse update_response(RequestContext& ctx) {
  auto response = load_response(ctx);
  auto input = response_input_from_json(ctx.json_object(), "body");
  return json_response(response_json(ctx.store().update_response(response.id, input)));
}

HttpResponse delete_response(RequestContext& ctx) {
  auto response = load_response(ctx);
  return json_response(response_json(ctx.store().delete_response(response.id)));
}

// Each item succeeds or fails on its own: {"items": [{"item": Response|null, "error": null|
// {"detail": ...}}]}, in input order.
HttpResponse bulk_responses(RequestContext& ctx) {
  const json& body = ctx.json_object();
  auto it = body.find("items");
  if (it == body.end() || !it->is_array()) throw_invalid("missing required key `items` (a list)");
  if (it->empty() || it->size() > kMaxBulkResponses)
    throw_invalid("`items` must hold 1 to " + std::to_string(kMaxBulkResponses) +
                  " responses, not " + std::to_string(it->size()));
  json items = json::array();
  for (std::size_t i = 0; i < it->size(); ++i) {
    const std::string where = "items[" + std::to_string(i) + "]";
    try {
      const json& item = (*it)[i];
      auto input = response_input_from_json(item, where);
      if (!item.contains("record_id") || !item["record_id"].is_string())
        throw_invalid("missing required key `" + where + ".record_id`");
      const std::string record_id = item["record_id"].get<std::string>();
      auto response = ctx.store().upsert_response(record_id, ctx.user().id, input,
                                                  record_access_check(ctx, DatasetAccess::kRead));
      items.push_back(json{{"item", response_json(response)}, {"error", nullptr}});
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::kInternal) throw;
      items.push_back(
          json{{"item", nullptr}, {"error", {{"detail", error_detail(e.kind(), e.what())}}}});
    }
  }
  return items_response(std::move(items));
}

}  // namespace

void register_response_routes(Router& r) {
  r.post("/api/v1/records/{record_id}/responses", create_response);
  r.put("/api/v1/responses/{response_id}", update_response);
  r.del("/api/v1/responses/{response_id}", delete_response);
  r.post("/api/v1/me/responses/bulk", bulk_responses);
}

}  // namespace spanloop::server
