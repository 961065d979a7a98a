// Record loading with permission checks shared by the record, response and suggestion routes.
#include "server/record_access.h"

#include <variant>

#include "server/context.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {

LoadedRecord load_record(RequestContext& ctx, const std::string& record_id, DatasetAccess access,
                         const store::RecordInclude& include) {
  // One store read for record, dataset and membership (this runs on every submit).
  auto found = ctx.store().get_record_with_access(record_id, ctx.user().id, include);
  if (!found) throw_not_found("Record with id `" + record_id + "` not found");
  require_dataset_access(ctx, found->dataset, access, found->member);
  return {std::move(found->record), std::move(found->dataset), found->member};
}

store::Dataset check_record_access(RequestContext& ctx, const std::string& record_id,
                                   DatasetAccess access) {
  auto found = ctx.store().get_record_dataset(record_id, ctx.user().id);
  if (!found) throw_not_found("Record with id `" + record_id + "` not found");
  require_dataset_access(ctx, found->dataset, access, found->member);
  return std::move(found->dataset);
}

store::RecordAccessCheck record_access_check(const RequestContext& ctx, DatasetAccess access) {
  return [&ctx, access](const store::Dataset& dataset, bool member) {
    require_dataset_access(ctx, dataset, access, member);
  };
}

void scope_responses_to_caller(RequestContext& ctx, const store::Dataset& dataset,
                               store::RecordInclude& include) {
  const auto& user = ctx.user();
  bool sees_all =
      user.role == store::Role::kOwner ||
      (user.role == store::Role::kAdmin && is_workspace_member(ctx, dataset.workspace_id));
  if (!sees_all) include.responses_user_id = user.id;
}

std::set<std::string> hidden_metadata_properties(RequestContext& ctx,
                                                 const std::string& dataset_id) {
  std::set<std::string> hidden;
  if (ctx.user().role != store::Role::kAnnotator) return hidden;
  for (const auto& p : ctx.store().list_metadata_properties(dataset_id))
    if (!p.visible_for_annotators) hidden.insert(p.name);
  return hidden;
}

void strip_hidden_metadata(store::Record& record, const std::set<std::string>& hidden) {
  for (const auto& name : hidden) record.metadata.erase(name);
}

void refuse_hidden_metadata_scopes(const store::SearchQuery& query,
                                   const std::set<std::string>& hidden) {
  if (hidden.empty()) return;
  auto check = [&](const store::FilterScope& scope) {
    if (scope.entity == store::ScopeEntity::kMetadata && hidden.count(scope.metadata_property))
      throw_invalid("metadata property '" + scope.metadata_property + "' not found in dataset");
  };
  for (const auto& f : query.filters)
    std::visit([&](const auto& filter) { check(filter.scope); }, f);
  for (const auto& s : query.sort) check(s.scope);
}

std::vector<std::string> ids_param(RequestContext& ctx, std::size_t max) {
  std::vector<std::string> ids;
  for (const auto& raw : ctx.query_all("ids")) {
    std::size_t pos = 0;
    while (pos <= raw.size()) {
      const std::size_t comma = raw.find(',', pos);
      std::string id =
          raw.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (!id.empty()) ids.push_back(std::move(id));
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  if (ids.empty()) throw_invalid("query parameter `ids` must name at least one id");
  if (ids.size() > max)
    throw_invalid("query parameter `ids` names " + std::to_string(ids.size()) + " ids; at most " +
                  std::to_string(max) + " are allowed per request");
  return ids;
}

}  // namespace spanloop::server
