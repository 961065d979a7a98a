// Console progress: a bar on terminals, one line per logging step in logs and pipes.
#include "ml/train/progress.h"

#include <cmath>

namespace spanloop::ml::train {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm%02lds", s / 3600, (s / 60) % 60, s % 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", s);
  }
  return buf;
}

ConsoleProgress::ConsoleProgress(std::FILE* out, bool tty, std::int64_t every)
    : out_(out), tty_(tty), every_(every < 1 ? 1 : every) {}

void ConsoleProgress::update(const TrainProgress& p) {
  if (tty_) {
    const int width = 30;
    const double frac =
        p.total_steps > 0 ? static_cast<double>(p.step) / static_cast<double>(p.total_steps) : 0.0;
    const int filled = static_cast<int>(frac * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    std::fprintf(out_,
                 "\r[%s] %3.0f%% epoch %d/%d step %lld/%lld loss %.4f lr %.2e %.1f samples/s "
                 "ETA %s   ",
                 bar.c_str(), frac * 100, p.epoch + 1, p.epochs, static_cast<long long>(p.step),
                 static_cast<long long>(p.total_steps), p.loss, p.learning_rate,
                 p.samples_per_second, format_duration(p.eta_seconds).c_str());
    std::fflush(out_);
    bar_open_ = true;
  } else if (p.step % every_ == 0 || p.step == p.total_steps) {
    std::fprintf(out_, "epoch %d/%d step %lld/%lld loss %.4f lr %.3e %.2f samples/s eta %s\n",
                 p.epoch + 1, p.epochs, static_cast<long long>(p.step),
                 static_cast<long long>(p.total_steps), p.loss, p.learning_rate,
                 p.samples_per_second, format_duration(p.eta_seconds).c_str());
    std::fflush(out_);
  }
}

void ConsoleProgress::line(const std::string& text) {
  if (bar_open_) std::fputc('\n', out_);
  bar_open_ = false;
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

}  // namespace spanloop::ml::train
