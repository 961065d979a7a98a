// Registration of CLI subcommands: each cmd_<name>.cpp adds itself with SPANLOOP_COMMAND.
#pragma once

#include <functional>
#include <vector>

namespace CLI {
class App;
}

namespace spanloop::cli {

// Adds a subcommand (with its options and callback) to the root app.
using CommandSetup = void (*)(CLI::App& root);

std::vector<CommandSetup>& command_registry();

struct CommandRegistrar {
  explicit CommandRegistrar(CommandSetup setup) { command_registry().push_back(setup); }
};

// Runs body and turns spanloop::Error and std::exception into one line on stderr and a
// non-zero exit code, so every subcommand fails the same way.
int run_guarded(const std::function<void()>& body);

}  // namespace spanloop::cli

#define SPANLOOP_COMMAND(setup_fn) \
  static const ::spanloop::cli::CommandRegistrar spanloop_registrar_##setup_fn(setup_fn)
