// safetensors files without libtorch: a memory-mapped reader that hands out byte views, and a writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::ml {

// The safetensors dtype strings.
enum class StDtype { kF64, kF32, kF16, kBF16, kI64, kI32, kI16, kI8, kU8, kBool, kU16, kU32, kU64 };

std::string_view st_dtype_name(StDtype dtype);  // "F32", "BF16", ...
std::size_t st_dtype_size(StDtype dtype);       // bytes per element

struct StTensorInfo {
  std::string name;
  StDtype dtype = StDtype::kF32;
  std::vector<std::int64_t> shape;
  std::size_t data_begin = 0, data_end = 0;  // byte offsets into the data section
  std::int64_t numel() const;
};

// Read-only memory mapping of a whole file, shared by every view taken from it.
class MappedFile {
 public:
  // Throws NotFound (missing) / Unavailable (unreadable) naming the path.
  static std::shared_ptr<const MappedFile> open(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  // Copy-on-write private mapping: writable in memory, never changes the file.
  std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  MappedFile() = default;
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  std::filesystem::path path_;
};

// A parsed safetensors file. The header is fully validated on open (offsets in bounds,
// contiguous, sizes = numel * dtype size), so a view never reads outside the file.
class SafetensorsFile {
 public:
  // Throws InvalidArgument naming the file (and the tensor) for a truncated or corrupt file.
  static SafetensorsFile open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return file_->path(); }
  // Tensors in file order.
  const std::vector<StTensorInfo>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  // nullptr when absent.
  const StTensorInfo* find(std::string_view name) const;
  // The tensor's bytes inside the mapping (valid as long as mapping() is held).
  std::byte* data(const StTensorInfo& info) const;
  const std::shared_ptr<const MappedFile>& mapping() const { return file_; }

 private:
  std::shared_ptr<const MappedFile> file_;
  std::size_t data_offset_ = 0;
  std::vector<StTensorInfo> tensors_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, std::string> metadata_;
};

// One tensor to write: its bytes must hold numel(shape) * dtype size bytes, little-endian.
struct StTensorToWrite {
  std::string name;
  StDtype dtype = StDtype::kF32;
  std::vector<std::int64_t> shape;
  std::span<const std::byte> bytes;
};

// Writes a standard safetensors file (8-byte length, JSON header padded with spaces to a multiple
// of 8, data in the given order). Metadata defaults to {"format": "pt"} as transformers expects.
void write_safetensors(const std::filesystem::path& path, const std::vector<StTensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace spanloop::ml
