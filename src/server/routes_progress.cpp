// Progress and metrics: dataset progress (record statuses), per-user progress and the caller's
// own queue counts, all from the store's counters.
#include "server/context.h"
#include "server/permissions.h"
#include "server/routes.h"
#include "store/store.h"

namespace spanloop::server {
namespace {

using nlohmann::json;

json counts_json(const store::ResponseCounts& c) {
  return json{{"submitted", c.submitted}, {"discarded", c.discarded}, {"draft", c.draft}};
}

json users_json(const std::vector<store::UserProgress>& users) {
  json out = json::array();
  for (const auto& u : users)
    out.push_back(json{{"user_id", u.user_id},
                       {"username", u.username},
                       {"completed", counts_json(u.completed)},
                       {"pending", counts_json(u.pending)}});
  return out;
}

HttpResponse dataset_progress(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kRead);
  auto p = ctx.store().dataset_progress(d.id);
  return json_response(json{{"total", p.total},
                            {"completed", p.completed},
                            {"pending", p.pending},
                            {"users", users_json(ctx.store().users_progress(d.id))}});
}

HttpResponse users_progress(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kRead);
  return json_response(json{{"users", users_json(ctx.store().users_progress(d.id))}});
}

HttpResponse my_metrics(RequestContext& ctx) {
  auto d = load_dataset(ctx, ctx.path_param("dataset_id"), DatasetAccess::kRead);
  auto m = ctx.store().user_metrics(d.id, ctx.user().id);
  return json_response(json{{"responses",
                             {{"total", m.total},
                              {"submitted", m.submitted},
                              {"discarded", m.discarded},
                              {"draft", m.draft},
                              {"pending", m.pending}}}});
}

}  // namespace

void register_progress_routes(Router& r) {
  r.get("/api/v1/datasets/{dataset_id}/progress", dataset_progress);
  r.get("/api/v1/datasets/{dataset_id}/users/progress", users_progress);
  r.get("/api/v1/me/datasets/{dataset_id}/metrics", my_metrics);
}

}  // namespace spanloop::server
