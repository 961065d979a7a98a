// BlockCache: free large CPU blocks kept by size in a multimap; the previous CPU allocator does
// the actual allocating and freeing.
#include "ml/infer/cpu_block_cache.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>

#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace spanloop::ml {
namespace {

constexpr std::size_t kMinBlock = std::size_t{1} << 20;
constexpr std::size_t kGranule = std::size_t{256} << 10;  // sizes rounded up, so near sizes share

class BlockCache final : public c10::Allocator {
 public:
  BlockCache(c10::Allocator* base, std::size_t max_cached) : base_(base), max_cached_(max_cached) {}

  // The context is the data pointer itself (ATen's raw_allocate requires that), so the deleter
  // finds the block through in_use_.
  c10::DataPtr allocate(std::size_t n) const override {
    if (n < kMinBlock) return base_->allocate(n);
    const std::size_t size = (n + kGranule - 1) / kGranule * kGranule;
    std::unique_ptr<Block> block = take(size);
    if (!block) block = std::make_unique<Block>(Block{base_->allocate(size), size});
    void* data = block->data.get();
    {
      std::lock_guard lock(mutex_);
      in_use_.emplace(data, std::move(block));
    }
    return {data, data, &BlockCache::release, c10::Device(c10::DeviceType::CPU)};
  }

  c10::DeleterFnPtr raw_deleter() const override { return &BlockCache::release; }

  static inline BlockCache* instance = nullptr;

 private:
  // The base allocator's DataPtr lives as long as the block: destroying it frees the memory.
  struct Block {
    c10::DataPtr data;
    std::size_t size;
  };

  // The smallest free block that fits, unless it is more than a quarter too big.
  std::unique_ptr<Block> take(std::size_t size) const {
    std::lock_guard lock(mutex_);
    const auto it = free_.lower_bound(size);
    if (it == free_.end() || it->first > size + size / 4) return nullptr;
    auto block = std::move(it->second);
    free_.erase(it);
    cached_ -= block->size;
    return block;
  }

  // Large blocks go back to the cache (or, over its limit, to the base allocator); anything
  // else came from the base allocator (small blocks through raw_allocate).
  static void release(void* data) {
    BlockCache& self = *instance;
    std::unique_ptr<Block> block;
    {
      std::lock_guard lock(self.mutex_);
      const auto it = self.in_use_.find(data);
      if (it != self.in_use_.end()) {
        block = std::move(it->second);
        self.in_use_.erase(it);
        if (self.cached_ + block->size <= self.max_cached_) {
          self.cached_ += block->size;
          self.free_.emplace(block->size, std::move(block));
          return;
        }
      }
    }
    if (!block) self.base_->raw_deleter()(data);
    // else: block's DataPtr frees it on the way out
  }

  c10::Allocator* base_;
  std::size_t max_cached_;
  mutable std::mutex mutex_;
  mutable std::multimap<std::size_t, std::unique_ptr<Block>> free_;
  mutable std::unordered_map<void*, std::unique_ptr<Block>> in_use_;
  mutable std::size_t cached_ = 0;
};

}  // namespace

void install_cpu_block_cache(std::size_t max_cached_bytes) {
  static std::once_flag once;
  std::call_once(once, [&] {
    c10::Allocator* base = c10::GetCPUAllocator();
    // Small blocks freed through raw_deleter go back to the base allocator's; without one, keep
    // the base allocator as it is.
    if (base->raw_deleter() == nullptr) return;
    // Never destroyed: tensors may be freed during static destruction, after any local owner.
    BlockCache::instance = new BlockCache(base, max_cached_bytes);
    c10::SetCPUAllocator(BlockCache::instance, /*priority=*/0);
  });
}

}  // namespace spanloop::ml
