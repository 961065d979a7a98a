// pytorch_model.bin as an ml::WeightSource (src/ml/io), so model loading falls back to it when a
// model directory has no safetensors.
#pragma once

#include <filesystem>
#include <memory>

#include "ml/io/weight_source.h"

namespace spanloop::ml::hub {

// One pytorch_model.bin; tensors are zero-copy views of its copy-on-write mapping.
std::unique_ptr<WeightSource> open_pytorch_bin(const std::filesystem::path& file);

// Registers "pytorch_model.bin" / "pytorch_model.bin.index.json" with ml::open_weights. Idempotent
// and thread-safe; resolve_model() calls it, so every --model path has it.
void register_pytorch_bin_format();

}  // namespace spanloop::ml::hub
