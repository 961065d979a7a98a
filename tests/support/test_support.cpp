// Shared test helpers.
#include "support/test_support.h"

#include <atomic>
#include <cstdlib>
#include <random>

namespace spanloop::testing {

std::optional<std::filesystem::path> shared_dir() {
  if (const char* env = std::getenv("SPANLOOP_SHARED_DIR"); env && *env) {
    if (std::filesystem::is_directory(env)) return std::filesystem::path(env);
    return std::nullopt;
  }
  const auto candidate = std::filesystem::path(SPANLOOP_SOURCE_DIR).parent_path() / "shared";
  if (std::filesystem::is_directory(candidate / "fixtures") ||
      std::filesystem::is_directory(candidate / "data")) {
    return candidate;
  }
  return std::nullopt;
}

std::filesystem::path test_data_dir() {
  return std::filesystem::path(SPANLOOP_SOURCE_DIR) / "tests" / "data";
}

TempDir::TempDir() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("spanloop-test-" + std::to_string(rd()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace spanloop::testing
