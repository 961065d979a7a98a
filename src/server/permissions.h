// Role and workspace checks shared by every route family (reference §2 "Roles"):
// owner: everything; admin: manage what is in the workspaces they belong to; annotator: read
// datasets of their workspaces and answer records. A missing resource is 404 before any 403.
#pragma once

#include <string>

#include "store/model.h"

namespace spanloop::server {

class RequestContext;

// 403 unless the caller is an owner.
void require_owner(const RequestContext& ctx);
// 403 unless the caller is an owner or an admin (of any workspace; e.g. creating datasets
// before the workspace check).
void require_owner_or_admin(const RequestContext& ctx);

// Owner, or a member of the workspace.
bool is_workspace_member(RequestContext& ctx, const std::string& workspace_id);
// 403 unless owner or member.
void require_workspace_member(RequestContext& ctx, const std::string& workspace_id);
// 403 unless owner, or an admin who is a member.
void require_workspace_admin(RequestContext& ctx, const std::string& workspace_id);

// What the caller wants to do with a dataset.
enum class DatasetAccess {
  kRead,    // O, M: read dataset, settings, records (annotators: through /me)
  kManage,  // O, A: change settings, records, suggestions; read all responses
};

// The workspace or 404 "Workspace with id `...` not found".
store::Workspace load_workspace(RequestContext& ctx, const std::string& workspace_id);
// The dataset (404 when missing) after checking the caller's access to its workspace (403).
store::Dataset load_dataset(RequestContext& ctx, const std::string& dataset_id,
                            DatasetAccess access);
// The same check for a dataset already loaded (e.g. the dataset of a record).
void require_dataset_access(RequestContext& ctx, const store::Dataset& dataset,
                            DatasetAccess access);
// The same check when the caller's membership of the dataset's workspace is already known (read
// with the record: Store::get_record_with_access), so no further store call is made.
void require_dataset_access(const RequestContext& ctx, const store::Dataset& dataset,
                            DatasetAccess access, bool member);

}  // namespace spanloop::server
