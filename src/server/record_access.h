// Loading records, responses and suggestions together with the permission check of their
// dataset (404 before 403), and the caller-dependent response visibility.
#pragma once

#include <set>
#include <string>

#include "server/permissions.h"
#include "store/model.h"
#include "store/search.h"
#include "store/store.h"

namespace spanloop::server {

class RequestContext;

struct LoadedRecord {
  store::Record record;
  store::Dataset dataset;
  bool member = false;  // the caller belongs to the dataset's workspace
};

// The record (404 "Record with id `...` not found") after the dataset access check.
LoadedRecord load_record(RequestContext& ctx, const std::string& record_id, DatasetAccess access,
                         const store::RecordInclude& include = {});

// The record's dataset after the same checks, without loading the record (404 "Record with id
// `...` not found", then 403): for routes that only write to the record, like submits.
store::Dataset check_record_access(RequestContext& ctx, const std::string& record_id,
                                   DatasetAccess access);

// The same checks (after the store found the record) as a store::RecordAccessCheck, which a
// response write runs inside its transaction instead of a separate read.
store::RecordAccessCheck record_access_check(const RequestContext& ctx, DatasetAccess access);

// Annotators see only their own responses; owners and admins of the workspace see all.
void scope_responses_to_caller(RequestContext& ctx, const store::Dataset& dataset,
                               store::RecordInclude& include);

// The names of the dataset's metadata properties the caller may not see: for annotators, those
// with visible_for_annotators = false (reference §2 "Roles"); none for owners and admins.
std::set<std::string> hidden_metadata_properties(RequestContext& ctx,
                                                 const std::string& dataset_id);
// Drops the hidden keys from a record's metadata before it is answered.
void strip_hidden_metadata(store::Record& record, const std::set<std::string>& hidden);
// A filter or sort on a hidden property is refused exactly like one on a property that does not
// exist (422), so that an annotator learns neither its values nor that it exists.
void refuse_hidden_metadata_scopes(const store::SearchQuery& query,
                                   const std::set<std::string>& hidden);

// Record ids from ?ids=a,b,c (repeated parameters too); 422 when empty or more than max.
std::vector<std::string> ids_param(RequestContext& ctx, std::size_t max);

}  // namespace spanloop::server
