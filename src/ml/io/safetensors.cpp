// safetensors reading (mmap + header validation) and writing.
#include "ml/io/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "text/error.h"

namespace spanloop::ml {
namespace {

using nlohmann::json;

// Headers above this are refused: real ones are a few hundred KB, and the cap stops a corrupt
// length from allocating gigabytes.
constexpr std::uint64_t kMaxHeaderBytes = 100ull << 20;

[[noreturn]] void corrupt(const std::filesystem::path& path, const std::string& what) {
  throw Error(ErrorKind::kInvalidArgument, path.string() + ": corrupt safetensors file: " + what);
}

StDtype parse_dtype(const std::string& s, const std::filesystem::path& path,
                    const std::string& name) {
  static const std::pair<const char*, StDtype> kTable[] = {
      {"F64", StDtype::kF64},   {"F32", StDtype::kF32}, {"F16", StDtype::kF16},
      {"BF16", StDtype::kBF16}, {"I64", StDtype::kI64}, {"I32", StDtype::kI32},
      {"I16", StDtype::kI16},   {"I8", StDtype::kI8},   {"U8", StDtype::kU8},
      {"BOOL", StDtype::kBool}, {"U16", StDtype::kU16}, {"U32", StDtype::kU32},
      {"U64", StDtype::kU64}};
  for (const auto& [text, dtype] : kTable)
    if (s == text) return dtype;
  corrupt(path, "tensor '" + name + "' has unsupported dtype '" + s + "'");
}

}  // namespace

std::string_view st_dtype_name(StDtype d) {
  switch (d) {
    case StDtype::kF64:
      return "F64";
    case StDtype::kF32:
      return "F32";
    case StDtype::kF16:
      return "F16";
    case StDtype::kBF16:
      return "BF16";
    case StDtype::kI64:
      return "I64";
    case StDtype::kI32:
      return "I32";
    case StDtype::kI16:
      return "I16";
    case StDtype::kI8:
      return "I8";
    case StDtype::kU8:
      return "U8";
    case StDtype::kBool:
      return "BOOL";
    case StDtype::kU16:
      return "U16";
    case StDtype::kU32:
      return "U32";
    case StDtype::kU64:
      return "U64";
  }
  return "?";
}

std::size_t st_dtype_size(StDtype d) {
  switch (d) {
    case StDtype::kF64:
    case StDtype::kI64:
    case StDtype::kU64:
      return 8;
    case StDtype::kF32:
    case StDtype::kI32:
    case StDtype::kU32:
      return 4;
    case StDtype::kF16:
    case StDtype::kBF16:
    case StDtype::kI16:
    case StDtype::kU16:
      return 2;
    case StDtype::kI8:
    case StDtype::kU8:
    case StDtype::kBool:
      return 1;
  }
  return 1;
}

std::int64_t StTensorInfo::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::shared_ptr<const MappedFile> MappedFile::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    throw Error(err == ENOENT ? ErrorKind::kNotFound : ErrorKind::kUnavailable,
                "cannot open " + path.string() + ": " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw Error(ErrorKind::kUnavailable,
                "cannot stat " + path.string() + ": " + std::strerror(err));
  }
  std::shared_ptr<MappedFile> file(new MappedFile());
  file->path_ = path;
  file->size_ = static_cast<std::size_t>(st.st_size);
  if (file->size_ > 0) {
    void* p = ::mmap(nullptr, file->size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      throw Error(ErrorKind::kUnavailable,
                  "cannot map " + path.string() + ": " + std::strerror(err));
    }
    file->data_ = static_cast<std::byte*>(p);
  }
  ::close(fd);
  return file;
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(data_, size_);
}

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path) {
  SafetensorsFile f;
  f.file_ = MappedFile::open(path);
  const std::size_t size = f.file_->size();
  if (size < 8)
    corrupt(path,
            "file has " + std::to_string(size) + " bytes, less than the 8-byte header length");
  std::uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i)
    header_len = (header_len << 8) | static_cast<std::uint8_t>(f.file_->data()[i]);
  if (header_len > kMaxHeaderBytes || header_len > size - 8)
    corrupt(path, "header length " + std::to_string(header_len) + " exceeds the file size " +
                      std::to_string(size) + " (truncated file?)");
  f.data_offset_ = 8 + header_len;
  const std::string_view header(reinterpret_cast<const char*>(f.file_->data()) + 8, header_len);
  json j;
  try {
    j = json::parse(header);
  } catch (const json::parse_error& e) {
    corrupt(path, std::string("header is not valid JSON: ") + e.what());
  }
  if (!j.is_object()) corrupt(path, "header is not a JSON object");
  const std::size_t data_size = size - f.data_offset_;
  for (const auto& [name, entry] : j.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) corrupt(path, "__metadata__ is not an object");
      for (const auto& [k, v] : entry.items())
        if (v.is_string()) f.metadata_[k] = v.get<std::string>();
      continue;
    }
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
        !entry.contains("data_offsets"))
      corrupt(path, "tensor '" + name + "' lacks dtype/shape/data_offsets");
    StTensorInfo info;
    info.name = name;
    try {
      info.dtype = parse_dtype(entry.at("dtype").get<std::string>(), path, name);
      for (const auto& d : entry.at("shape")) {
        const auto v = d.get<std::int64_t>();
        if (v < 0) corrupt(path, "tensor '" + name + "' has a negative dimension");
        info.shape.push_back(v);
      }
      const auto& offs = entry.at("data_offsets");
      if (!offs.is_array() || offs.size() != 2)
        corrupt(path, "tensor '" + name + "' data_offsets is not [begin, end]");
      info.data_begin = offs[0].get<std::size_t>();
      info.data_end = offs[1].get<std::size_t>();
    } catch (const json::exception& e) {
      corrupt(path, "tensor '" + name + "': " + e.what());
    }
    if (info.data_begin > info.data_end || info.data_end > data_size)
      corrupt(path, "tensor '" + name + "' data [" + std::to_string(info.data_begin) + ", " +
                        std::to_string(info.data_end) + ") lies outside the " +
                        std::to_string(data_size) + " data bytes (truncated file?)");
    const auto expected = static_cast<std::size_t>(info.numel()) * st_dtype_size(info.dtype);
    if (info.data_end - info.data_begin != expected)
      corrupt(path, "tensor '" + name + "' has " + std::to_string(info.data_end - info.data_begin) +
                        " bytes, its shape and dtype need " + std::to_string(expected));
    f.tensors_.push_back(std::move(info));
  }
  // Order by data offset (file order) and reject overlaps, as the reference reader does.
  std::sort(f.tensors_.begin(), f.tensors_.end(), [](const StTensorInfo& a, const StTensorInfo& b) {
    return a.data_begin < b.data_begin;
  });
  std::size_t cursor = 0;
  for (std::size_t i = 0; i < f.tensors_.size(); ++i) {
    const auto& t = f.tensors_[i];
    if (t.data_begin < cursor)
      corrupt(path, "tensor '" + t.name + "' overlaps the previous tensor");
    cursor = t.data_end;
    f.index_[t.name] = i;
  }
  return f;
}

const StTensorInfo* SafetensorsFile::find(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

std::byte* SafetensorsFile::data(const StTensorInfo& info) const {
  return file_->data() + data_offset_ + info.data_begin;
}

void write_safetensors(const std::filesystem::path& path,
                       const std::vector<StTensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  // ordered_json keeps __metadata__ first and the tensors in data order, like the reference writer.
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::size_t offset = 0;
  for (const auto& t : tensors) {
    std::int64_t numel = 1;
    for (auto d : t.shape) numel *= d;
    const std::size_t bytes = static_cast<std::size_t>(numel) * st_dtype_size(t.dtype);
    if (bytes != t.bytes.size())
      throw Error(ErrorKind::kInternal, "safetensors write of '" + t.name +
                                            "': " + std::to_string(t.bytes.size()) +
                                            " bytes for a shape needing " + std::to_string(bytes));
    if (header.contains(t.name))
      throw Error(ErrorKind::kInvalidArgument,
                  "safetensors write: tensor '" + t.name + "' given twice");
    header[t.name] = {{"dtype", std::string(st_dtype_name(t.dtype))},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  // Written next to the target and renamed over it: a model whose weights are memory-mapped
  // views of `path` stays valid while it saves over its own file.
  auto tmp = path;
  tmp += ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ErrorKind::kUnavailable, "cannot create " + tmp.string());
  std::uint64_t n = text.size();
  char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  out.write(len, 8);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  for (const auto& t : tensors)
    out.write(reinterpret_cast<const char*>(t.bytes.data()),
              static_cast<std::streamsize>(t.bytes.size()));
  if (!out.flush()) throw Error(ErrorKind::kUnavailable, "cannot write " + tmp.string());
  out.close();
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    throw Error(ErrorKind::kUnavailable, "cannot write " + path.string() + ": " + ec.message());
}

}  // namespace spanloop::ml
