// Batch plans: which features form each step, with a seeded shuffle, length grouping (pad to
// the longest in the batch, not to max length) and a distributed split across ranks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spanloop::ml::train {

struct BatchPlanOptions {
  std::size_t batch_size = 8;   // features per micro-batch and rank
  std::size_t world_size = 1;   // ranks; a global batch holds batch_size * world_size
  bool group_by_length = true;  // sort inside mega-batches of 50 global batches by length
  std::uint64_t seed = 42;      // the order depends on (seed, epoch) only
};

// Global batches of one epoch: each is batch_size * world_size feature indices (the last may be
// shorter), longest first within a mega-batch when grouping. Deterministic in (seed, epoch).
std::vector<std::vector<std::size_t>> plan_epoch(const std::vector<std::size_t>& lengths,
                                                 const BatchPlanOptions& options,
                                                 std::uint64_t epoch);

// Rank `rank`'s part of a global batch: a contiguous slice of batch_size (fewer, possibly none,
// in a short last batch).
std::vector<std::size_t> rank_slice(const std::vector<std::size_t>& global, std::size_t batch_size,
                                    std::size_t rank);

// Evaluation order: indices sorted by length (longest first) in batches of batch_size.
std::vector<std::vector<std::size_t>> plan_eval(const std::vector<std::size_t>& lengths,
                                                std::size_t batch_size);

}  // namespace spanloop::ml::train
