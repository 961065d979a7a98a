// SHA-256 (the oid of Git LFS objects and of the Hub's linked ETags) and base64, on OpenSSL.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace spanloop::ml::hub {

// Incremental SHA-256; hex() finishes and returns 64 lower-case hex digits.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, std::size_t size);
  std::string hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string sha256_hex(std::string_view bytes);
// Hashes a whole file; throws spanloop::Error (kUnavailable) naming the file when unreadable.
std::string sha256_file_hex(const std::filesystem::path& path);
// Git's blob id ("blob <size>\0" + content, SHA-1): the ETag the Hub gives non-LFS files.
std::string git_blob_sha1_hex(std::string_view bytes);

std::string base64_encode(std::string_view bytes);

}  // namespace spanloop::ml::hub
