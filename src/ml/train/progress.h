// Progress of a training run: what observers get after every optimizer step, and the console
// reporter (a redrawn bar on a terminal, plain lines otherwise).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace spanloop::ml::train {

struct TrainProgress {
  std::int64_t step = 0;  // optimizer steps done
  std::int64_t total_steps = 0;
  int epoch = 0;  // 0-based epoch the step belongs to
  int epochs = 0;
  double loss = 0;                // mean token loss of the last step
  double learning_rate = 0;       // rate the last step used
  double samples_per_second = 0;  // since the start (or resume) of this run
  double eta_seconds = 0;
};

class ConsoleProgress {
 public:
  // tty: draw a bar with \r (else print a line every `every` steps).
  ConsoleProgress(std::FILE* out, bool tty, std::int64_t every);
  void update(const TrainProgress& p);
  // Plain-line cadence (the trainer sets its logging interval).
  void set_every(std::int64_t every) { every_ = every < 1 ? 1 : every; }
  // A full line (eval results, notes), never mixed into the bar.
  void line(const std::string& text);

 private:
  std::FILE* out_;
  bool tty_;
  std::int64_t every_;
  bool bar_open_ = false;
};

// "1h02m03s" / "4m05s" / "7s".
std::string format_duration(double seconds);

}  // namespace spanloop::ml::train
