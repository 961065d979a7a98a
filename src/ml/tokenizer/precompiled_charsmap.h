// SentencePiece's precompiled normalization charsmap: a Darts double-array trie over UTF-8 bytes
// whose values index a blob of NUL-terminated replacement strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::ml::tok {

struct JsonContext;

class PrecompiledCharsmap {
 public:
  // Parses the raw blob: u32 trie byte size, the trie units, then the normalized strings.
  static PrecompiledCharsmap from_bytes(std::string_view blob, const JsonContext& ctx);
  static PrecompiledCharsmap from_base64(std::string_view b64, const JsonContext& ctx);

  // The replacement for `chunk` when some prefix of it is a key (the first, shortest, such
  // prefix decides, as spm_precompiled does), else nullopt.
  std::optional<std::string_view> transform(std::string_view chunk) const;

 private:
  std::vector<std::uint32_t> units_;
  std::string normalized_;
};

std::string base64_decode(std::string_view in, const JsonContext& ctx);

}  // namespace spanloop::ml::tok
