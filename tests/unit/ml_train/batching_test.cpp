// Batch plans: coverage, determinism, length grouping, rank slices.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "ml/train/batching.h"

namespace spanloop::ml::train {
namespace {

std::vector<std::size_t> lengths(std::size_t n) {
  std::vector<std::size_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = 5 + (i * 37) % 60;
  return v;
}

TEST(Batching, EveryFeatureOnceAndDeterministic) {
  const auto len = lengths(103);
  const BatchPlanOptions o{8, 1, true, 42};
  const auto a = plan_epoch(len, o, 0);
  EXPECT_EQ(a, plan_epoch(len, o, 0));
  EXPECT_NE(a, plan_epoch(len, o, 1));
  std::multiset<std::size_t> seen;
  for (const auto& b : a) {
    EXPECT_LE(b.size(), 8u);
    seen.insert(b.begin(), b.end());
  }
  EXPECT_EQ(seen.size(), 103u);
  EXPECT_EQ(std::set<std::size_t>(seen.begin(), seen.end()).size(), 103u);
}

TEST(Batching, LengthGroupingReducesPadding) {
  const auto len = lengths(800);
  auto padded = [&](const std::vector<std::vector<std::size_t>>& plan) {
    std::size_t pad = 0;
    for (const auto& b : plan) {
      std::size_t m = 0;
      for (auto i : b) m = std::max(m, len[i]);
      for (auto i : b) pad += m - len[i];
    }
    return pad;
  };
  const auto grouped = plan_epoch(len, {16, 1, true, 1}, 0);
  const auto random = plan_epoch(len, {16, 1, false, 1}, 0);
  EXPECT_LT(padded(grouped) * 4, padded(random));
}

TEST(Batching, RankSlicesPartitionAGlobalBatch) {
  const auto plan = plan_epoch(lengths(30), {4, 2, true, 3}, 0);
  for (const auto& g : plan) {
    auto r0 = rank_slice(g, 4, 0), r1 = rank_slice(g, 4, 1);
    std::vector<std::size_t> joined = r0;
    joined.insert(joined.end(), r1.begin(), r1.end());
    EXPECT_EQ(joined, g);
  }
  // 30 = 3 full global batches of 8 and one of 6: rank 1 gets 2 there.
  EXPECT_EQ(plan.size(), 4u);
}

TEST(Batching, EvalPlanLongestFirst) {
  const auto len = lengths(10);
  const auto plan = plan_eval(len, 3);
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_GE(len[plan[0][0]], len[plan[3][0]]);
}

}  // namespace
}  // namespace spanloop::ml::train
