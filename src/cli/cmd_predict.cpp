// `spanloop predict`: run a token-classification model over texts (lines, CSV, JSONL, stdin) and
// print one JSON line per text with its entities, as transformers' pipeline returns them.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "ml/infer/entity_json.h"
#include "ml/infer/predictor.h"
#include "ml/infer/text_input.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

struct PredictOptions {
  std::string model;
  std::string input = "-";
  std::string text_field = "text";
  std::string aggregation = "simple";
  std::vector<std::string> ignore_labels = {"O"};
  std::size_t stride = 128;
  std::size_t batch_size = 16;
  std::size_t max_length = 0;
  std::string device = "cpu";
  std::string dtype = "fp32";
  std::size_t threads = 0;
  std::size_t chunk = 1024;  // texts read before each predict call (bounds memory, keeps order)
};

void run_predict(const PredictOptions& o) {
  ml::PredictorOptions p;
  p.aggregation = ml::parse_aggregation(o.aggregation);
  p.ignore_labels = o.ignore_labels;
  p.stride = o.stride;
  p.batch_size = o.batch_size;
  p.max_length = o.max_length;
  p.device = o.device;
  p.dtype = o.dtype;
  p.threads = o.threads;
  // Open the input first: a typo in its name should not cost a model load.
  std::unique_ptr<ml::TextInputReader> reader =
      o.input == "-" ? std::make_unique<ml::TextInputReader>(std::cin, "<stdin>",
                                                             ml::TextFormat::kLines, o.text_field)
                     : std::make_unique<ml::TextInputReader>(o.input, o.text_field);
  const auto predictor = ml::Predictor::load(o.model, p);

  std::vector<ml::TextRecord> records;
  auto flush = [&] {
    std::vector<std::string> texts;
    texts.reserve(records.size());
    for (auto& r : records) texts.push_back(std::move(r.text));
    const auto entities = predictor.predict(texts);
    for (std::size_t i = 0; i < records.size(); ++i)
      std::cout << ml::prediction_json_line(records[i].id, entities[i], p.aggregation) << '\n';
    std::cout.flush();
    records.clear();
  };
  ml::TextRecord r;
  while (reader->next(r)) {
    records.push_back(std::move(r));
    if (records.size() >= o.chunk) flush();
  }
  if (!records.empty()) flush();
}

void setup_predict(CLI::App& root) {
  auto o = std::make_shared<PredictOptions>();
  auto* cmd = root.add_subcommand(
      "predict", "Label spans in texts with a token-classification model (JSONL out)");
  cmd->add_option("--model", o->model, "Model directory (Hugging Face format)")->required();
  cmd->add_option("--input", o->input,
                  "Text file (one text per line), .csv or .jsonl; - for stdin lines");
  cmd->add_option("--text-field", o->text_field, "Column/field holding the text in CSV/JSONL");
  cmd->add_option("--aggregation", o->aggregation, "none|simple|first|average|max")
      ->capture_default_str();
  cmd->add_option("--ignore-labels", o->ignore_labels, "Labels not reported")
      ->capture_default_str();
  cmd->add_option("--stride", o->stride,
                  "Tokens shared by consecutive windows of texts longer than the model's window")
      ->capture_default_str();
  cmd->add_option("--max-length", o->max_length, "Window size in tokens (0: the model's maximum)");
  cmd->add_option("--batch-size", o->batch_size, "Windows per forward pass")->capture_default_str();
  cmd->add_option("--device", o->device, "cpu | cuda | cuda:N")->capture_default_str();
  cmd->add_option("--dtype", o->dtype, "fp32 | bf16")->capture_default_str();
  cmd->add_option("--threads", o->threads, "CPU threads (0: all cores)")->capture_default_str();
  cmd->callback([o] {
    const int rc = run_guarded([&] { run_predict(*o); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace
SPANLOOP_COMMAND(setup_predict);
}  // namespace spanloop::cli
