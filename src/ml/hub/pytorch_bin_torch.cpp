// The torch-facing half of the .bin reader: storages as tensors, views by shape/stride/offset.
#include "ml/hub/pytorch_bin_torch.h"

#include <map>

#include "ml/hub/pytorch_bin.h"
#include "text/error.h"

namespace spanloop::ml::hub {
namespace fs = std::filesystem;
namespace {

torch::Dtype to_torch(BinDType d) {
  switch (d) {
    case BinDType::kFloat32:
      return torch::kFloat32;
    case BinDType::kFloat64:
      return torch::kFloat64;
    case BinDType::kFloat16:
      return torch::kFloat16;
    case BinDType::kBFloat16:
      return torch::kBFloat16;
    case BinDType::kInt64:
      return torch::kInt64;
    case BinDType::kInt32:
      return torch::kInt32;
    case BinDType::kInt16:
      return torch::kInt16;
    case BinDType::kInt8:
      return torch::kInt8;
    case BinDType::kUInt8:
      return torch::kUInt8;
    case BinDType::kBool:
      return torch::kBool;
  }
  return torch::kFloat32;
}

}  // namespace

std::vector<std::pair<std::string, torch::Tensor>> load_pytorch_bin(const fs::path& path) {
  const PytorchBinFile bin(path);
  std::vector<std::pair<std::string, torch::Tensor>> out;
  // Tensors sharing a storage (tied weights) share one base tensor.
  std::map<std::string, torch::Tensor> storages;
  auto keep_alive = bin.file();
  for (const auto& t : bin.tensors()) {
    auto it = storages.find(t.storage_key);
    if (it == storages.end()) {
      const std::string_view bytes = bin.storage(t);
      torch::Tensor base = torch::from_blob(
          const_cast<char*>(bytes.data()), {t.storage_numel},
          [keep_alive](void*) { /* the mapping lives as long as a tensor uses it */ },
          torch::TensorOptions().dtype(to_torch(t.dtype)));
      it = storages.emplace(t.storage_key, base).first;
    }
    out.emplace_back(t.name, it->second.as_strided(t.shape, t.stride, t.storage_offset));
  }
  return out;
}

std::vector<std::pair<std::string, torch::Tensor>> load_pytorch_bin_index(
    const fs::path& index_json) {
  const ShardIndex index = read_shard_index(index_json);
  std::map<std::string, std::map<std::string, torch::Tensor>> by_shard;
  for (const auto& shard : index.shards) {
    auto tensors = load_pytorch_bin(index_json.parent_path() / shard);
    by_shard[shard] = std::map<std::string, torch::Tensor>(tensors.begin(), tensors.end());
  }
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& [name, shard] : index.weight_map) {
    const auto& tensors = by_shard[shard];
    const auto it = tensors.find(name);
    if (it == tensors.end()) {
      throw Error(ErrorKind::kInvalidArgument, index_json.string() + ": \"" + name +
                                                   "\" is mapped to " + shard +
                                                   ", which does not contain it");
    }
    out.emplace_back(name, it->second);
  }
  return out;
}

}  // namespace spanloop::ml::hub
