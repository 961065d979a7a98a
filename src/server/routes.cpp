// The one list of route families.
#include "server/routes.h"

namespace spanloop::server {

void register_all_routes(Router& router) {
  register_status_routes(router);
  register_user_routes(router);
  register_workspace_routes(router);
  register_dataset_routes(router);
  register_field_routes(router);
  register_metadata_routes(router);
  register_record_routes(router);
  register_search_routes(router);
  register_response_routes(router);
  register_suggestion_routes(router);
  register_progress_routes(router);
  register_dataio_routes(router);
}

}  // namespace spanloop::server
