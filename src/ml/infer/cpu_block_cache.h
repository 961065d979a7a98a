// Internal: a libtorch CPU allocator that keeps freed large blocks for the next forward pass.
#pragma once

#include <cstddef>

namespace spanloop::ml {

// Makes libtorch's CPU allocator keep freed blocks of 1 MiB and more (up to max_cached_bytes in
// all) and hand them out again to requests of up to the same size (at most a quarter smaller).
// Each forward pass allocates the same activations again; without this glibc returned them to
// the kernel between passes (unmapped, or whole thread-arena heaps deleted) and every pass
// faulted them back in page by page (see docs/inference.md, "Memory on CPU"). Process-wide and
// installed once: later calls change nothing. Blocks below 1 MiB stay with the previous allocator.
void install_cpu_block_cache(std::size_t max_cached_bytes);

}  // namespace spanloop::ml
