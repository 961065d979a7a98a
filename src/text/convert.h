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
#include "text/exporter.h"
#include "text/record.h"
#include "text/scheme.h"
#include "text/span_tagger.h"

namespace spanloop::text {

struct ConvertOptions {
  DatasetFormat from = DatasetFormat::kJsonl;
  DatasetFormat to = DatasetFormat::kConll;
  std::filesystem::path input{};
  std::filesystem::path output{};

  Scheme scheme = Scheme::kIOB2;             // scheme of the tags written
  DecodeMode decode = DecodeMode::kDefault;  // how input tags become spans
  std::optional<Scheme> input_scheme{};      // strict decoding: scheme of the input tags
  std::string tokenizer = "whitespace";      // pre-tokenizer for records that come as text + spans
  TaggingOptions tagging{};                  // alignment and overlap policies
  std::vector<std::string> labels{};         // label order; empty: label map names of the input,
                                             // then order of first appearance
  ConllOptions conll{};                      // CoNLL input columns
  CsvColumns csv_columns{};                  // CSV/TSV input columns
  bool skip_invalid = false;                 // skip (and report) malformed or untaggable records
  std::vector<std::string> splits{};         // hf input: splits to read (empty: all)
  std::string split = "train";               // hf output: split of records from a single-file input
  bool write_offsets = true;                 // token JSONL / hf output: keep "text" and "offsets"
};

// The counts, report and problems of a conversion (see ExportResult).
using ConvertResult = ExportResult;

// Reads options.input, converts every record and writes options.output, plus the label map
// (LabelMap::to_json) at label_map_path_for(output). Throws spanloop::Error naming the file and
// line of the first problem unless skip_invalid.
ConvertResult convert_dataset(const ConvertOptions& options);

}  // namespace spanloop::text
