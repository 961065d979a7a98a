// `spanloop version`: prints the version and the build's optional engines.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/command.h"
#include "cli/version.h"

namespace spanloop::cli {
namespace {

void setup_version(CLI::App& root) {
  auto* cmd = root.add_subcommand("version", "Print the spanloop version");
  cmd->callback([] { std::printf("spanloop %s\n", kVersion); });
}

}  // namespace
SPANLOOP_COMMAND(setup_version);
}  // namespace spanloop::cli
