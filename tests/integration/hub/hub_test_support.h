// Shared setup of the Hub tests: options pointing at a fake Hub and a temporary cache.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "fake_hub.h"
#include "ml/hub/hub.h"
#include "support/test_support.h"

namespace spanloop::testing {

inline ml::hub::HubOptions hub_options(const FakeHub& hub, const TempDir& cache) {
  ml::hub::HubOptions o;
  o.endpoint = hub.endpoint();
  o.cache_dir = cache.path();
  o.progress = false;
  o.max_attempts = 3;
  return o;
}

inline std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Bytes that look like a weights file: binary, long enough to be an LFS object.
inline std::string fake_weights(std::size_t size, char seed) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 31 + seed) & 0xff);
  return s;
}

}  // namespace spanloop::testing
