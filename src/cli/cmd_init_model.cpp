// `spanloop init-model`: a randomly initialised BERT / DistilBERT / RoBERTa / XLM-R token classifier
// in Hugging Face format, for training from scratch on a domain vocabulary.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "ml/io/model_config.h"
#include "ml/model/token_classifier.h"
#include "ml/tokenizer/tokenizer.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

struct InitModelArgs {
  std::string arch = "bert";
  std::int64_t layers = 2, hidden = 256, heads = 4, intermediate = 0, max_positions = 512;
  std::string tokenizer, out;
  std::vector<std::string> labels;
  std::uint64_t seed = 42;
};

// "--labels O,B-X,I-X" and "--labels O B-X I-X" both work.
std::vector<std::string> split_labels(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& item : raw) {
    std::size_t start = 0;
    while (start <= item.size()) {
      const auto comma = item.find(',', start);
      const auto part = item.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

void run_init_model(const InitModelArgs& a) {
  const auto tokenizer = ml::Tokenizer::from_directory(a.tokenizer);
  ml::ModelConfig c;
  c.model_type = ml::parse_model_type(a.arch);
  const bool roberta = c.model_type == ml::ModelType::kRoberta || c.model_type == ml::ModelType::kXlmRoberta;
  c.vocab_size = static_cast<std::int64_t>(tokenizer.vocab_size());
  c.hidden_size = a.hidden;
  c.num_hidden_layers = a.layers;
  c.num_attention_heads = a.heads;
  c.intermediate_size = a.intermediate > 0 ? a.intermediate : 4 * a.hidden;
  c.pad_token_id = tokenizer.pad_token_id().value_or(roberta ? 1 : 0);
  // RoBERTa positions start after the padding index: room for max_positions tokens.
  c.max_position_embeddings = a.max_positions + (roberta ? c.pad_token_id + 1 : 0);
  c.type_vocab_size = c.model_type == ml::ModelType::kDistilBert ? 0 : (roberta ? 1 : 2);
  c.layer_norm_eps = roberta ? 1e-5 : 1e-12;
  if (roberta) {
    c.bos_token_id = tokenizer.bos_token_id() ? tokenizer.bos_token_id() : tokenizer.cls_token_id();
    c.eos_token_id = tokenizer.eos_token_id() ? tokenizer.eos_token_id() : tokenizer.sep_token_id();
  }
  c.labels = split_labels(a.labels);
  if (c.labels.empty()) throw_invalid("--labels: give at least one label (e.g. O,B-X,I-X)");
  c.architectures = {c.token_classification_architecture()};
  c.validate("init-model options");
  ml::ModelLoadOptions options;
  options.seed = a.seed;
  const auto model = ml::TokenClassifier::random(c, options);
  model.save(a.out, std::filesystem::path(a.tokenizer));
  std::int64_t params = 0;
  for (const auto& p : model.parameters()) params += p.numel();
  std::printf("wrote %s: %s, %lld layers, hidden %lld, %lld heads, FFN %lld, vocab %lld, %zu labels, %.2fM parameters\n",
              a.out.c_str(), c.token_classification_architecture().c_str(), static_cast<long long>(c.num_hidden_layers),
              static_cast<long long>(c.hidden_size), static_cast<long long>(c.num_attention_heads),
              static_cast<long long>(c.intermediate_size), static_cast<long long>(c.vocab_size), c.labels.size(),
              static_cast<double>(params) / 1e6);
}

void setup_init_model(CLI::App& root) {
  auto args = std::make_shared<InitModelArgs>();
  auto* cmd = root.add_subcommand(
      "init-model", "Write a randomly initialised token-classification model (Hugging Face format) for a tokenizer");
  cmd->add_option("--arch", args->arch, "bert | distilbert | roberta | xlm-roberta")
      ->check(CLI::IsMember({"bert", "distilbert", "roberta", "xlm-roberta"}))
      ->capture_default_str();
  cmd->add_option("--layers", args->layers, "Encoder layers")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--hidden", args->hidden, "Hidden size")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--heads", args->heads, "Attention heads (must divide --hidden)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--intermediate", args->intermediate, "Feed-forward size (default 4 x hidden)");
  cmd->add_option("--max-positions", args->max_positions, "Longest sequence in tokens")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--tokenizer", args->tokenizer, "Directory with the tokenizer (tokenizer.json or vocab files)")
      ->required();
  cmd->add_option("--labels", args->labels, "Tag set in id order, e.g. O,B-Material,I-Material")->required();
  cmd->add_option("--seed", args->seed, "Random seed")->capture_default_str();
  cmd->add_option("--out", args->out, "Output model directory")->required();
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_init_model(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace

SPANLOOP_COMMAND(setup_init_model);

}  // namespace spanloop::cli
