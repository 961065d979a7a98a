// Synthetic patent-claim text for store benchmarks: Zipf-distributed words from a claim
// vocabulary, with some non-ASCII (κ, µm, °C, ≤), deterministic for a seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace spanloop::bench {

class ClaimText {
 public:
  explicit ClaimText(std::uint64_t seed);
  // About `words` words, starting "A <noun> comprising".
  std::string claim(int words);
  // A word of the vocabulary by rank (0 = most frequent).
  const std::string& word(std::size_t rank) const { return vocab_[rank % vocab_.size()]; }
  std::size_t vocabulary_size() const { return vocab_.size(); }

 private:
  std::vector<std::string> vocab_;
  std::discrete_distribution<std::size_t> zipf_;
  std::mt19937_64 rng_;
};

}  // namespace spanloop::bench
