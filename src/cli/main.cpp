// spanloop: the one executable; subcommands register themselves (see command.h).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>

#include "cli/command.h"
#include "cli/version.h"
#include "text/error.h"

namespace spanloop::cli {

std::vector<CommandSetup>& command_registry() {
  static std::vector<CommandSetup> registry;
  return registry;
}

int run_guarded(const std::function<void()>& body) {
  try {
    body();
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "spanloop: error: %s\n", e.what());
    return e.kind() == ErrorKind::kCancelled ? 130 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "spanloop: error: %s\n", e.what());
    return 1;
  }
}

}  // namespace spanloop::cli

int main(int argc, char** argv) {
  CLI::App app{"spanloop: annotate spans, export IOB data, fine-tune and run token classifiers"};
  app.set_version_flag("--version", std::string("spanloop ") + spanloop::cli::kVersion);
  app.require_subcommand(1);
  for (auto setup : spanloop::cli::command_registry()) setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const spanloop::Error& e) {
    std::fprintf(stderr, "spanloop: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
