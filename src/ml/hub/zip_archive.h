// A read-only view of an uncompressed ("stored") zip archive, memory-mapped: what torch.save
// writes (entries 64-byte aligned, zip64 for large files). Compressed entries are refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace spanloop::ml::hub {

// The mapping of a whole file, shared by every view into it (tensors keep it alive).
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path);  // throws kNotFound/kUnavailable
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  // Copy-on-write private mapping: writes through a tensor never reach the file.
  std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

class ZipArchive {
 public:
  struct Entry {
    std::uint64_t offset = 0;  // of the data, from the start of the file
    std::uint64_t size = 0;
  };

  // Parses the central directory; throws kInvalidArgument naming the file when it is not a zip
  // archive, is truncated, or has compressed entries.
  explicit ZipArchive(std::shared_ptr<MappedFile> file);

  const std::map<std::string, Entry>& entries() const { return entries_; }
  const Entry* find(const std::string& name) const;
  std::string_view bytes(const Entry& e) const;
  const std::shared_ptr<MappedFile>& file() const { return file_; }

 private:
  std::shared_ptr<MappedFile> file_;
  std::map<std::string, Entry> entries_;
};

}  // namespace spanloop::ml::hub
