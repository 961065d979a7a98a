// Central-directory walk of a stored zip archive (zip64 aware).
#include "ml/hub/zip_archive.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "text/error.h"

namespace spanloop::ml::hub {
namespace {

std::uint64_t le(const std::byte* p, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(p[i]);
  return v;
}

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& path) : path_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw Error(ErrorKind::kNotFound, "cannot open " + path.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    throw Error(ErrorKind::kUnavailable, "cannot stat " + path.string());
  }
  size_ = static_cast<std::size_t>(st.st_size);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      throw Error(ErrorKind::kUnavailable,
                  "cannot map " + path.string() + ": " + std::strerror(errno));
    }
    data_ = static_cast<std::byte*>(p);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(data_, size_);
}

ZipArchive::ZipArchive(std::shared_ptr<MappedFile> file) : file_(std::move(file)) {
  const std::byte* base = file_->data();
  const std::uint64_t size = file_->size();
  const std::string where = file_->path().string();
  auto bad = [&](const std::string& why) -> void {
    throw Error(ErrorKind::kInvalidArgument, where + ": not a readable zip archive (" + why + ")");
  };
  if (size < 22) bad("too short");
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  std::uint64_t eocd = 0;
  bool found = false;
  const std::uint64_t lowest = size > 65557 ? size - 65557 : 0;
  for (std::uint64_t pos = size - 22 + 1; pos-- > lowest;) {
    if (le(base + pos, 4) == 0x06054b50) {
      eocd = pos;
      found = true;
      break;
    }
  }
  if (!found) bad("no end of central directory; truncated?");
  std::uint64_t count = le(base + eocd + 10, 2);
  std::uint64_t cd_size = le(base + eocd + 12, 4);
  std::uint64_t cd_offset = le(base + eocd + 16, 4);
  if ((count == 0xFFFF || cd_offset == 0xFFFFFFFF || cd_size == 0xFFFFFFFF) && eocd >= 20 &&
      le(base + eocd - 20, 4) == 0x07064b50) {
    const std::uint64_t eocd64 = le(base + eocd - 20 + 8, 8);
    if (eocd64 + 56 > size || le(base + eocd64, 4) != 0x06064b50) bad("broken zip64 record");
    count = le(base + eocd64 + 32, 8);
    cd_size = le(base + eocd64 + 40, 8);
    cd_offset = le(base + eocd64 + 48, 8);
  }
  if (cd_offset + cd_size > size) bad("central directory beyond the end of the file; truncated?");
  std::uint64_t pos = cd_offset;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (pos + 46 > size || le(base + pos, 4) != 0x02014b50) bad("corrupt central directory");
    const auto method = le(base + pos + 10, 2);
    std::uint64_t comp = le(base + pos + 20, 4);
    std::uint64_t uncomp = le(base + pos + 24, 4);
    const auto name_len = le(base + pos + 28, 2);
    const auto extra_len = le(base + pos + 30, 2);
    const auto comment_len = le(base + pos + 32, 2);
    std::uint64_t local = le(base + pos + 42, 4);
    if (pos + 46 + name_len + extra_len > size) bad("corrupt central directory");
    const std::string name(reinterpret_cast<const char*>(base + pos + 46), name_len);
    // zip64 extra field: the 64-bit values of whichever fields are saturated, in order.
    const std::byte* extra = base + pos + 46 + name_len;
    for (std::uint64_t e = 0; e + 4 <= extra_len;) {
      const auto id = le(extra + e, 2), len = le(extra + e + 2, 2);
      if (id == 1) {
        std::uint64_t q = e + 4;
        if (uncomp == 0xFFFFFFFF && q + 8 <= e + 4 + len) uncomp = le(extra + q, 8), q += 8;
        if (comp == 0xFFFFFFFF && q + 8 <= e + 4 + len) comp = le(extra + q, 8), q += 8;
        if (local == 0xFFFFFFFF && q + 8 <= e + 4 + len) local = le(extra + q, 8), q += 8;
      }
      e += 4 + len;
    }
    if (method != 0) {
      throw Error(ErrorKind::kInvalidArgument,
                  where + ": entry " + name + " is compressed (method " + std::to_string(method) +
                      "); torch.save writes stored entries only");
    }
    if (local + 30 > size || le(base + local, 4) != 0x04034b50) {
      bad("entry " + name + " has no local header");
    }
    const std::uint64_t data = local + 30 + le(base + local + 26, 2) + le(base + local + 28, 2);
    if (data + uncomp > size) {
      throw Error(ErrorKind::kInvalidArgument,
                  where + ": entry " + name + " runs past the end of the file; truncated?");
    }
    entries_[name] = Entry{data, uncomp};
    pos += 46 + name_len + extra_len + comment_len;
  }
}

const ZipArchive::Entry* ZipArchive::find(const std::string& name) const {
  const auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

std::string_view ZipArchive::bytes(const Entry& e) const {
  return {reinterpret_cast<const char*>(file_->data() + e.offset),
          static_cast<std::size_t>(e.size)};
}

}  // namespace spanloop::ml::hub
