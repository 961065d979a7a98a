// WeightSource implementations: safetensors (zero-copy views of the mapping), sharded
// checkpoints, in-memory tensors; the model-directory lookup and the safetensors writer.
#include "ml/io/weight_source.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>

#include <cstring>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ml/io/safetensors.h"
#include "text/error.h"

namespace spanloop::ml {
namespace {

c10::ScalarType to_scalar_type(StDtype d, const std::string& where) {
  switch (d) {
    case StDtype::kF64:
      return c10::kDouble;
    case StDtype::kF32:
      return c10::kFloat;
    case StDtype::kF16:
      return c10::kHalf;
    case StDtype::kBF16:
      return c10::kBFloat16;
    case StDtype::kI64:
      return c10::kLong;
    case StDtype::kI32:
      return c10::kInt;
    case StDtype::kI16:
      return c10::kShort;
    case StDtype::kI8:
      return c10::kChar;
    case StDtype::kU8:
      return c10::kByte;
    case StDtype::kBool:
      return c10::kBool;
    default:
      break;
  }
  throw Error(ErrorKind::kInvalidArgument,
              where + ": dtype " + std::string(st_dtype_name(d)) + " has no libtorch equivalent");
}

StDtype to_st_dtype(c10::ScalarType t, const std::string& name) {
  switch (t) {
    case c10::kDouble:
      return StDtype::kF64;
    case c10::kFloat:
      return StDtype::kF32;
    case c10::kHalf:
      return StDtype::kF16;
    case c10::kBFloat16:
      return StDtype::kBF16;
    case c10::kLong:
      return StDtype::kI64;
    case c10::kInt:
      return StDtype::kI32;
    case c10::kShort:
      return StDtype::kI16;
    case c10::kChar:
      return StDtype::kI8;
    case c10::kByte:
      return StDtype::kU8;
    case c10::kBool:
      return StDtype::kBool;
    default:
      break;
  }
  throw Error(ErrorKind::kInvalidArgument, "cannot write tensor '" + name + "' of dtype " +
                                               std::string(c10::toString(t)) + " as safetensors");
}

class SafetensorsSource final : public WeightSource {
 public:
  explicit SafetensorsSource(SafetensorsFile file) : file_(std::move(file)) {}

  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& t : file_.tensors()) out.push_back(t.name);
    return out;
  }
  bool contains(const std::string& name) const override { return file_.find(name) != nullptr; }
  WeightInfo info(const std::string& name) const override {
    const auto& t = get(name);
    return {std::string(st_dtype_name(t.dtype)), t.shape};
  }
  at::Tensor load(const std::string& name) const override {
    const auto& t = get(name);
    const auto type = to_scalar_type(t.dtype, describe() + ": tensor '" + name + "'");
    std::byte* data = file_.data(t);
    const auto options = at::TensorOptions().dtype(type).device(c10::kCPU);
    if (reinterpret_cast<std::uintptr_t>(data) % st_dtype_size(t.dtype) == 0) {
      // Zero-copy: the tensor keeps the mapping alive through its deleter.
      auto keep = new std::shared_ptr<const MappedFile>(file_.mapping());
      return at::from_blob(
          data, t.shape, [keep](void*) { delete keep; }, options);
    }
    at::Tensor out = at::empty(t.shape, options);
    std::memcpy(out.data_ptr(), data, t.data_end - t.data_begin);
    return out;
  }
  std::string describe() const override { return file_.path().string(); }

 private:
  const StTensorInfo& get(const std::string& name) const {
    const auto* t = file_.find(name);
    if (!t) throw Error(ErrorKind::kNotFound, describe() + ": no tensor '" + name + "'");
    return *t;
  }
  SafetensorsFile file_;
};

class ShardedSource final : public WeightSource {
 public:
  ShardedSource(std::filesystem::path index, std::map<std::string, std::string> weight_map,
                std::vector<std::string> order, ShardOpener opener)
      : index_(std::move(index)),
        weight_map_(std::move(weight_map)),
        order_(std::move(order)),
        opener_(std::move(opener)) {}

  std::vector<std::string> names() const override { return order_; }
  bool contains(const std::string& name) const override { return weight_map_.count(name) != 0; }
  WeightInfo info(const std::string& name) const override { return shard_for(name).info(name); }
  at::Tensor load(const std::string& name) const override { return shard_for(name).load(name); }
  std::string describe() const override { return index_.string(); }

 private:
  const WeightSource& shard_for(const std::string& name) const {
    auto it = weight_map_.find(name);
    if (it == weight_map_.end())
      throw Error(ErrorKind::kNotFound, describe() + ": no tensor '" + name + "' in weight_map");
    std::lock_guard<std::mutex> lock(mutex_);
    auto& shard = shards_[it->second];
    if (!shard) {
      const auto path = index_.parent_path() / it->second;
      if (!std::filesystem::exists(path))
        throw Error(ErrorKind::kNotFound, describe() + ": shard '" + it->second + "' (holding '" +
                                              name + "') is missing");
      shard = opener_(path);
    }
    if (!shard->contains(name))
      throw Error(ErrorKind::kInvalidArgument, describe() + ": shard '" + it->second +
                                                   "' does not contain '" + name +
                                                   "' as the index says");
    return *shard;
  }

  std::filesystem::path index_;
  std::map<std::string, std::string> weight_map_;
  std::vector<std::string> order_;
  ShardOpener opener_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::unique_ptr<WeightSource>> shards_;
};

class TensorSource final : public WeightSource {
 public:
  TensorSource(std::map<std::string, at::Tensor> tensors, std::string description)
      : tensors_(std::move(tensors)), description_(std::move(description)) {}
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& [name, t] : tensors_) out.push_back(name);
    return out;
  }
  bool contains(const std::string& name) const override { return tensors_.count(name) != 0; }
  WeightInfo info(const std::string& name) const override {
    const auto& t = get(name);
    return {std::string(st_dtype_name(to_st_dtype(t.scalar_type(), name))), t.sizes().vec()};
  }
  at::Tensor load(const std::string& name) const override { return get(name); }
  std::string describe() const override { return description_; }

 private:
  const at::Tensor& get(const std::string& name) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end())
      throw Error(ErrorKind::kNotFound, description_ + ": no tensor '" + name + "'");
    return it->second;
  }
  std::map<std::string, at::Tensor> tensors_;
  std::string description_;
};

std::vector<WeightFormat>& registry() {
  static std::vector<WeightFormat> formats;
  return formats;
}

}  // namespace

std::unique_ptr<WeightSource> open_safetensors(const std::filesystem::path& file) {
  return std::make_unique<SafetensorsSource>(SafetensorsFile::open(file));
}

std::unique_ptr<WeightSource> open_sharded(const std::filesystem::path& index_json,
                                           ShardOpener open_shard) {
  std::ifstream in(index_json, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, "cannot read checkpoint index " + index_json.string());
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorKind::kInvalidArgument, index_json.string() + ": not valid JSON: " + e.what());
  }
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
    throw Error(ErrorKind::kInvalidArgument, index_json.string() + ": no 'weight_map' object");
  std::map<std::string, std::string> weight_map;
  std::vector<std::string> order;
  for (const auto& [name, file] : j["weight_map"].items()) {
    if (!file.is_string())
      throw Error(ErrorKind::kInvalidArgument,
                  index_json.string() + ": weight_map['" + name + "'] is not a file name");
    const auto shard = file.get<std::string>();
    if (shard.find('/') != std::string::npos || shard == "..")
      throw Error(ErrorKind::kInvalidArgument,
                  index_json.string() + ": shard name '" + shard + "' must be a plain file name");
    weight_map[name] = shard;
    order.push_back(name);
  }
  return std::make_unique<ShardedSource>(index_json, std::move(weight_map), std::move(order),
                                         std::move(open_shard));
}

std::unique_ptr<WeightSource> make_tensor_source(std::map<std::string, at::Tensor> tensors,
                                                 std::string description) {
  return std::make_unique<TensorSource>(std::move(tensors), std::move(description));
}

void register_weight_format(WeightFormat format) {
  registry().push_back(std::move(format));
}

std::unique_ptr<WeightSource> open_weights(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir))
    throw Error(ErrorKind::kNotFound, "model directory " + dir.string() + " does not exist");
  if (fs::exists(dir / "model.safetensors")) return open_safetensors(dir / "model.safetensors");
  if (fs::exists(dir / "model.safetensors.index.json"))
    return open_sharded(dir / "model.safetensors.index.json");
  std::string looked = "model.safetensors, model.safetensors.index.json";
  for (const auto& f : registry()) {
    if (!f.file_name.empty() && fs::exists(dir / f.file_name)) return f.open(dir / f.file_name);
    if (!f.index_name.empty() && fs::exists(dir / f.index_name))
      return open_sharded(dir / f.index_name, f.open);
    looked += ", " + f.file_name;
    if (!f.index_name.empty()) looked += ", " + f.index_name;
  }
  std::string hint;
  if (fs::exists(dir / "pytorch_model.bin") || fs::exists(dir / "pytorch_model.bin.index.json"))
    hint = " (pytorch_model.bin is present, but no reader for it is linked into this program)";
  throw Error(ErrorKind::kNotFound,
              "no weights in " + dir.string() + ": looked for " + looked + hint);
}

void save_safetensors(const std::filesystem::path& file,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  std::vector<at::Tensor> keep;  // contiguous CPU copies that the spans point into
  keep.reserve(tensors.size());
  std::vector<StTensorToWrite> out;
  out.reserve(tensors.size());
  for (const auto& [name, t] : tensors) {
    keep.push_back(t.detach().to(c10::kCPU).contiguous());
    const auto& c = keep.back();
    out.push_back(
        {name, to_st_dtype(c.scalar_type(), name), c.sizes().vec(),
         std::span<const std::byte>(static_cast<const std::byte*>(c.data_ptr()), c.nbytes())});
  }
  write_safetensors(file, out, metadata);
}

}  // namespace spanloop::ml
