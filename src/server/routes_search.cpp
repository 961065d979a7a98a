// Record search: the admin variant (responses of anyone) and the /me variant (the caller's
// responses, the caller's shuffled queue order), plus the suggestion agents for the UI filter.
#include <cstdint>

#include "server/context.h"
#include "server/json_records.h"
#include "server/permissions.h"
#include "server/record_access.h"
#include "server/routes.h"
#include "store/store.h"

namespace spanloop::server {
namespace {

HttpResponse search(RequestContext& ctx, bool me) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"),
                        me ? DatasetAccess::kRead : DatasetAccess::kManage);
  store::SearchQuery q;
  q.dataset_id = d.id;
  q.offset = ctx.query_int("offset", 0, 0, INT64_MAX);
  q.limit = ctx.query_int("limit", 50, 1, 1000);
  q.include = record_include_from_params(ctx.query_all("include"));
  search_body_into(ctx.request().body.empty() ? json::object() : ctx.json_object(), q);
  if (auto cursor = ctx.query("cursor")) q.cursor = *cursor;
  if (me) {
    // Response filters and the pending tab are about the caller; without a sort the caller gets
    // their own deterministic order, so annotators do not collide (reference §3.9).
    q.user_id = ctx.user().id;
    q.shuffle = q.sort.empty();
    q.include.responses_user_id = ctx.user().id;
  }
  // Annotators neither see nor filter or sort on metadata hidden from them.
  const auto hidden = hidden_metadata_properties(ctx, d.id);
  refuse_hidden_metadata_scopes(q, hidden);
  auto result = ctx.store().search(q);
  for (auto& hit : result.items) strip_hidden_metadata(hit.record, hidden);
  return json_text_response(search_result_json(result, true));
}

HttpResponse suggestion_options(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kRead);
  json items = json::array();
  for (const auto& qa : ctx.store().suggestion_agents(d.id))
    items.push_back(json{{"question", {{"id", qa.question_id}, {"name", qa.question_name}}},
                         {"agents", qa.agents}});
  return items_response(std::move(items));
}

}  // namespace

void register_search_routes(Router& r) {
  r.post("/api/v1/datasets/{dataset_id}/records/search",
         [](RequestContext& c) { return search(c, false); });
  r.post("/api/v1/me/datasets/{dataset_id}/records/search",
         [](RequestContext& c) { return search(c, true); });
  r.get("/api/v1/datasets/{dataset_id}/records/search/suggestions/options", suggestion_options);
}

}  // namespace spanloop::server
