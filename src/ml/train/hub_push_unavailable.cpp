// Built when the Hub client (src/ml/hub) is absent.
#include "ml/train/hub_push.h"
#include "text/error.h"

namespace spanloop::ml::train {

bool hub_push_available() {
  return false;
}

std::string push_outputs_to_hub(const TrainOptions&) {
  throw Error(ErrorKind::kFailedPrecondition, "--push-to-hub: this build has no Hub client");
}

}  // namespace spanloop::ml::train
