// TrainOptions: every setting of `spanloop train` (AutoTrain's token-classification parameters,
// same names, meanings and defaults, plus spanloop's own), one table that drives the command
// line, config files (YAML/JSON) and training_params.json.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace spanloop::ml::train {

struct TrainOptions {
  // --- model and data (AutoTrain names) ---
  std::string model = "bert-base-uncased";    // model directory (Hugging Face layout) or hub id
  std::string data_path;                      // dataset folder, CoNLL or JSONL file
  std::string project_name = "project-name";  // output directory
  std::string train_split = "train";          // split (file stem) to train on
  std::string valid_split;                    // split to evaluate on; empty: none
  std::string tokens_column = "tokens";       // JSONL field with the words
  std::string tags_column = "tags";           // JSONL field with the tags (ner_tags if absent)
  // --- spanloop data extensions ---
  std::string data_format = "auto";   // auto|hf|conll|jsonl-spans|jsonl-tokens
  std::string scheme = "iob2";        // tagging scheme for span data (iob2, bioes, bilou, io, ...)
  std::string pretokenizer = "bert";  // word splitter for span data (bert|whitespace|regex:..)
  double valid_fraction = 0.0;        // carve a validation split out of train (0: none)
  std::string server;                 // spanloop server URL (instead of --data-path)
  std::string dataset;                // dataset name or id on that server
  std::string api_key;                // API key for the server
  // --- optimisation (AutoTrain names and defaults) ---
  double lr = 5e-5;                        // peak learning rate
  int epochs = 3;                          // passes over the training data
  int batch_size = 8;                      // sequences per device per step
  double weight_decay = 0.0;               // AdamW decoupled weight decay
  double warmup_ratio = 0.1;               // fraction of steps spent warming up
  int max_seq_length = 128;                // tokens per window incl. special tokens
  int stride = 0;                          // tokens shared by consecutive windows
  bool label_all_tokens = false;           // label continuation sub-tokens too (B- -> I-)
  std::string mixed_precision = "none";    // none|fp16|bf16
  int gradient_accumulation = 1;           // micro-batches per optimizer step
  double max_grad_norm = 1.0;              // gradient clipping (<= 0: off)
  int seed = 42;                           // data order, dropout and init seed
  std::string optimizer = "adamw_torch";   // adamw_torch (adamw_hf is an alias)
  std::string scheduler = "linear";        // linear|cosine|constant
  int early_stopping_patience = 5;         // evaluations without improvement before stopping
  double early_stopping_threshold = 0.01;  // minimal F1 improvement that counts
  std::string eval_strategy = "epoch";     // epoch|steps (steps: every logging_steps)
  int save_total_limit = 1;                // checkpoints kept (best is never removed)
  int logging_steps = -1;                  // -1: 20% of an epoch's steps, between 1 and 25
  std::string log = "none";                // none|tensorboard|jsonl
  bool push_to_hub = false;                // upload the output directory when done
  std::string username;                    // hub user (for push_to_hub)
  std::string token;                       // hub token (for push_to_hub)
  // --- spanloop runtime ---
  std::string device = "cpu";          // cpu|cuda
  std::string resume_from_checkpoint;  // checkpoint directory, or "latest" in project_name
  int nproc_per_node = 1;              // local worker processes (data parallel)
  int threads = 0;                     // intra-op threads per process (0: cores / procs)
  int max_steps = -1;                  // stop after this many optimizer steps (-1: off)
  std::string config;                  // YAML/JSON file read before the flags
};

// One setting: its flag/key name (snake_case in files, kebab-case on the command line), help
// text, value kind, and how to read/write it as a string.
struct OptionSpec {
  std::string key;  // "batch_size"
  std::string help;
  enum class Kind { kString, kInt, kDouble, kBool };
  Kind kind = Kind::kString;  // kBool options are switches on the command line
  std::function<void(TrainOptions&, const std::string&)> set;
  std::function<std::string(const TrainOptions&)> get;
  std::string flag() const;  // "--batch-size"
};

// Every option, in --help order.
const std::vector<OptionSpec>& option_specs();

// Sets one option by key (snake or kebab case); throws InvalidArgument naming the key and the
// value when the key is unknown or the value does not parse. `where` names the source.
void set_option(TrainOptions& options, const std::string& key, const std::string& value,
                const std::string& where);

// Reads a YAML or JSON config file (flat keys, or AutoTrain's layout with base_model, data:,
// params:, hub:) into key -> value strings. Throws InvalidArgument naming file and key.
std::map<std::string, std::string> read_config_file(const std::filesystem::path& path);

// Checks ranges, choices and contradictions; returns every problem (empty: valid).
std::vector<std::string> validation_problems(const TrainOptions& options);
// Throws InvalidArgument with the problems joined by "; ".
void validate(const TrainOptions& options);

// {"key": value, ...} with numbers as numbers, booleans as booleans (training_params.json).
// The token and api_key are replaced by "*****".
std::string options_to_json(const TrainOptions& options);

}  // namespace spanloop::ml::train
