// WeightSource over PytorchBinFile (torch-facing).
#include "ml/hub/pytorch_bin_source.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>

#include <cstring>
#include <map>
#include <mutex>

#include "ml/hub/pytorch_bin.h"
#include "text/error.h"

namespace spanloop::ml::hub {
namespace {

c10::ScalarType scalar_type(BinDType d) {
  switch (d) {
    case BinDType::kFloat32:
      return c10::kFloat;
    case BinDType::kFloat64:
      return c10::kDouble;
    case BinDType::kFloat16:
      return c10::kHalf;
    case BinDType::kBFloat16:
      return c10::kBFloat16;
    case BinDType::kInt64:
      return c10::kLong;
    case BinDType::kInt32:
      return c10::kInt;
    case BinDType::kInt16:
      return c10::kShort;
    case BinDType::kInt8:
      return c10::kChar;
    case BinDType::kUInt8:
      return c10::kByte;
    case BinDType::kBool:
      return c10::kBool;
  }
  return c10::kFloat;
}

// The safetensors spelling WeightInfo uses.
std::string st_name(BinDType d) {
  switch (d) {
    case BinDType::kFloat32:
      return "F32";
    case BinDType::kFloat64:
      return "F64";
    case BinDType::kFloat16:
      return "F16";
    case BinDType::kBFloat16:
      return "BF16";
    case BinDType::kInt64:
      return "I64";
    case BinDType::kInt32:
      return "I32";
    case BinDType::kInt16:
      return "I16";
    case BinDType::kInt8:
      return "I8";
    case BinDType::kUInt8:
      return "U8";
    case BinDType::kBool:
      return "BOOL";
  }
  return "?";
}

class PytorchBinSource final : public WeightSource {
 public:
  explicit PytorchBinSource(const std::filesystem::path& file) : bin_(file) {
    for (std::size_t i = 0; i < bin_.tensors().size(); ++i) index_[bin_.tensors()[i].name] = i;
  }

  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& t : bin_.tensors()) out.push_back(t.name);
    return out;
  }
  bool contains(const std::string& name) const override { return index_.count(name) != 0; }
  WeightInfo info(const std::string& name) const override {
    const auto& t = get(name);
    return {st_name(t.dtype), t.shape};
  }
  at::Tensor load(const std::string& name) const override {
    const BinTensor& t = get(name);
    const auto options = at::TensorOptions().dtype(scalar_type(t.dtype)).device(c10::kCPU);
    const std::string_view bytes = bin_.storage(t);
    char* data = const_cast<char*>(bytes.data());
    at::Tensor base;
    if (reinterpret_cast<std::uintptr_t>(data) % element_size(t.dtype) == 0) {
      // torch.save aligns storages to 64 bytes: a view of the mapping, kept alive by the deleter.
      auto keep = bin_.file();
      base = at::from_blob(
          data, {t.storage_numel}, [keep](void*) {}, options);
    } else {
      base = at::empty({t.storage_numel}, options);
      std::memcpy(base.data_ptr(), data,
                  static_cast<std::size_t>(t.storage_numel) * element_size(t.dtype));
    }
    return base.as_strided(t.shape, t.stride, t.storage_offset);
  }
  std::string describe() const override { return bin_.path().string(); }

 private:
  const BinTensor& get(const std::string& name) const {
    const auto it = index_.find(name);
    if (it == index_.end())
      throw Error(ErrorKind::kNotFound, describe() + ": no tensor '" + name + "'");
    return bin_.tensors()[it->second];
  }
  PytorchBinFile bin_;
  std::map<std::string, std::size_t> index_;
};

}  // namespace

std::unique_ptr<WeightSource> open_pytorch_bin(const std::filesystem::path& file) {
  return std::make_unique<PytorchBinSource>(file);
}

void register_pytorch_bin_format() {
  static std::once_flag once;
  std::call_once(once, [] {
    register_weight_format({"pytorch_model.bin", "pytorch_model.bin.index.json", open_pytorch_bin});
  });
}

}  // namespace spanloop::ml::hub
