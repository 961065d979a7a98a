// The training loop: AdamW + warmup schedule, accumulation, clipping, mixed precision, data
// parallelism, evaluation, best checkpoint, early stopping and exact resume.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ml/tokenizer/tokenizer.h"
#include "ml/train/distributed.h"
#include "ml/train/progress.h"
#include "ml/train/run_outputs.h"
#include "ml/train/train_data.h"
#include "ml/train/train_options.h"
#include "ml/train/trainable_model.h"

namespace spanloop::ml::train {

struct TrainSummary {
  std::int64_t steps = 0;
  int epochs_done = 0;
  double best_f1 = -1;          // -1: never evaluated
  std::string best_checkpoint;  // directory
  bool interrupted = false;     // stopped by a signal or an observer
  bool early_stopped = false;
  double wall_seconds = 0;
  double samples_per_second = 0;    // training samples (windows) per second
  double tokens_per_second = 0;     // real (unpadded) tokens per second
  std::vector<double> step_losses;  // mean token loss of every step run in this call
  std::int64_t first_step = 0;      // steps already done before this call (resume)
};

// Return false to stop: the trainer saves a checkpoint and returns (interrupted = true).
using TrainObserver = std::function<bool(const TrainProgress&)>;

class Trainer {
 public:
  // `group` null: single process. The model must live on the options' device already.
  Trainer(TrainOptions options, TrainData data, Tokenizer tokenizer, TrainableModel model,
          std::shared_ptr<ProcessGroup> group = nullptr);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  void set_observer(TrainObserver observer);
  // Console output (rank 0 only); null: quiet.
  void set_console(ConsoleProgress* console);
  // Set to non-zero from a signal handler: the loop checkpoints after the current step, returns.
  static std::atomic<int>& stop_flag();

  // Runs (or, with options.resume_from_checkpoint, continues) training and writes the outputs.
  TrainSummary train();
  // Scores the current model on the validation data.
  EvalResult evaluate();

  std::int64_t total_steps() const;
  std::size_t train_features() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spanloop::ml::train
