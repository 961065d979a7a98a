// DatasetExporter: labelled records (text + spans) -> a dataset file in any format, with the
// alignment/overlap report and the label map written next to it. What the store's export and
// `spanloop convert` use.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/record.h"
#include "text/scheme.h"
#include "text/span_tagger.h"

namespace spanloop::text {

enum class DatasetFormat {
  kConll,        // CoNLL columns: token, then one tag column per layer
  kJsonl,        // JSONL spans {"id", "text", "spans", ...}
  kTokensJsonl,  // one JSONL tokens file {"id", "tokens", "ner_tags", ...} + <stem>.labels.json
  kHf,           // Hugging Face dataset folder (train/validation/test.jsonl, dataset_info.json)
  kCsv,          // CSV with a header: id, text, spans (JSON), extra fields
  kTsv,          // the same, tab-separated
};
// conll | jsonl | tokens-jsonl | hf | csv | tsv
DatasetFormat parse_dataset_format(std::string_view name);
std::string_view dataset_format_name(DatasetFormat format);
// Token formats hold tokens + tags; the others hold text + spans.
bool is_token_format(DatasetFormat format);

struct ExportOptions {
  DatasetFormat format = DatasetFormat::kConll;
  std::filesystem::path output{};        // a file; a folder for kHf
  std::vector<std::string> labels{};     // the dataset's labels, in label map order
  Scheme scheme = Scheme::kIOB2;         // tags written by token formats
  std::string tokenizer = "whitespace";  // pre-tokenizer spec (make_pretokenizer)
  TaggingOptions tagging{};              // alignment and overlap policies
  bool write_offsets = true;             // tokens-jsonl / hf: keep "text" and "offsets"
  std::string split = "train";           // hf: split of records added without one
  // Token formats with the `layers` overlap policy need the number of tag layers before the
  // first record is written. Unset: records are held in memory until finish().
  std::optional<std::size_t> layers{};
};

struct ExportResult {
  std::size_t records_read = 0;  // records added (convert: records read)
  std::size_t records_written = 0;
  std::size_t records_skipped = 0;       // convert --skip-invalid: malformed or untaggable records
  std::size_t records_empty = 0;         // records without tokens, which CoNLL cannot hold
  std::vector<InputProblem> problems{};  // the first skipped records, with file and line
  std::optional<TaggingReport> tagging{};  // for token formats
  std::vector<std::string> labels{};
  std::size_t layers = 1;
  std::filesystem::path label_map_path{};

  std::string to_text() const;
  std::string to_json() const;
};

// Typical export from the annotation store:
//   DatasetExporter out({.format = DatasetFormat::kConll, .output = "train.conll",
//                        .labels = question.labels, .scheme = Scheme::kIOB2,
//                        .tokenizer = "bert", .tagging = {AlignmentPolicy::kExpand,
//                        OverlapPolicy::kLongest}});
//   for (const SpanRecord& r : records) out.add(r);
//   ExportResult result = out.finish();  // result.tagging->to_text() is the report
class DatasetExporter {
 public:
  explicit DatasetExporter(ExportOptions options);
  ~DatasetExporter();
  DatasetExporter(const DatasetExporter&) = delete;
  DatasetExporter& operator=(const DatasetExporter&) = delete;

  // Adds one record, pre-tokenizing its text for token formats. Throws InvalidArgument naming the
  // record (and span) when it cannot be written: a span out of range or with an unknown label, a
  // strict-alignment or overlap-error failure, a token CoNLL cannot hold. A record that throws
  // changes neither the output nor the report.
  void add(const SpanRecord& record, const std::string& split = "");
  // The same with the tokens given (offsets into record.text), e.g. a record read from CoNLL.
  void add(const SpanRecord& record, std::vector<Token> tokens, const std::string& split = "",
           bool document_start = false);
  // Writes what is held, closes the files and writes the label map; call once.
  ExportResult finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spanloop::text
