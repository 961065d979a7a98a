// `spanloop convert`: dataset files from one format to another (spans <-> tags), printing the
// alignment / overlap report.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <memory>

#include "cli/command.h"
#include "text/alignment.h"
#include "text/convert.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

struct ConvertArgs {
  std::string from, to, input, output;
  std::string scheme = "iob2";
  std::string tokenizer = "whitespace";
  std::string alignment = "expand";
  std::string overlap = "error";
  std::string decode = "default";
  std::string input_scheme;
  std::vector<std::string> labels;
  std::size_t token_column = 1;
  std::vector<std::size_t> tag_columns;
  bool tab_separated = false;
  std::string columns;
  std::string split = "train";
  std::vector<std::string> splits;
  bool skip_invalid = false;
  bool no_offsets = false;
  std::size_t max_examples = 5;
  std::string report_json;
};

void run_convert(const ConvertArgs& a) {
  text::ConvertOptions o;
  o.from = text::parse_dataset_format(a.from);
  o.to = text::parse_dataset_format(a.to);
  o.input = a.input;
  o.output = a.output;
  o.scheme = text::parse_scheme(a.scheme);
  o.decode = text::parse_decode_mode(a.decode);
  if (!a.input_scheme.empty()) o.input_scheme = text::parse_scheme(a.input_scheme);
  o.tokenizer = a.tokenizer;
  o.tagging.alignment = text::parse_alignment_policy(a.alignment);
  o.tagging.overlap = text::parse_overlap_policy(a.overlap);
  o.tagging.max_examples = a.max_examples;
  o.labels = a.labels;
  if (a.token_column == 0) throw_invalid("--token-column counts from 1");
  o.conll.token_column = a.token_column - 1;
  for (std::size_t c : a.tag_columns) {
    if (c == 0) throw_invalid("--tag-column counts from 1");
    o.conll.tag_columns.push_back(c - 1);
  }
  o.conll.tab_separated = a.tab_separated;
  if (!a.columns.empty()) o.csv_columns = text::CsvColumns::parse(a.columns);
  o.split = a.split;
  o.splits = a.splits;
  o.skip_invalid = a.skip_invalid;
  o.write_offsets = !a.no_offsets;
  const text::ConvertResult result = text::convert_dataset(o);
  std::fputs(result.to_text().c_str(), stdout);
  if (!a.report_json.empty()) {
    std::ofstream out(a.report_json, std::ios::binary | std::ios::trunc);
    out << result.to_json();
    if (!out.flush()) throw Error(ErrorKind::kUnavailable, "cannot write " + a.report_json);
  }
}

void setup_convert(CLI::App& root) {
  auto args = std::make_shared<ConvertArgs>();
  auto* cmd = root.add_subcommand(
      "convert",
      "Convert a dataset between formats: text + character spans (jsonl, csv, tsv) and tokens + "
      "tags (conll, tokens-jsonl, hf folder), printing what alignment and overlap did");
  const std::vector<std::string> formats{"conll", "jsonl", "tokens-jsonl", "hf", "csv", "tsv"};
  cmd->add_option("--from", args->from, "Input format")->required()->check(CLI::IsMember(formats));
  cmd->add_option("--to", args->to, "Output format")->required()->check(CLI::IsMember(formats));
  cmd->add_option("--scheme", args->scheme,
                  "Tagging scheme written: io, iob1, iob2 (bio), ioe1, ioe2, iobes (bioes), bilou")
      ->capture_default_str();
  cmd->add_option("--tokenizer", args->tokenizer,
                  "Pre-tokenizer for text + spans input: whitespace, bert or regex:<RE2 pattern>")
      ->capture_default_str();
  cmd->add_option("--alignment", args->alignment,
                  "Span edge inside a token: expand, contract, strict (error), drop, legacy "
                  "(tag only tokens wholly inside, as the old notebook did)")
      ->capture_default_str();
  cmd->add_option("--overlap", args->overlap,
                  "Spans sharing a token: error, longest, first, layers (one tag column per layer)")
      ->capture_default_str();
  cmd->add_option(
         "--labels", args->labels,
         "Label order of the label map (default: the input's label map, then first appearance)")
      ->delimiter(',');
  cmd->add_option("--decode", args->decode,
                  "How input tags become spans: default (seqeval lenient), strict, conlleval")
      ->capture_default_str();
  cmd->add_option("--input-scheme", args->input_scheme,
                  "Scheme of the input tags for --decode strict (default: --scheme)");
  cmd->add_option("--token-column", args->token_column, "CoNLL input: token column (from 1)")
      ->capture_default_str();
  cmd->add_option("--tag-column", args->tag_columns,
                  "CoNLL input: tag column(s) from 1, one per layer (default: the last column)");
  cmd->add_flag("--tab-separated", args->tab_separated,
                "CoNLL input: columns separated by tabs only (default: spaces and tabs)");
  cmd->add_option(
      "--columns", args->columns,
      "CSV/TSV input column mapping, e.g. text=text,id=publication_number+sequence_id,spans=spans");
  cmd->add_option("--split", args->split, "hf output: split name for a single-file input")
      ->capture_default_str();
  cmd->add_option("--splits", args->splits, "hf input: splits to read (default: all)")
      ->delimiter(',');
  cmd->add_flag("--skip-invalid", args->skip_invalid,
                "Skip (and report) malformed or untaggable records instead of stopping");
  cmd->add_flag("--no-offsets", args->no_offsets,
                "tokens-jsonl / hf output: leave out \"text\" and \"offsets\"");
  cmd->add_option("--max-examples", args->max_examples, "Examples per report section")
      ->capture_default_str();
  cmd->add_option("--report-json", args->report_json, "Also write the report as JSON to this file");
  cmd->add_option("input", args->input, "Input file (hf: folder)")->required();
  cmd->add_option("output", args->output, "Output file (hf: folder)")->required();
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_convert(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace
SPANLOOP_COMMAND(setup_convert);
}  // namespace spanloop::cli
