// Learning-rate schedules against transformers' formulas.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "ml/train/schedule.h"
#include "support/test_support.h"

namespace spanloop::ml::train {
namespace {

TEST(Schedule, LinearWarmupThenDecayToZero) {
  const Schedule s{ScheduleKind::kLinear, 1.0, 10, 100};
  EXPECT_DOUBLE_EQ(s.lr_at(0), 0.0);
  EXPECT_DOUBLE_EQ(s.lr_at(5), 0.5);
  EXPECT_DOUBLE_EQ(s.lr_at(10), 1.0);
  EXPECT_DOUBLE_EQ(s.lr_at(55), 0.5);
  EXPECT_DOUBLE_EQ(s.lr_at(100), 0.0);
}

TEST(Schedule, CosineAndConstant) {
  const Schedule c{ScheduleKind::kCosine, 2.0, 0, 10};
  EXPECT_DOUBLE_EQ(c.lr_at(0), 2.0);
  EXPECT_NEAR(c.lr_at(5), 1.0, 1e-12);
  EXPECT_NEAR(c.lr_at(10), 0.0, 1e-12);
  EXPECT_NEAR(c.lr_at(3), 2.0 * 0.5 * (1 + std::cos(std::numbers::pi * 0.3)), 1e-12);
  const Schedule k{ScheduleKind::kConstant, 3.0, 4, 10};
  EXPECT_DOUBLE_EQ(k.lr_at(2), 1.5);
  EXPECT_DOUBLE_EQ(k.lr_at(9), 3.0);
}

TEST(Schedule, WarmupStepsRoundUp) {
  EXPECT_EQ(warmup_steps_for(0.1, 20), 2);
  EXPECT_EQ(warmup_steps_for(0.1, 21), 3);
  EXPECT_EQ(warmup_steps_for(0.0, 21), 0);
  EXPECT_EQ(parse_schedule("cosine"), ScheduleKind::kCosine);
  EXPECT_ERROR_KIND(parse_schedule("step"), ErrorKind::kInvalidArgument, "'step'");
}

}  // namespace
}  // namespace spanloop::ml::train
