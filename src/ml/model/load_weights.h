// Copying checkpoint tensors into a network with every key and shape checked (internal).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ml/io/model_config.h"
#include "ml/io/weight_source.h"
#include "ml/model/networks.h"

namespace spanloop::ml::detail {

struct LoadResult {
  bool head_loaded = false;               // false: the caller initialises a fresh classifier
  std::vector<std::string> ignored_keys;  // unused checkpoint keys outside the encoder
};

// Copies the tensors of `source` into `net` (same dtype on CPU: zero-copy views). The head is
// loaded when the checkpoint has one and `keep_head` is true; a head whose row count differs from
// the network's throws unless keep_head is false.
LoadResult load_weights(TokenClassificationNet& net, const ModelConfig& config,
                        const WeightSource& source, bool keep_head);

}  // namespace spanloop::ml::detail
