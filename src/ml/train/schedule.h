// Learning-rate schedules with linear warmup (transformers' get_*_schedule_with_warmup).
#pragma once

#include <cstdint>
#include <string>

namespace spanloop::ml::train {

enum class ScheduleKind { kLinear, kCosine, kConstant };
ScheduleKind parse_schedule(const std::string& name);  // linear|cosine|constant

struct Schedule {
  ScheduleKind kind = ScheduleKind::kLinear;
  double peak_lr = 5e-5;
  std::int64_t warmup_steps = 0;
  std::int64_t total_steps = 1;
  // Learning rate for optimizer step `step` (0-based: the rate the step-th update uses).
  double lr_at(std::int64_t step) const;
};

// warmup_steps = ceil(ratio * total), as transformers' get_warmup_steps.
std::int64_t warmup_steps_for(double ratio, std::int64_t total_steps);

}  // namespace spanloop::ml::train
