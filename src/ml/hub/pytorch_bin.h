// Reader of `pytorch_model.bin` (torch.save's zip format: <archive>/data.pkl, a pickle whose
// persistent ids name raw storages <archive>/data/<key>). Decodes only the pickle subset state
// dicts use, never runs arbitrary globals. No libtorch here: pytorch_bin_torch.h makes tensors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ml/hub/zip_archive.h"

namespace spanloop::ml::hub {

enum class BinDType {
  kFloat32,
  kFloat64,
  kFloat16,
  kBFloat16,
  kInt64,
  kInt32,
  kInt16,
  kInt8,
  kUInt8,
  kBool
};

std::size_t element_size(BinDType dtype);
std::string_view dtype_name(BinDType dtype);  // "float32", ...

// One tensor of the state dict: a strided view into a storage.
struct BinTensor {
  std::string name;
  BinDType dtype = BinDType::kFloat32;
  std::vector<std::int64_t> shape, stride;
  std::int64_t storage_offset = 0;  // in elements
  std::string storage_key;          // <archive>/data/<key>
  std::int64_t storage_numel = 0;
};

class PytorchBinFile {
 public:
  // Opens and decodes data.pkl; throws spanloop::Error (kInvalidArgument) naming the file and
  // the entry/tensor for corrupt or unsupported input (legacy non-zip format included).
  explicit PytorchBinFile(const std::filesystem::path& path);

  // Tensors in the order the state dict holds them.
  const std::vector<BinTensor>& tensors() const { return tensors_; }
  // The raw little-endian bytes of a tensor's storage (whole storage, not just the view).
  std::string_view storage(const BinTensor& t) const;
  const std::shared_ptr<MappedFile>& file() const { return archive_.file(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  ZipArchive archive_;
  std::string prefix_;  // "<archive>/"
  std::vector<BinTensor> tensors_;
};

// Decodes a torch.save data.pkl into tensors (exposed for tests and fuzzing). `where` prefixes
// error messages (file and entry).
std::vector<BinTensor> decode_state_dict_pickle(std::string_view pickle, const std::string& where);

// The shard files of a `*.index.json` (weight_map values, first-seen order) and, for each
// tensor name, its shard. Throws naming the index file when malformed.
struct ShardIndex {
  std::vector<std::string> shards;
  std::vector<std::pair<std::string, std::string>> weight_map;  // name -> shard file
};
ShardIndex read_shard_index(const std::filesystem::path& index_json);

}  // namespace spanloop::ml::hub
