// The option table behind TrainOptions: parsing, validation and JSON output.
#include "ml/train/train_options.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "text/error.h"

namespace spanloop::ml::train {
namespace {

[[noreturn]] void bad_value(const std::string& key, const std::string& value, const char* what) {
  throw_invalid("option '" + key + "': '" + value + "' is not " + what);
}

int parse_int(const std::string& key, const std::string& v) {
  int out = 0;
  const auto* end = v.data() + v.size();
  auto [p, ec] = std::from_chars(v.data(), end, out);
  if (ec != std::errc() || p != end || v.empty()) bad_value(key, v, "an integer");
  return out;
}

double parse_double(const std::string& key, const std::string& v) {
  try {
    std::size_t used = 0;
    const double d = std::stod(v, &used);
    if (used != v.size() || !std::isfinite(d)) bad_value(key, v, "a number");
    return d;
  } catch (const std::logic_error&) {
    bad_value(key, v, "a number");
  }
}

bool parse_bool(const std::string& key, const std::string& v) {
  std::string s = v;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  bad_value(key, v, "a boolean (true/false)");
}

std::string fmt_double(double d) {
  nlohmann::json j = d;
  return j.dump();
}

using S = std::string TrainOptions::*;
using I = int TrainOptions::*;
using D = double TrainOptions::*;
using B = bool TrainOptions::*;

OptionSpec str(const char* key, S member, const char* help) {
  return {key, help, OptionSpec::Kind::kString,
          [member](TrainOptions& o, const std::string& v) { o.*member = v; },
          [member](const TrainOptions& o) { return o.*member; }};
}
OptionSpec integer(const char* key, I member, const char* help) {
  const std::string k = key;
  return {key, help, OptionSpec::Kind::kInt,
          [member, k](TrainOptions& o, const std::string& v) { o.*member = parse_int(k, v); },
          [member](const TrainOptions& o) { return std::to_string(o.*member); }};
}
OptionSpec number(const char* key, D member, const char* help) {
  const std::string k = key;
  return {key, help, OptionSpec::Kind::kDouble,
          [member, k](TrainOptions& o, const std::string& v) { o.*member = parse_double(k, v); },
          [member](const TrainOptions& o) { return fmt_double(o.*member); }};
}
OptionSpec flag(const char* key, B member, const char* help) {
  const std::string k = key;
  return {key, help, OptionSpec::Kind::kBool,
          [member, k](TrainOptions& o, const std::string& v) { o.*member = parse_bool(k, v); },
          [member](const TrainOptions& o) { return std::string(o.*member ? "true" : "false"); }};
}

std::string snake(std::string key) {
  std::replace(key.begin(), key.end(), '-', '_');
  while (!key.empty() && key.front() == '_') key.erase(key.begin());
  return key;
}

bool one_of(const std::string& v, std::initializer_list<const char*> choices) {
  return std::any_of(choices.begin(), choices.end(), [&](const char* c) { return v == c; });
}

}  // namespace

std::string OptionSpec::flag() const {
  std::string f = "--" + key;
  std::replace(f.begin(), f.end(), '_', '-');
  return f;
}

const std::vector<OptionSpec>& option_specs() {
  using T = TrainOptions;
  static const std::vector<OptionSpec> specs = {
      str("model", &T::model,
          "model directory in Hugging Face layout (config.json, "
          "model.safetensors, tokenizer.json) or a config-only directory"),
      str("data_path", &T::data_path,
          "training data: Hugging Face dataset folder, CoNLL file or JSONL (spans or tokens)"),
      str("project_name", &T::project_name, "output directory"),
      str("train_split", &T::train_split, "split to train on (file stem in a dataset folder)"),
      str("valid_split", &T::valid_split, "split to evaluate on (empty: none)"),
      str("tokens_column", &T::tokens_column, "JSONL field holding the words"),
      str("tags_column", &T::tags_column,
          "JSONL field holding the tags (falls back to ner_tags when absent)"),
      str("data_format", &T::data_format, "auto|hf|conll|jsonl-spans|jsonl-tokens"),
      str("scheme", &T::scheme, "tagging scheme for span data: iob2|iob1|io|ioe1|ioe2|bioes|bilou"),
      str("pretokenizer", &T::pretokenizer,
          "word splitter for span data: bert|whitespace|regex:RE"),
      number("valid_fraction", &T::valid_fraction,
             "fraction of train held out for validation when there is no valid split (0: none)"),
      str("server", &T::server, "spanloop server URL to export submitted responses from"),
      str("dataset", &T::dataset, "dataset name or id on --server"),
      str("api_key", &T::api_key, "API key for --server"),
      number("lr", &T::lr, "peak learning rate"),
      integer("epochs", &T::epochs, "training epochs"),
      integer("batch_size", &T::batch_size, "sequences per step and process"),
      number("weight_decay", &T::weight_decay,
             "AdamW decoupled weight decay (not on biases and LayerNorm weights)"),
      number("warmup_ratio", &T::warmup_ratio, "fraction of optimizer steps for linear warmup"),
      integer("max_seq_length", &T::max_seq_length,
              "tokens per window incl. special tokens; longer sentences are split into windows"),
      integer("stride", &T::stride, "tokens shared by consecutive windows of a long sentence"),
      flag("label_all_tokens", &T::label_all_tokens,
           "label continuation sub-tokens too (B- becomes I-) instead of -100"),
      str("mixed_precision", &T::mixed_precision,
          "none|bf16|fp16 (bf16: autocast on CPU/CUDA; fp16: CUDA with loss scaling)"),
      integer("gradient_accumulation", &T::gradient_accumulation,
              "micro-batches accumulated per optimizer step"),
      number("max_grad_norm", &T::max_grad_norm, "gradient clipping norm (<= 0: off)"),
      integer("seed", &T::seed, "random seed (data order, dropout, new head)"),
      str("optimizer", &T::optimizer, "adamw_torch (adamw_hf accepted as an alias)"),
      str("scheduler", &T::scheduler,
          "learning-rate schedule after warmup: linear|cosine|constant"),
      integer("early_stopping_patience", &T::early_stopping_patience,
              "evaluations without F1 improvement before stopping (0: off)"),
      number("early_stopping_threshold", &T::early_stopping_threshold,
             "minimal F1 improvement that resets the patience"),
      str("eval_strategy", &T::eval_strategy, "epoch|steps (steps: every logging_steps steps)"),
      integer("save_total_limit", &T::save_total_limit,
              "checkpoints kept on disk (the best one is always kept)"),
      integer("logging_steps", &T::logging_steps,
              "optimizer steps between log lines (-1: 20% of an epoch, 1..25)"),
      str("log", &T::log, "none|tensorboard|jsonl (metrics.jsonl is always written)"),
      flag("push_to_hub", &T::push_to_hub, "upload the output directory to the Hub when done"),
      str("username", &T::username, "Hub user name for --push-to-hub"),
      str("token", &T::token, "Hub token for --push-to-hub"),
      str("device", &T::device, "cpu|cuda"),
      str("resume_from_checkpoint", &T::resume_from_checkpoint,
          "checkpoint directory to continue from, or 'latest' (newest in project_name)"),
      integer("nproc_per_node", &T::nproc_per_node,
              "local data-parallel worker processes (Gloo on CPU, NCCL on CUDA)"),
      integer("threads", &T::threads, "intra-op threads per process (0: cores / processes)"),
      integer("max_steps", &T::max_steps, "stop after this many optimizer steps (-1: off)"),
  };
  return specs;
}

void set_option(TrainOptions& options, const std::string& key, const std::string& value,
                const std::string& where) {
  const std::string k = snake(key);
  for (const auto& spec : option_specs()) {
    if (spec.key == k) {
      try {
        spec.set(options, value);
      } catch (const Error& e) {
        throw_invalid(where + ": " + e.what());
      }
      return;
    }
  }
  throw_invalid(where + ": unknown option '" + key + "'");
}

std::vector<std::string> validation_problems(const TrainOptions& o) {
  std::vector<std::string> p;
  auto need = [&](bool ok, const std::string& msg) {
    if (!ok) p.push_back(msg);
  };
  const bool from_server = !o.server.empty() || !o.dataset.empty();
  need(!o.model.empty(), "--model is required");
  if (from_server) {
    need(!o.server.empty() && !o.dataset.empty(), "--server and --dataset go together");
    need(o.data_path.empty(), "--data-path and --server are alternatives; give one");
  } else {
    need(!o.data_path.empty(), "--data-path (or --server with --dataset) is required");
    need(o.api_key.empty(), "--api-key needs --server");
  }
  need(!o.project_name.empty(), "--project-name must not be empty");
  need(o.lr > 0, "--lr must be > 0 (got " + fmt_double(o.lr) + ")");
  need(o.epochs >= 1, "--epochs must be >= 1 (got " + std::to_string(o.epochs) + ")");
  need(o.batch_size >= 1, "--batch-size must be >= 1 (got " + std::to_string(o.batch_size) + ")");
  need(o.weight_decay >= 0, "--weight-decay must be >= 0");
  need(o.warmup_ratio >= 0 && o.warmup_ratio <= 1, "--warmup-ratio must be in [0, 1]");
  need(o.max_seq_length >= 8 && o.max_seq_length <= 1 << 16,
       "--max-seq-length must be in [8, 65536] (got " + std::to_string(o.max_seq_length) + ")");
  need(o.stride >= 0 && o.stride < o.max_seq_length / 2,
       "--stride must be >= 0 and below half of --max-seq-length (got " + std::to_string(o.stride) +
           ")");
  need(one_of(o.mixed_precision, {"none", "fp16", "bf16"}),
       "--mixed-precision must be none, fp16 or bf16 (got '" + o.mixed_precision + "')");
  need(o.gradient_accumulation >= 1, "--gradient-accumulation must be >= 1");
  need(one_of(o.optimizer, {"adamw_torch", "adamw_hf", "adamw"}),
       "--optimizer must be adamw_torch (got '" + o.optimizer + "')");
  need(one_of(o.scheduler, {"linear", "cosine", "constant"}),
       "--scheduler must be linear, cosine or constant (got '" + o.scheduler + "')");
  need(o.early_stopping_patience >= 0, "--early-stopping-patience must be >= 0");
  need(o.early_stopping_threshold >= 0, "--early-stopping-threshold must be >= 0");
  need(one_of(o.eval_strategy, {"epoch", "steps", "no"}),
       "--eval-strategy must be epoch or steps (got '" + o.eval_strategy + "')");
  need(o.save_total_limit >= 1, "--save-total-limit must be >= 1");
  need(o.logging_steps == -1 || o.logging_steps >= 1, "--logging-steps must be -1 or >= 1");
  need(one_of(o.log, {"none", "tensorboard", "jsonl"}),
       "--log must be none, tensorboard or jsonl (got '" + o.log + "')");
  need(one_of(o.device, {"cpu", "cuda"}), "--device must be cpu or cuda (got '" + o.device + "')");
  need(!(o.mixed_precision == "fp16" && o.device == "cpu"),
       "--mixed-precision fp16 needs --device cuda (use bf16 on CPU)");
  need(one_of(o.data_format, {"auto", "hf", "conll", "jsonl-spans", "jsonl-tokens"}),
       "--data-format must be auto, hf, conll, jsonl-spans or jsonl-tokens");
  need(o.valid_fraction >= 0 && o.valid_fraction < 1, "--valid-fraction must be in [0, 1)");
  need(!(o.valid_fraction > 0 && !o.valid_split.empty()),
       "--valid-fraction and --valid-split contradict each other; give one");
  if (o.push_to_hub) {
    need(!o.username.empty(), "--push-to-hub needs --username");
    need(!o.token.empty(), "--push-to-hub needs --token");
  }
  need(o.nproc_per_node >= 1 && o.nproc_per_node <= 256, "--nproc-per-node must be in [1, 256]");
  need(o.threads >= 0, "--threads must be >= 0");
  need(o.max_steps == -1 || o.max_steps >= 1, "--max-steps must be -1 or >= 1");
  return p;
}

void validate(const TrainOptions& options) {
  const auto problems = validation_problems(options);
  if (problems.empty()) return;
  std::string msg;
  for (const auto& s : problems) msg += (msg.empty() ? "" : "; ") + s;
  throw_invalid(msg);
}

std::string options_to_json(const TrainOptions& options) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& spec : option_specs()) {
    std::string v = spec.get(options);
    if ((spec.key == "token" || spec.key == "api_key") && !v.empty()) v = "*****";
    switch (spec.kind) {
      case OptionSpec::Kind::kBool:
        j[spec.key] = v == "true";
        break;
      case OptionSpec::Kind::kInt:
        j[spec.key] = std::stoll(v);
        break;
      case OptionSpec::Kind::kDouble:
        j[spec.key] = std::stod(v);
        break;
      case OptionSpec::Kind::kString:
        j[spec.key] = v;
        break;
    }
  }
  return j.dump(2);
}

}  // namespace spanloop::ml::train
