// `spanloop eval`: entity-level scores of predicted tags against gold tags, printed like seqeval's
// classification_report, as JSON, or like conlleval.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/command.h"
#include "text/conll.h"
#include "text/conlleval.h"
#include "text/entity_metrics.h"
#include "text/error.h"
#include "text/hf_dataset.h"
#include "text/jsonl_tokens.h"
#include "text/label_map.h"

namespace spanloop::cli {
namespace {

struct EvalArgs {
  std::string gold, pred;
  std::string mode = "default";
  std::string scheme;
  std::string format = "table";
  std::string input_format;
  int digits = 2;
  int zero_division = 0;
  std::size_t gold_column = 0;  // from 1; 0: default
  std::size_t pred_column = 0;
};

// Sentences of one tag column from a CoNLL or token JSONL file.
class TagFile {
 public:
  TagFile(const std::string& path, const std::string& format, std::optional<std::size_t> column)
      : path_(path) {
    const bool jsonl = format.empty() ? std::filesystem::path(path).extension() == ".jsonl"
                                      : format == "tokens-jsonl";
    if (jsonl) {
      if (column) throw_invalid("--gold-column/--pred-column apply to CoNLL files only");
      std::vector<std::string> names;
      // Tag names: <stem>.labels.json next to the file, or the Hugging Face folder it is in.
      const auto labels = text::label_map_path_for(path, false);
      const auto folder = std::filesystem::path(path).parent_path();
      if (std::filesystem::exists(labels)) {
        names = text::LabelMap::read_file(labels).tags();
      } else if (std::filesystem::exists(folder / "dataset_info.json") ||
                 std::filesystem::exists(folder / "label_map.json")) {
        names = text::read_hf_dataset_info(folder).tag_names;
      }
      jsonl_ = std::make_unique<text::JsonlTokensReader>(path, names);
    } else {
      text::ConllOptions o;
      if (column) o.tag_columns = {*column};
      conll_ = std::make_unique<text::ConllReader>(path, o);
    }
  }

  bool next(text::TokenRecord& r) { return conll_ ? conll_->next(r) : jsonl_->next(r); }
  std::size_t documents() const { return conll_ ? conll_->documents() : 0; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<text::ConllReader> conll_;
  std::unique_ptr<text::JsonlTokensReader> jsonl_;
};

std::optional<std::size_t> column_arg(std::size_t one_based) {
  if (one_based == 0) return std::nullopt;
  return one_based - 1;
}

// Reads gold and predicted sentences in lockstep and calls fn(gold, pred). Returns the number of
// -DOCSTART- lines in the gold file.
template <typename Fn>
std::size_t each_pair(const EvalArgs& a, Fn fn) {
  if (a.pred.empty()) {
    // conlleval's input: "... GOLD PRED" per line.
    text::ConllOptions o;
    const std::size_t pred_col = a.pred_column ? a.pred_column - 1 : 0;
    std::size_t columns = 0;
    {
      std::ifstream in(a.gold);
      std::string line;
      while (std::getline(in, line) && line.find_first_not_of(" \t\r") == std::string::npos) {
      }
      std::istringstream cols(line);
      std::string c;
      while (cols >> c) ++columns;
    }
    if (columns < 3 && !(a.gold_column && a.pred_column)) {
      throw_invalid(a.gold + ": without --pred, each line needs TOKEN ... GOLD PRED (found " +
                    std::to_string(columns) + " columns)");
    }
    o.tag_columns = {a.gold_column ? a.gold_column - 1 : columns - 2,
                     a.pred_column ? pred_col : columns - 1};
    text::ConllReader reader(a.gold, o);
    text::TokenRecord r;
    while (reader.next(r)) fn(r.tags[0], r.tags[1], a.gold + ":" + std::to_string(r.line));
    return reader.documents();
  }
  TagFile gold(a.gold, a.input_format, column_arg(a.gold_column));
  TagFile pred(a.pred, a.input_format, column_arg(a.pred_column));
  text::TokenRecord g, p;
  std::size_t sentence = 0;
  while (true) {
    const bool has_gold = gold.next(g);
    const bool has_pred = pred.next(p);
    if (!has_gold && !has_pred) break;
    ++sentence;
    if (has_gold != has_pred) {
      throw_invalid((has_gold ? a.pred : a.gold) + " ends at sentence " + std::to_string(sentence) +
                    " but " + (has_gold ? a.gold : a.pred) + " goes on");
    }
    if (g.tokens.size() != p.tokens.size()) {
      throw_invalid("sentence " + std::to_string(sentence) + ": " + a.gold + ":" +
                    std::to_string(g.line) + " has " + std::to_string(g.tokens.size()) +
                    " tokens, " + a.pred + ":" + std::to_string(p.line) + " has " +
                    std::to_string(p.tokens.size()));
    }
    fn(g.tags[0], p.tags[0],
       a.gold + ":" + std::to_string(g.line) + ", " + a.pred + ":" + std::to_string(p.line));
  }
  return gold.documents();
}

void run_eval(const EvalArgs& a) {
  if (a.digits < 0 || a.digits > 20) throw_invalid("--digits must be between 0 and 20");
  if (a.format == "conlleval") {
    if (a.mode != "default" || !a.scheme.empty()) {
      throw_invalid(
          "--format conlleval uses conlleval's own chunk rules; --mode and --scheme do not apply");
    }
    text::ConllevalCounter counter;
    const std::size_t documents = each_pair(
        a,
        [&](const auto& gold, const auto& pred, const std::string&) { counter.add(gold, pred); });
    // conlleval reads each -DOCSTART- line as an O/O token; next to sentence breaks such a token
    // changes no chunk, so only the count matters.
    for (std::size_t i = 0; i < documents; ++i) counter.add_document_start();
    std::fputs(counter.report().to_text().c_str(), stdout);
    return;
  }
  text::EvalOptions options;
  options.mode = text::parse_decode_mode(a.mode);
  if (options.mode == text::DecodeMode::kConlleval)
    throw_invalid("--mode is default or strict (use --format conlleval)");
  options.zero_division =
      a.zero_division == 1 ? text::ZeroDivision::kOne : text::ZeroDivision::kZero;
  if (!a.scheme.empty()) {
    if (options.mode != text::DecodeMode::kStrict)
      throw_invalid("--scheme applies to --mode strict");
    options.scheme = text::parse_scheme(a.scheme);
  } else if (options.mode == text::DecodeMode::kStrict) {
    // seqeval's auto_detect over the gold tags.
    text::TagSet set;
    text::SchemeDetector detector;
    each_pair(a, [&](const auto& gold, const auto&, const std::string&) {
      for (const auto& t : gold) detector.add(set.parsed(set.intern(t)));
    });
    options.scheme = detector.detect();
    if (!options.scheme) {
      throw_invalid("cannot detect the scheme of " + a.gold + " (prefixes " + detector.prefixes() +
                    "); pass --scheme");
    }
  }
  text::EntityEvaluator evaluator(options);
  each_pair(a, [&](const auto& gold, const auto& pred, const std::string& where) {
    try {
      evaluator.add(gold, pred);
    } catch (const Error& e) {
      throw Error(e.kind(), where + ": " + e.what());
    }
  });
  const text::EntityReport report = evaluator.report();
  if (a.format == "json") {
    std::fputs(report.to_json().c_str(), stdout);
    return;
  }
  std::string out = report.classification_report(a.digits);
  char acc[128];
  std::snprintf(acc, sizeof acc, "\ntoken accuracy: %.*f (%zu of %zu tokens)\n", a.digits + 2,
                report.accuracy(), report.correct_tokens, report.tokens);
  std::fputs((out + acc).c_str(), stdout);
}

void setup_eval(CLI::App& root) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = root.add_subcommand(
      "eval",
      "Score predicted tags against gold tags per entity type (seqeval / conlleval semantics)");
  cmd->add_option("--gold", args->gold,
                  "Gold file (CoNLL or tokens JSONL; without --pred: TOKEN ... GOLD PRED)")
      ->required();
  cmd->add_option("--pred", args->pred, "Predictions, sentence for sentence like --gold");
  cmd->add_option("--mode", args->mode,
                  "default (seqeval, lenient) or strict (seqeval mode='strict')")
      ->capture_default_str();
  cmd->add_option(
      "--scheme", args->scheme,
      "Scheme for strict mode: iob1, iob2, ioe1, ioe2, iobes, bilou (default: detected from gold)");
  cmd->add_option("--format", args->format,
                  "table (seqeval classification_report), json or conlleval")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "conlleval"}));
  cmd->add_option("--input-format", args->input_format,
                  "conll or tokens-jsonl (default: tokens-jsonl for *.jsonl, else conll)")
      ->check(CLI::IsMember({"conll", "tokens-jsonl"}));
  cmd->add_option("--digits", args->digits, "Digits in the table")->capture_default_str();
  cmd->add_option("--zero-division", args->zero_division,
                  "Value of a ratio that divides by zero: 0 or 1")
      ->capture_default_str()
      ->check(CLI::IsMember({0, 1}));
  cmd->add_option("--gold-column", args->gold_column,
                  "CoNLL: gold tag column, from 1 (default: the last)");
  cmd->add_option("--pred-column", args->pred_column,
                  "CoNLL: predicted tag column, from 1 (default: the last)");
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_eval(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace
SPANLOOP_COMMAND(setup_eval);
}  // namespace spanloop::cli
