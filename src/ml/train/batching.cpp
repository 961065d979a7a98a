// Seeded, length-grouped batch plans (the idea of transformers' LengthGroupedSampler).
#include "ml/train/batching.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace spanloop::ml::train {

std::vector<std::vector<std::size_t>> plan_epoch(const std::vector<std::size_t>& lengths,
                                                 const BatchPlanOptions& o, std::uint64_t epoch) {
  const std::size_t global = std::max<std::size_t>(1, o.batch_size * o.world_size);
  std::vector<std::size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  // One generator per (seed, epoch): a resumed run rebuilds the same order without state.
  std::mt19937_64 rng(o.seed * 1000003ULL + epoch);
  std::shuffle(order.begin(), order.end(), rng);
  if (o.group_by_length) {
    const std::size_t mega = global * 50;
    for (std::size_t b = 0; b < order.size(); b += mega) {
      auto end = order.begin() + static_cast<long>(std::min(order.size(), b + mega));
      std::stable_sort(order.begin() + static_cast<long>(b), end,
                       [&](std::size_t x, std::size_t y) { return lengths[x] > lengths[y]; });
    }
  }
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t b = 0; b < order.size(); b += global)
    batches.emplace_back(order.begin() + static_cast<long>(b),
                         order.begin() + static_cast<long>(std::min(order.size(), b + global)));
  if (o.group_by_length && batches.size() > 1) {
    // Shuffle batch order too, so long batches are not all at mega-batch starts.
    std::shuffle(batches.begin(), batches.end(), rng);
  }
  return batches;
}

std::vector<std::size_t> rank_slice(const std::vector<std::size_t>& global, std::size_t batch_size,
                                    std::size_t rank) {
  const std::size_t b = std::min(global.size(), rank * batch_size);
  const std::size_t e = std::min(global.size(), b + batch_size);
  return {global.begin() + static_cast<long>(b), global.begin() + static_cast<long>(e)};
}

std::vector<std::vector<std::size_t>> plan_eval(const std::vector<std::size_t>& lengths,
                                                std::size_t batch_size) {
  std::vector<std::size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return lengths[x] > lengths[y]; });
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t b = 0; b < order.size(); b += batch_size)
    batches.emplace_back(order.begin() + static_cast<long>(b),
                         order.begin() + static_cast<long>(std::min(order.size(), b + batch_size)));
  return batches;
}

}  // namespace spanloop::ml::train
