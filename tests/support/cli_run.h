// Runs the built spanloop binary as a user would, for end-to-end tests of the command line.
#pragma once

#include <filesystem>
#include <string>

namespace spanloop::testing {

// How one run of the binary ended and what it printed.
struct CliRun {
  int code = -1;    // exit status; -1 when it could not start or died from a signal
  std::string out;  // stdout (with stderr too when CliOptions::merge_stderr)
  std::string err;  // stderr
};

struct CliOptions {
  std::string env;            // "NAME=value ..." assignments put before the command
  std::filesystem::path cwd;  // working directory; empty: the test's own
  bool merge_stderr = false;  // interleave stderr into `out`, as a terminal shows them
};

// `args` is appended to the binary's path as shell words (quote paths with spaces yourself).
CliRun run_spanloop(const std::string& args, const CliOptions& options = {});

}  // namespace spanloop::testing
