// PytorchBinFile: find the archive's data.pkl, decode it, check every tensor against its storage.
#include "ml/hub/pytorch_bin.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "text/error.h"

namespace spanloop::ml::hub {
namespace fs = std::filesystem;

std::size_t element_size(BinDType dtype) {
  switch (dtype) {
    case BinDType::kFloat64:
    case BinDType::kInt64:
      return 8;
    case BinDType::kFloat32:
    case BinDType::kInt32:
      return 4;
    case BinDType::kFloat16:
    case BinDType::kBFloat16:
    case BinDType::kInt16:
      return 2;
    case BinDType::kInt8:
    case BinDType::kUInt8:
    case BinDType::kBool:
      return 1;
  }
  return 1;
}

std::string_view dtype_name(BinDType dtype) {
  switch (dtype) {
    case BinDType::kFloat32:
      return "float32";
    case BinDType::kFloat64:
      return "float64";
    case BinDType::kFloat16:
      return "float16";
    case BinDType::kBFloat16:
      return "bfloat16";
    case BinDType::kInt64:
      return "int64";
    case BinDType::kInt32:
      return "int32";
    case BinDType::kInt16:
      return "int16";
    case BinDType::kInt8:
      return "int8";
    case BinDType::kUInt8:
      return "uint8";
    case BinDType::kBool:
      return "bool";
  }
  return "?";
}

namespace {

// Refuses the pre-1.6 formats early with an actionable message instead of "not a zip".
std::shared_ptr<MappedFile> open_checked(const fs::path& path) {
  auto file = std::make_shared<MappedFile>(path);
  const auto* p = reinterpret_cast<const unsigned char*>(file->data());
  const std::size_t n = file->size();
  const bool zip = n >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4;
  if (!zip) {
    const bool legacy =
        (n >= 2 && p[0] == 0x80 && p[1] <= 5) ||
        (n > 262 && std::string_view(reinterpret_cast<const char*>(p) + 257, 5) == "ustar");
    throw Error(
        ErrorKind::kInvalidArgument,
        path.string() + (legacy ? ": legacy (pre-1.6, non-zip) torch.save format is unsupported; "
                                  "re-save it with torch >= 1.6 or convert it to safetensors"
                                : ": not a torch.save zip archive"));
  }
  return file;
}

}  // namespace

PytorchBinFile::PytorchBinFile(const fs::path& path) : path_(path), archive_(open_checked(path)) {
  const ZipArchive::Entry* pickle = nullptr;
  for (const auto& [name, entry] : archive_.entries()) {
    const auto slash = name.find('/');
    if (slash != std::string::npos && name.substr(slash) == "/data.pkl") {
      prefix_ = name.substr(0, slash + 1);
      pickle = &entry;
      break;
    }
  }
  if (!pickle) {
    throw Error(ErrorKind::kInvalidArgument,
                path.string() + ": no <archive>/data.pkl entry; not a torch.save checkpoint");
  }
  if (const auto* order = archive_.find(prefix_ + "byteorder")) {
    if (archive_.bytes(*order) != "little") {
      throw Error(ErrorKind::kInvalidArgument,
                  path.string() + ": byteorder \"" + std::string(archive_.bytes(*order)) +
                      "\" is unsupported (only little-endian checkpoints are read)");
    }
  }
  tensors_ = decode_state_dict_pickle(archive_.bytes(*pickle),
                                      path.string() + ": " + prefix_ + "data.pkl");
  for (const auto& t : tensors_) {
    const std::string where = path.string() + ": tensor \"" + t.name + "\"";
    const auto* storage = archive_.find(prefix_ + "data/" + t.storage_key);
    if (!storage) {
      throw Error(ErrorKind::kInvalidArgument,
                  where + ": storage entry " + prefix_ + "data/" + t.storage_key + " is missing");
    }
    const std::uint64_t bytes = static_cast<std::uint64_t>(t.storage_numel) * element_size(t.dtype);
    if (t.storage_numel < 0 || storage->size < bytes) {
      throw Error(ErrorKind::kInvalidArgument,
                  where + ": storage " + prefix_ + "data/" + t.storage_key + " holds " +
                      std::to_string(storage->size) + " bytes, " + std::to_string(bytes) +
                      " expected (" + std::to_string(t.storage_numel) + " " +
                      std::string(dtype_name(t.dtype)) + ")");
    }
    // The view must stay inside its storage: offset + sum((size-1)*stride) < numel.
    std::int64_t last = t.storage_offset;
    bool empty = false;
    for (std::size_t d = 0; d < t.shape.size(); ++d) {
      if (t.shape[d] < 0 || t.stride[d] < 0) {
        throw Error(ErrorKind::kInvalidArgument, where + ": negative size or stride");
      }
      if (t.shape[d] == 0)
        empty = true;
      else
        last += (t.shape[d] - 1) * t.stride[d];
    }
    if (t.storage_offset < 0 || (!empty && last >= t.storage_numel)) {
      throw Error(ErrorKind::kInvalidArgument,
                  where + ": view (offset " + std::to_string(t.storage_offset) +
                      ") reaches element " + std::to_string(last) + " of a storage of " +
                      std::to_string(t.storage_numel));
    }
  }
}

std::string_view PytorchBinFile::storage(const BinTensor& t) const {
  const auto* e = archive_.find(prefix_ + "data/" + t.storage_key);
  return e ? archive_.bytes(*e) : std::string_view();
}

ShardIndex read_shard_index(const fs::path& index_json) {
  std::ifstream in(index_json);
  if (!in) throw Error(ErrorKind::kNotFound, "cannot open " + index_json.string());
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (!json.is_object() || !json.contains("weight_map") || !json["weight_map"].is_object()) {
    throw Error(
        ErrorKind::kInvalidArgument,
        index_json.string() + ": not a checkpoint index (expected an object with \"weight_map\")");
  }
  ShardIndex index;
  std::set<std::string> seen;
  for (const auto& [name, file] : json["weight_map"].items()) {
    if (!file.is_string()) {
      throw Error(ErrorKind::kInvalidArgument,
                  index_json.string() + ": weight_map[\"" + name + "\"] is not a file name");
    }
    const std::string shard = file.get<std::string>();
    if (shard.find("..") != std::string::npos || shard.empty() || shard[0] == '/') {
      throw Error(ErrorKind::kInvalidArgument,
                  index_json.string() + ": unsafe shard name " + shard);
    }
    index.weight_map.emplace_back(name, shard);
    if (seen.insert(shard).second) index.shards.push_back(shard);
  }
  return index;
}

}  // namespace spanloop::ml::hub
