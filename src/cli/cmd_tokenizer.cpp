// `spanloop tokenizer encode|train`: inspect how a model tokenizes text (one JSON line per text
// with tokens, ids, code point offsets and word ids) and train a WordPiece vocabulary.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "ml/tokenizer/tokenizer.h"
#include "ml/tokenizer/wordpiece_trainer.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

namespace fs = std::filesystem;

struct EncodeOptions {
  std::string model;
  std::string input = "-";
  std::string text_field = "text";
  bool no_special_tokens = false;
};

struct TrainOptions {
  std::size_t vocab_size = 30522;
  std::size_t min_frequency = 2;
  std::size_t limit_alphabet = 1000;
  bool lowercase = false;
  std::string out;
  std::string text_field = "text";
  std::vector<std::string> files;
};

ml::Tokenizer load(const std::string& model) {
  const fs::path p(model);
  if (fs::is_directory(p)) return ml::Tokenizer::from_directory(p);
  if (fs::is_regular_file(p)) return ml::Tokenizer::from_file(p);
  throw Error(ErrorKind::kNotFound,
              "model " + model + " is neither a directory nor a tokenizer.json file");
}

void print_encoding(const ml::Encoding& e) {
  nlohmann::json offsets = nlohmann::json::array(), words = nlohmann::json::array();
  for (const auto& o : e.offsets) offsets.push_back({o.begin, o.end});
  for (const auto w : e.word_ids)
    words.push_back(w < 0 ? nlohmann::json(nullptr) : nlohmann::json(w));
  const nlohmann::json line = {
      {"tokens", e.tokens}, {"ids", e.ids}, {"offsets", offsets}, {"word_ids", words}};
  std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void run_encode(const EncodeOptions& o) {
  const auto tok = load(o.model);
  auto encode = [&](std::string_view text) {
    print_encoding(tok.encode(text, !o.no_special_tokens));
  };
  if (o.input == "-") {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      encode(line);
    }
  } else {
    ml::for_each_document(o.input, o.text_field, encode);
  }
  std::cout.flush();
}

void run_train(const TrainOptions& o) {
  ml::WordPieceTrainerConfig config;
  config.vocab_size = o.vocab_size;
  config.min_frequency = o.min_frequency;
  config.limit_alphabet = o.limit_alphabet;
  config.lowercase = o.lowercase;
  ml::WordPieceTrainer trainer(config);
  for (const auto& f : o.files)
    ml::for_each_document(f, o.text_field, [&](std::string_view t) { trainer.feed(t); });
  if (trainer.documents() == 0)
    throw Error(ErrorKind::kInvalidArgument, "no documents in the training files");
  const auto tok = trainer.train();
  tok.save(o.out);
  std::fprintf(stderr, "trained a WordPiece vocabulary of %zu tokens on %zu documents into %s\n",
               tok.vocab_size(), trainer.documents(), o.out.c_str());
}

void setup_tokenizer(CLI::App& root) {
  auto* cmd = root.add_subcommand("tokenizer", "Inspect or train tokenizers");
  cmd->require_subcommand(1);

  auto enc = std::make_shared<EncodeOptions>();
  auto* e = cmd->add_subcommand(
      "encode", "Print tokens, ids, code point offsets and word ids, one JSON line per text");
  e->add_option("--model", enc->model, "Model directory or tokenizer.json")->required();
  e->add_option("--input", enc->input,
                "Text file (one text per line), .csv or .jsonl; - for stdin lines");
  e->add_option("--text-field", enc->text_field,
                "Column/field holding the text in CSV/JSONL input");
  e->add_flag("--no-special-tokens", enc->no_special_tokens, "Do not add [CLS]/[SEP] or <s>/</s>");
  e->callback([enc] {
    const int rc = run_guarded([&] { run_encode(*enc); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });

  auto tr = std::make_shared<TrainOptions>();
  auto* t = cmd->add_subcommand(
      "train", "Train a WordPiece vocabulary (BERT layout) from text, CSV or JSONL files");
  t->add_option("--vocab-size", tr->vocab_size, "Vocabulary size, special tokens included")
      ->required();
  t->add_flag("--lowercase", tr->lowercase, "Lowercase and strip accents (an uncased model)");
  t->add_option("--min-frequency", tr->min_frequency, "Minimum pair frequency for a merge");
  t->add_option("--limit-alphabet", tr->limit_alphabet, "Keep at most this many characters");
  t->add_option("--text-field", tr->text_field, "Column/field holding the text in CSV/JSONL input");
  t->add_option("--out", tr->out,
                "Output directory (tokenizer.json, vocab.txt, tokenizer_config.json, ...)")
      ->required();
  t->add_option("files", tr->files, "Training files")->required();
  t->callback([tr] {
    const int rc = run_guarded([&] { run_train(*tr); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace
SPANLOOP_COMMAND(setup_tokenizer);
}  // namespace spanloop::cli
