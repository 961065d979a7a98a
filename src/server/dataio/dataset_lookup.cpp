// find_dataset: name lookups over the store's dataset filter.
#include "server/dataio/dataset_lookup.h"

#include "text/error.h"

namespace spanloop::dataio {

store::Dataset find_dataset(store::Store& store, const std::string& name,
                            const std::optional<std::string>& workspace_name) {
  store::DatasetFilter filter;
  filter.name = name;
  if (workspace_name) {
    auto ws = store.get_workspace_by_name(*workspace_name);
    if (!ws) throw_not_found("workspace `" + *workspace_name + "` not found");
    filter.workspace_id = ws->id;
  }
  std::vector<store::Dataset> found = store.list_datasets(filter);
  if (found.empty())
    throw_not_found("dataset `" + name + "` not found" +
                    (workspace_name ? " in workspace `" + *workspace_name + "`" : std::string()));
  if (found.size() > 1)
    throw_invalid("dataset `" + name + "` exists in " + std::to_string(found.size()) +
                  " workspaces; name one with --workspace");
  return found.front();
}

}  // namespace spanloop::dataio
