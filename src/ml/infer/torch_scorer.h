// Internal: the TokenScorer of a libtorch TokenClassifier, and the CPU thread settings it runs
// with.
#pragma once

#include <cstddef>
#include <memory>

#include "ml/infer/token_scorer.h"
#include "ml/model/token_classifier.h"

namespace spanloop::ml {

std::shared_ptr<TokenScorer> make_torch_scorer(TokenClassifier model);

// Sets libtorch's intra-op threads (libgomp) and OpenBLAS's own pool, which Debian's libtorch
// uses for fp32 matmuls. Both at `threads` would make the two pools spin against each other on
// the same cores, so OpenBLAS gets the threads and libgomp one for fp32; bf16 matmuls run in
// oneDNN on libgomp, which then gets the threads (see docs/inference.md).
void configure_cpu_threads(std::size_t threads, ModelDtype dtype);

// Largest single activation a forward pass may allocate (bytes): the torch scorer sizes batches
// to stay under it, and configure_cpu_memory makes glibc reuse blocks up to this size.
inline constexpr std::size_t kMaxActivationBytes = std::size_t{28} << 20;

// glibc malloc: serve blocks up to 32 MiB (its largest mmap threshold) from the heap and keep up
// to 512 MiB of freed heap instead of returning it. With the default dynamic thresholds every
// forward pass over long windows mapped fresh pages for its activations and faulted them in
// again: on this VM 28 % of the CPU time of a 13-window claim (see docs/inference.md).
// Process-wide, called once by Predictor::load for the CPU; a no-op without glibc.
void configure_cpu_memory();

}  // namespace spanloop::ml
