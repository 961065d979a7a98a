// Warmup + decay multipliers, same formulas as transformers' schedulers (LambdaLR).
#include "ml/train/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "text/error.h"

namespace spanloop::ml::train {

ScheduleKind parse_schedule(const std::string& name) {
  if (name == "linear") return ScheduleKind::kLinear;
  if (name == "cosine") return ScheduleKind::kCosine;
  if (name == "constant") return ScheduleKind::kConstant;
  throw_invalid("unknown scheduler '" + name + "' (linear, cosine, constant)");
}

std::int64_t warmup_steps_for(double ratio, std::int64_t total_steps) {
  return static_cast<std::int64_t>(std::ceil(ratio * static_cast<double>(total_steps)));
}

double Schedule::lr_at(std::int64_t step) const {
  const auto d = [](std::int64_t v) { return static_cast<double>(v); };
  if (step < warmup_steps) return peak_lr * d(step) / d(std::max<std::int64_t>(1, warmup_steps));
  const double span = d(std::max<std::int64_t>(1, total_steps - warmup_steps));
  const double progress = d(step - warmup_steps) / span;
  switch (kind) {
    case ScheduleKind::kConstant:
      return peak_lr;
    case ScheduleKind::kLinear:
      return peak_lr * std::max(0.0, d(total_steps - step) / span);
    case ScheduleKind::kCosine:
      return peak_lr * std::max(0.0, 0.5 * (1.0 + std::cos(std::numbers::pi * progress)));
  }
  return peak_lr;
}

}  // namespace spanloop::ml::train
