// `spanloop train` as a library call (no libtorch in this header): launches local workers for
// --nproc-per-node, joins a process group from the launcher environment, loads data and model,
// trains, writes outputs and pushes to the Hub.
#pragma once

#include "ml/train/train_options.h"

namespace spanloop::ml::train {

// Validated options in; exit code out (0 done, 130 interrupted by SIGINT/SIGTERM after saving
// a checkpoint). Errors throw spanloop::Error.
int run_train_command(const TrainOptions& options);

}  // namespace spanloop::ml::train
