// Internal: the TokenScorer of a libtorch TokenClassifier, and the CPU thread settings it runs with.
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

}  // namespace spanloop::ml
