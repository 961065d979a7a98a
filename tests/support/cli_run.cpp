// The spanloop binary through popen: stdout through the pipe, stderr through a temporary file.
#include "support/cli_run.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace spanloop::testing {

CliRun run_spanloop(const std::string& args, const CliOptions& options) {
  const TempDir scratch;
  const std::filesystem::path err_file = scratch.path() / "stderr.txt";
  std::string command;
  if (!options.cwd.empty()) command += "cd '" + options.cwd.string() + "' && ";
  if (!options.env.empty()) command += "env " + options.env + " ";
  command += std::string(SPANLOOP_BINARY_DIR) + "/bin/spanloop " + args;
  command += options.merge_stderr ? " 2>&1" : " 2>'" + err_file.string() + "'";

  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) run.out.append(buf.data(), n);
  const int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_file, std::ios::binary);
  std::stringstream text;
  text << err.rdbuf();
  run.err = text.str();
  return run;
}

}  // namespace spanloop::testing
