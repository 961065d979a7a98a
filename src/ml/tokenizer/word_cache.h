// A bounded, thread-safe cache of a model's output per word, as tokenizers' models keep: text
// repeats its words, and running BPE merges or the Unigram lattice is the expensive part.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spanloop::ml::tok {

template <typename Value>
class WordCache {
 public:
  WordCache() : slots_(kSlots, 0) { entries_.reserve(kCapacity); }

  // Lookups and inserts never wait: a contended cache is skipped, not queued on.
  std::optional<Value> find(std::string_view word) const {
    std::optional<Value> out;
    visit(word, [&](const Value& v) { out = v; });
    return out;
  }
  // Calls fn(value) under the lock when `word` is cached, without copying the value out.
  template <typename Fn>
  bool visit(std::string_view word, Fn&& fn) const {
    std::shared_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return false;
    const auto* entry = lookup(word, hash(word));
    if (!entry) return false;
    fn(entry->second);
    return true;
  }
  void insert(std::string_view word, Value value) const {
    if (word.size() >= kMaxWordBytes) return;
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || entries_.size() >= kCapacity) return;
    const auto h = hash(word);
    if (lookup(word, h)) return;
    std::size_t i = h & (kSlots - 1);
    while (slots_[i] != 0) i = (i + 1) & (kSlots - 1);
    entries_.emplace_back(std::string(word), std::move(value));
    slots_[i] = (h & kTagMask) | entries_.size();  // entry index + 1, never 0
  }

 private:
  // Open addressing over a power-of-two slot array at most ~60 % full: each slot holds the
  // high bits of the word's hash and its entry's index, so a lookup touches one slot and the
  // matching entry, not a chain of nodes.
  static constexpr std::size_t kCapacity = 10000;
  static constexpr std::size_t kSlots = 16384;
  static constexpr std::uint64_t kTagMask = ~std::uint64_t{0xFFFFFFFF};
  static constexpr std::size_t kMaxWordBytes = 256;

  static std::uint64_t hash(std::string_view word) {
    return static_cast<std::uint64_t>(std::hash<std::string_view>{}(word));
  }
  const std::pair<std::string, Value>* lookup(std::string_view word, std::uint64_t h) const {
    for (std::size_t i = h & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
      const auto slot = slots_[i];
      if (slot == 0) return nullptr;
      if ((slot & kTagMask) == (h & kTagMask)) {
        const auto& entry = entries_[(slot & 0xFFFFFFFF) - 1];
        if (entry.first == word) return &entry;
      }
    }
  }

  mutable std::shared_mutex mutex_;
  mutable std::vector<std::uint64_t> slots_;
  mutable std::vector<std::pair<std::string, Value>> entries_;
};

}  // namespace spanloop::ml::tok
