// The CPU block cache: large blocks come back for the next tensor of (about) the same size,
// contents are the tensor's own, and ATen's raw_allocate path works for large and small blocks.
#include "ml/infer/cpu_block_cache.h"

#include <ATen/ATen.h>
#include <c10/core/CPUAllocator.h>
#include <gtest/gtest.h>

namespace spanloop::ml {
namespace {

TEST(CpuBlockCache, ReusesLargeBlocksAndKeepsResultsExact) {
  install_cpu_block_cache(std::size_t{64} << 20);
  install_cpu_block_cache(std::size_t{1} << 20);  // once only: the first limit stays
  const void* first = nullptr;
  {
    const auto a = at::full({1024, 1024}, 2.0f);  // 4 MiB
    first = a.data_ptr();
  }
  const auto b = at::full({1024, 1000}, 3.0f);  // 3.9 MiB: same block, its own values
  EXPECT_EQ(b.data_ptr(), first);
  EXPECT_EQ(b.sum().item<double>(), 3.0 * 1024 * 1000);
  const auto c = at::full({1024, 1024}, 1.0f);  // the block is taken: another one
  EXPECT_NE(c.data_ptr(), first);
  const auto d = at::matmul(b.t(), c.narrow(1, 0, 8));
  EXPECT_EQ(d.sum().item<double>(), 3.0 * 1024 * 1000 * 8);
}

TEST(CpuBlockCache, RawAllocateRoundTripsLargeAndSmall) {
  install_cpu_block_cache(std::size_t{64} << 20);
  c10::Allocator* alloc = c10::GetCPUAllocator();
  for (const std::size_t n : {std::size_t{100}, std::size_t{3} << 20}) {
    void* p = alloc->raw_allocate(n);
    ASSERT_NE(p, nullptr);
    static_cast<char*>(p)[n - 1] = 1;
    alloc->raw_deallocate(p);
  }
}

}  // namespace
}  // namespace spanloop::ml
