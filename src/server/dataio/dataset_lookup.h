// Finds a dataset by name (and workspace name), as the offline CLI names datasets.
#pragma once

#include <optional>
#include <string>

#include "store/store.h"

namespace spanloop::dataio {

// kNotFound when no dataset (or workspace) has that name; kInvalidArgument when the name exists
// in several workspaces and no workspace is given.
store::Dataset find_dataset(store::Store& store, const std::string& name,
                            const std::optional<std::string>& workspace_name = std::nullopt);

}  // namespace spanloop::dataio
