// Route families. Each routes_<family>.cpp defines one register function; routes.cpp calls them
// all, in one list (add a line there for a new family).
#pragma once

#include "server/router.h"

namespace spanloop::server {

void register_status_routes(Router& router);      // status, version, settings, token, me
void register_user_routes(Router& router);        // users and their API keys
void register_workspace_routes(Router& router);   // workspaces and their members
void register_dataset_routes(Router& router);     // datasets, publish
void register_field_routes(Router& router);       // fields and questions
void register_metadata_routes(Router& router);    // metadata properties and vector settings
void register_record_routes(Router& router);      // records: bulk, list, get, patch, delete
void register_search_routes(Router& router);      // record search (admin and /me), agents
void register_response_routes(Router& router);    // responses and /me/responses/bulk
void register_suggestion_routes(Router& router);  // suggestions
void register_progress_routes(Router& router);    // progress, users progress, /me metrics
void register_dataio_routes(Router& router);      // export, import, agreement

// Every family above; App calls this once.
void register_all_routes(Router& router);

}  // namespace spanloop::server
