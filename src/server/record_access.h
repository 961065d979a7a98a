// Loading records, responses and suggestions together with the permission check of their
// dataset (404 before 403), and the caller-dependent response visibility.
#pragma once

#include <string>

#include "server/permissions.h"
#include "store/model.h"

namespace spanloop::server {

class RequestContext;

struct LoadedRecord {
  store::Record record;
  store::Dataset dataset;
};

// The record (404 "Record with id `...` not found") after the dataset access check.
LoadedRecord load_record(RequestContext& ctx, const std::string& record_id, DatasetAccess access,
                         const store::RecordInclude& include = {});

// Annotators see only their own responses; owners and admins of the workspace see all.
void scope_responses_to_caller(RequestContext& ctx, const store::Dataset& dataset,
                               store::RecordInclude& include);

// Record ids from ?ids=a,b,c (repeated parameters too); 422 when empty or more than max.
std::vector<std::string> ids_param(RequestContext& ctx, std::size_t max);

}  // namespace spanloop::server
