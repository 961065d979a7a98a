// Named tensors from checkpoint files (torch-facing): one interface over safetensors, sharded
// checkpoints and any other reader (pytorch_model.bin) that registers itself.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace spanloop::ml {

// A tensor's description without loading it.
struct WeightInfo {
  std::string dtype;  // safetensors spelling: "F32", "BF16", "F16", "I64", ...
  std::vector<std::int64_t> shape;
};

// name -> tensor. Implementations must be safe to call from one thread at a time; load() of one
// name may return a tensor that shares memory with the file mapping (zero-copy, CPU).
class WeightSource {
 public:
  virtual ~WeightSource() = default;
  // Every tensor name, in a stable order (file order for safetensors).
  virtual std::vector<std::string> names() const = 0;
  virtual bool contains(const std::string& name) const = 0;
  // Throws NotFound naming the file(s) and the key.
  virtual WeightInfo info(const std::string& name) const = 0;
  // Throws NotFound naming the file(s) and the key; InvalidArgument for an unsupported dtype.
  virtual at::Tensor load(const std::string& name) const = 0;
  // The file or directory the weights come from, for messages.
  virtual std::string describe() const = 0;
};

// One safetensors file, memory-mapped. Tensors whose data is aligned for their dtype are views of
// the mapping (copy-on-write, so writing to them never changes the file); others are copied.
std::unique_ptr<WeightSource> open_safetensors(const std::filesystem::path& file);

// A sharded checkpoint: `*.index.json` with {"weight_map": {name: shard file}}. Shards are opened
// lazily with `open_shard` (default: open_safetensors) from the index's directory.
using ShardOpener = std::function<std::unique_ptr<WeightSource>(const std::filesystem::path&)>;
std::unique_ptr<WeightSource> open_sharded(const std::filesystem::path& index_json,
                                           ShardOpener open_shard = open_safetensors);

// In-memory tensors (tests, conversions, freshly initialised models).
std::unique_ptr<WeightSource> make_tensor_source(std::map<std::string, at::Tensor> tensors,
                                                 std::string description);

// Other checkpoint formats (pytorch_model.bin) plug in here: `file_name` (e.g.
// "pytorch_model.bin") and optional `index_name` ("pytorch_model.bin.index.json") found in a model
// directory are opened with `open`. Call once at start-up (not thread-safe against open_weights).
struct WeightFormat {
  std::string file_name;
  std::string index_name;
  ShardOpener open;
};
void register_weight_format(WeightFormat format);

// The weights of a Hugging Face model directory: model.safetensors, else
// model.safetensors.index.json, else a registered format. NotFound lists the files looked for.
std::unique_ptr<WeightSource> open_weights(const std::filesystem::path& model_dir);

// Writes tensors (any device/dtype/layout; converted to contiguous CPU) as safetensors, in the
// given order.
void save_safetensors(const std::filesystem::path& file,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace spanloop::ml
