// --push-to-hub: uploads the output directory (model, tokenizer, card, metrics, TensorBoard
// runs; not the checkpoints) to the Hub as <username>/<project folder name>.
#pragma once

#include <string>

namespace spanloop::ml::train {

struct TrainOptions;

// True when this build has the Hub client (src/ml/hub).
bool hub_push_available();
// Returns the commit URL. Throws what the Hub client throws (Unauthenticated, Unavailable, ...).
std::string push_outputs_to_hub(const TrainOptions& options);

}  // namespace spanloop::ml::train
