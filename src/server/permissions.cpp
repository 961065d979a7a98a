// Role and workspace-membership checks.
#include "server/permissions.h"

#include "server/context.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {
namespace {

[[noreturn]] void deny(const RequestContext& ctx, const std::string& what) {
  throw Error(ErrorKind::kPermissionDenied, "user `" + ctx.user().username + "` (role " +
                                                std::string(store::to_string(ctx.user().role)) +
                                                ") is not allowed to " + what);
}

}  // namespace

void require_owner(const RequestContext& ctx) {
  if (!ctx.is_owner()) deny(ctx, "do this; only owners can");
}

void require_owner_or_admin(const RequestContext& ctx) {
  if (ctx.user().role == store::Role::kAnnotator) deny(ctx, "do this; only owners and admins can");
}

bool is_workspace_member(RequestContext& ctx, const std::string& workspace_id) {
  return ctx.is_owner() || ctx.store().is_workspace_member(workspace_id, ctx.user().id);
}

void require_workspace_member(RequestContext& ctx, const std::string& workspace_id) {
  if (!is_workspace_member(ctx, workspace_id)) {
    deny(ctx, "access workspace `" + workspace_id + "`: not a member");
  }
}

void require_workspace_admin(RequestContext& ctx, const std::string& workspace_id) {
  if (ctx.is_owner()) return;
  if (ctx.user().role != store::Role::kAdmin) {
    deny(ctx, "manage workspace `" + workspace_id + "`; only owners and its admins can");
  }
  if (!ctx.store().is_workspace_member(workspace_id, ctx.user().id)) {
    deny(ctx, "manage workspace `" + workspace_id + "`: not a member");
  }
}

store::Workspace load_workspace(RequestContext& ctx, const std::string& workspace_id) {
  auto w = ctx.store().get_workspace(workspace_id);
  if (!w) throw_not_found("Workspace with id `" + workspace_id + "` not found");
  return *w;
}

void require_dataset_access(RequestContext& ctx, const store::Dataset& dataset,
                            DatasetAccess access) {
  if (access == DatasetAccess::kRead) {
    require_workspace_member(ctx, dataset.workspace_id);
  } else {
    require_workspace_admin(ctx, dataset.workspace_id);
  }
}

void require_dataset_access(const RequestContext& ctx, const store::Dataset& dataset,
                            DatasetAccess access, bool member) {
  // The same rules and messages as require_workspace_member / require_workspace_admin.
  if (ctx.is_owner()) return;
  const std::string& workspace_id = dataset.workspace_id;
  if (access == DatasetAccess::kRead) {
    if (!member) deny(ctx, "access workspace `" + workspace_id + "`: not a member");
    return;
  }
  if (ctx.user().role != store::Role::kAdmin)
    deny(ctx, "manage workspace `" + workspace_id + "`; only owners and its admins can");
  if (!member) deny(ctx, "manage workspace `" + workspace_id + "`: not a member");
}

store::Dataset load_dataset(RequestContext& ctx, const std::string& dataset_id,
                            DatasetAccess access) {
  auto d = ctx.store().get_dataset(dataset_id);
  if (!d) throw_not_found("Dataset with id `" + dataset_id + "` not found");
  require_dataset_access(ctx, *d, access);
  return *d;
}

}  // namespace spanloop::server
