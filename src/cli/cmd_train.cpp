// `spanloop train`: fine-tune a token classifier with AutoTrain's token-classification flags.
// Every flag comes from the option table in ml/train/train_options.h; --config FILE is read
// first and flags given on the command line override it.
#include <CLI/CLI.hpp>
#include <map>
#include <memory>

#include "cli/command.h"
#include "ml/train/train_command.h"
#include "ml/train/train_options.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

struct TrainArgs {
  std::map<std::string, std::string> values;  // flag key -> value as given
  std::map<std::string, bool> switches;       // flag key -> given
  std::string config;
};

void setup_train(CLI::App& root) {
  auto* cmd = root.add_subcommand(
      "train",
      "Fine-tune a token-classification model (AutoTrain token-classification flags).\n"
      "Data: --data-path (Hugging Face dataset folder, CoNLL, JSONL tokens or spans) or\n"
      "--server URL --dataset NAME. Outputs in --project-name: the model (Hugging Face layout),\n"
      "training_params.json, metrics.jsonl, classification_report.txt, README.md, checkpoints.");
  auto args = std::make_shared<TrainArgs>();
  const ml::train::TrainOptions defaults;
  for (const auto& spec : ml::train::option_specs()) {
    if (spec.key == "config") continue;
    const std::string help = spec.help;
    if (spec.kind == ml::train::OptionSpec::Kind::kBool) {
      cmd->add_flag_callback(
          spec.flag(), [args, key = spec.key] { args->switches[key] = true; },
          help + " [default: off]");
    } else {
      std::string shown = spec.get(defaults);
      if (shown.empty()) shown = "none";
      cmd->add_option_function<std::string>(
             spec.flag(), [args, key = spec.key](const std::string& v) { args->values[key] = v; },
             help + " [default: " + shown + "]")
          ->type_name(spec.kind == ml::train::OptionSpec::Kind::kString ? "TEXT" : "NUMBER");
    }
  }
  cmd->add_option("--config", args->config,
                  "YAML or JSON file with the same keys (flat, or AutoTrain's layout); flags "
                  "given here override it");
  cmd->callback([args] {
    const int rc = run_guarded([&] {
      ml::train::TrainOptions o;
      if (!args->config.empty()) {
        o.config = args->config;
        for (const auto& [k, v] : ml::train::read_config_file(args->config))
          ml::train::set_option(o, k, v, args->config);
      }
      for (const auto& [k, v] : args->values) ml::train::set_option(o, k, v, "command line");
      for (const auto& [k, on] : args->switches)
        ml::train::set_option(o, k, on ? "true" : "false", "command line");
      const int code = ml::train::run_train_command(o);
      if (code == 130)
        throw Error(ErrorKind::kCancelled,
                    "training stopped; continue with --resume-from-checkpoint latest");
      if (code != 0)
        throw Error(ErrorKind::kInternal,
                    "a worker process failed with exit code " + std::to_string(code));
    });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace
SPANLOOP_COMMAND(setup_train);
}  // namespace spanloop::cli
