// Dataset conversion between file formats (what `spanloop convert` runs): streaming, with the
// alignment/overlap report and a label map written next to the output.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/conll.h"
#include "text/csv.h"
#include "text/decode.h"
#include "text/record.h"
#include "text/scheme.h"
#include "text/span_tagger.h"

namespace spanloop::text {

enum class DatasetFormat {
  kConll,        // CoNLL columns (token ... tag)
  kJsonl,        // JSONL spans {"id", "text", "spans"}
  kTokensJsonl,  // one JSONL tokens file {"id", "tokens", "ner_tags"} (+ <stem>.labels.json)
  kHf,           // Hugging Face dataset folder (train/validation/test.jsonl + dataset_info.json)
  kCsv,          // CSV with a header, span records through a column mapping
  kTsv,          // the same, tab-separated
};
// conll | jsonl | tokens-jsonl | hf | csv | tsv
DatasetFormat parse_dataset_format(std::string_view name);
std::string_view dataset_format_name(DatasetFormat format);
// Token formats hold tokens + tags; the others hold text + spans.
bool is_token_format(DatasetFormat format);

struct ConvertOptions {
  DatasetFormat from = DatasetFormat::kJsonl;
  DatasetFormat to = DatasetFormat::kConll;
  std::filesystem::path input;
  std::filesystem::path output;

  Scheme scheme = Scheme::kIOB2;             // scheme of the tags written
  DecodeMode decode = DecodeMode::kDefault;  // how input tags become spans
  std::optional<Scheme> input_scheme;        // strict decoding: scheme of the input tags
  std::string tokenizer = "whitespace";      // pre-tokenizer for records that come as text + spans
  TaggingOptions tagging;                    // alignment and overlap policies
  std::vector<std::string> labels;           // label order; empty: label map names of the input,
                                             // then order of first appearance
  ConllOptions conll;                        // CoNLL input columns
  CsvColumns csv_columns;                    // CSV/TSV input columns
  bool skip_invalid = false;                 // skip (and report) malformed or untaggable records
  std::vector<std::string> splits;           // hf input: splits to read (empty: all)
  std::string split = "train";               // hf output: split of records from a single-file input
  bool write_offsets = true;                 // token JSONL / hf output: keep "text" and "offsets"
};

struct ConvertResult {
  std::size_t records_read = 0;
  std::size_t records_written = 0;
  std::size_t records_skipped = 0;       // malformed input or untaggable records (skip_invalid)
  std::size_t records_empty = 0;         // records without tokens, which CoNLL cannot hold
  std::vector<InputProblem> problems;    // the first skipped records, with file and line
  std::optional<TaggingReport> tagging;  // when tags were written
  std::vector<std::string> labels;
  std::size_t layers = 1;
  std::filesystem::path label_map_path;

  std::string to_text() const;
  std::string to_json() const;
};

// Reads options.input, converts every record and writes options.output, plus the label map
// (LabelMap::to_json) at label_map_path_for(output). Throws spanloop::Error naming the file and
// line of the first problem unless skip_invalid.
ConvertResult convert_dataset(const ConvertOptions& options);

}  // namespace spanloop::text
