// Helpers shared by every test suite: error-kind checks and the optional ../shared data.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "text/error.h"

namespace spanloop::testing {

// The team's shared data folder (../shared next to the checkout, or $SPANLOOP_SHARED_DIR), when
// present. A user's fresh clone has none, so tests that need it skip.
std::optional<std::filesystem::path> shared_dir();

// The repository's own small fixtures (tests/data).
std::filesystem::path test_data_dir();

// A fresh empty directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace spanloop::testing

// Skips the current test (saying why) when ../shared is absent; binds its path to `var`.
#define SPANLOOP_REQUIRE_SHARED(var)                                                   \
  const auto var##_opt = ::spanloop::testing::shared_dir();                           \
  if (!var##_opt) GTEST_SKIP() << "../shared (fixtures and data) not present; skipped"; \
  const std::filesystem::path var = *var##_opt

// Expects `statement` to throw spanloop::Error of the given kind whose message contains `needle`.
#define EXPECT_ERROR_KIND(statement, expected_kind, needle)                               \
  do {                                                                                    \
    try {                                                                                 \
      statement;                                                                          \
      ADD_FAILURE() << "expected spanloop::Error from: " #statement;                      \
    } catch (const ::spanloop::Error& e) {                                                \
      EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(expected_kind)) << e.what(); \
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)                    \
          << "message: " << e.what() << "\nexpected to contain: " << (needle);            \
    }                                                                                     \
  } while (0)
