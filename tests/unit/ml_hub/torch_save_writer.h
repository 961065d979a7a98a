// Writes files in torch.save's zip format from a test (no Python torch here): a protocol-2
// pickle of an OrderedDict of _rebuild_tensor_v2 calls, raw storages, 64-byte aligned stored
// zip entries — byte for byte the structure torch >= 1.6 produces.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace spanloop::testing {

struct SavedTensor {
  std::string name;
  std::string storage_type = "FloatStorage";  // torch.<type>
  std::string key = "0";                      // storage key (shared keys = tied weights)
  std::int64_t storage_numel = 0;
  std::int64_t offset = 0;
  std::vector<std::int64_t> shape, stride;
};

class PickleWriter {
 public:
  std::string bytes;
  void op(char c) { bytes += c; }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  void str(const std::string& s) {
    op('X');
    u32(static_cast<std::uint32_t>(s.size()));
    bytes += s;
  }
  void integer(std::int64_t v) {
    if (v >= 0 && v < 256) {
      op('K');
      bytes += static_cast<char>(v);
    } else {
      op('J');
      u32(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)));
    }
  }
  void global(const std::string& module, const std::string& name) {
    op('c');
    bytes += module + "\n" + name + "\n";
  }
  void ints(const std::vector<std::int64_t>& v) {
    op('(');
    for (auto x : v) integer(x);
    op('t');
  }
};

// The data.pkl of a state dict with these tensors (memo ops included, as Python emits them).
inline std::string state_dict_pickle(const std::vector<SavedTensor>& tensors) {
  PickleWriter w;
  w.op('\x80');
  w.op('\x02');
  w.global("collections", "OrderedDict");
  w.op('q');
  w.op('\x00');
  w.op(')');
  w.op('R');
  w.op('q');
  w.op('\x01');
  w.op('(');
  bool rebuild_memoized = false;
  for (const auto& t : tensors) {
    w.str(t.name);
    if (!rebuild_memoized) {
      w.global("torch._utils", "_rebuild_tensor_v2");
      w.op('q');
      w.op('\x02');
      rebuild_memoized = true;
    } else {
      w.op('h');
      w.op('\x02');
    }
    w.op('(');
    w.op('(');
    w.str("storage");
    w.global("torch", t.storage_type);
    w.str(t.key);
    w.str("cpu");
    w.integer(t.storage_numel);
    w.op('t');
    w.op('Q');
    w.integer(t.offset);
    w.ints(t.shape);
    w.ints(t.stride);
    w.op('\x89');
    w.op('h');
    w.op('\x00');  // collections.OrderedDict
    w.op(')');
    w.op('R');
    w.op('t');
    w.op('R');
  }
  w.op('u');
  // state_dict()'s _metadata attribute arrives as a BUILD.
  w.op('}');
  w.str("_metadata");
  w.op('}');
  w.op('s');
  w.op('b');
  w.op('.');
  return w.bytes;
}

inline std::uint32_t crc32_of(const std::string& s) {
  std::uint32_t c = 0xffffffffu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

// A stored zip with torch's 64-byte data alignment; `method` lets tests fake a compressed entry.
inline std::string zip_bytes(const std::vector<std::pair<std::string, std::string>>& entries,
                             std::uint16_t method = 0) {
  std::string out, central;
  auto put = [](std::string& s, std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  for (const auto& [name, data] : entries) {
    const std::uint64_t local = out.size();
    const std::size_t header = 30 + name.size();
    std::size_t pad = (64 - (header + 4) % 64) % 64;
    put(out, 0x04034b50, 4);
    put(out, 20, 2);
    put(out, 0, 2);
    put(out, method, 2);
    put(out, 0, 4);
    put(out, crc32_of(data), 4);
    put(out, data.size(), 4);
    put(out, data.size(), 4);
    put(out, name.size(), 2);
    put(out, pad + 4, 2);
    out += name;
    put(out, 0x4246, 2);  // torch's "FB" padding field
    put(out, pad, 2);
    out += std::string(pad, 'Z');
    out += data;
    put(central, 0x02014b50, 4);
    put(central, 20, 2);
    put(central, 20, 2);
    put(central, 0, 2);
    put(central, method, 2);
    put(central, 0, 4);
    put(central, crc32_of(data), 4);
    put(central, data.size(), 4);
    put(central, data.size(), 4);
    put(central, name.size(), 2);
    put(central, 0, 2);
    put(central, 0, 2);
    put(central, 0, 2);
    put(central, 0, 2);
    put(central, 0, 4);
    put(central, local, 4);
    central += name;
  }
  const std::uint64_t cd_offset = out.size();
  out += central;
  put(out, 0x06054b50, 4);
  put(out, 0, 2);
  put(out, 0, 2);
  put(out, entries.size(), 2);
  put(out, entries.size(), 2);
  put(out, central.size(), 4);
  put(out, cd_offset, 4);
  put(out, 0, 2);
  return out;
}

// A complete pytorch_model.bin: archive/data.pkl, byteorder, version and each storage.
inline std::string torch_save_bytes(const std::vector<SavedTensor>& tensors,
                                    const std::map<std::string, std::string>& storages,
                                    const std::string& archive = "archive") {
  std::vector<std::pair<std::string, std::string>> entries = {
      {archive + "/data.pkl", state_dict_pickle(tensors)}, {archive + "/byteorder", "little"}};
  for (const auto& [key, bytes] : storages) entries.emplace_back(archive + "/data/" + key, bytes);
  entries.emplace_back(archive + "/version", "3\n");
  return zip_bytes(entries);
}

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

template <typename T>
std::string raw_bytes(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

}  // namespace spanloop::testing
