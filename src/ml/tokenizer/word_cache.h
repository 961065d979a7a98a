// A bounded, thread-safe cache of a model's output per word, as tokenizers' models keep: text
// repeats its words, and running BPE merges or the Unigram lattice is the expensive part.
#pragma once

#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ml/tokenizer/vocab.h"

namespace spanloop::ml::tok {

template <typename Value>
class WordCache {
 public:
  // Lookups and inserts never wait: a contended cache is skipped, not queued on.
  std::optional<Value> find(std::string_view word) const {
    std::shared_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return std::nullopt;
    const auto it = map_.find(word);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  // Calls fn(value) under the lock when `word` is cached, without copying the value out.
  template <typename Fn>
  bool visit(std::string_view word, Fn&& fn) const {
    std::shared_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return false;
    const auto it = map_.find(word);
    if (it == map_.end()) return false;
    fn(it->second);
    return true;
  }
  void insert(std::string_view word, Value value) const {
    if (word.size() >= kMaxWordBytes) return;
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (lock.owns_lock() && map_.size() < kCapacity) map_.emplace(word, std::move(value));
  }

 private:
  static constexpr std::size_t kCapacity = 10000;
  static constexpr std::size_t kMaxWordBytes = 256;
  mutable std::shared_mutex mutex_;
  // Not noexcept on purpose: libstdc++ then stores each key's hash in its node, so a lookup
  // compares hashes before strings and never rehashes the keys of neighbouring nodes.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::unordered_map<std::string, Value, KeyHash, std::equal_to<>> map_;
};

}  // namespace spanloop::ml::tok
