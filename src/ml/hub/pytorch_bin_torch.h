// pytorch_model.bin into libtorch tensors (zero-copy views of the memory-mapped file).
#pragma once

#include <torch/types.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace spanloop::ml::hub {

// name -> tensor, in the file's order. Each tensor is a strided view of its storage in a
// private copy-on-write mapping of the file (kept alive by the tensors), on CPU.
std::vector<std::pair<std::string, torch::Tensor>> load_pytorch_bin(
    const std::filesystem::path& path);

// A sharded checkpoint through its `pytorch_model.bin.index.json`: every shard, and a check that
// each name of the weight_map was found in its shard (error naming the name and shard).
std::vector<std::pair<std::string, torch::Tensor>> load_pytorch_bin_index(
    const std::filesystem::path& index_json);

}  // namespace spanloop::ml::hub
