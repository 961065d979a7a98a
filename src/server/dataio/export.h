// Dataset export: a dataset's span annotations -> the text library's formats (CoNLL, IOB
// tokens JSONL, spans JSONL) through text::DatasetExporter, with its alignment/overlap report.
// What `spanloop export` and GET /api/v1/datasets/{id}/export run.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "text/exporter.h"

namespace spanloop::dataio {

// The request as strings (query parameters or CLI options); parse_export_params checks them.
struct ExportParams {
  std::string format = "conll";          // conll | iob-jsonl | spans-jsonl
  std::string scheme = "iob2";           // text::parse_scheme names
  std::string tokenizer = "whitespace";  // whitespace | bert | regex:<RE2>
  std::string alignment = "expand";      // expand | contract | strict | drop | legacy
  std::string overlap = "longest";       // error | longest | first | layers
  std::string status = "submitted";      // submitted | completed | all
  std::string source = "responses";      // responses | suggestions
  std::string question;                  // span question name; empty: the first one
  std::string user_id;                   // only this user's responses; empty: first submitted
};

enum class ExportStatus { kSubmitted, kCompleted, kAll };
enum class ExportSource { kResponses, kSuggestions };

struct ExportRequest {
  text::DatasetFormat format = text::DatasetFormat::kConll;
  text::Scheme scheme = text::Scheme::kIOB2;
  std::string tokenizer = "whitespace";
  text::TaggingOptions tagging{text::AlignmentPolicy::kExpand, text::OverlapPolicy::kLongest, 5};
  ExportStatus status = ExportStatus::kSubmitted;
  ExportSource source = ExportSource::kResponses;
  std::string question;
  std::optional<std::string> user_id;
};

// kInvalidArgument naming the parameter and its allowed values.
ExportRequest parse_export_params(const ExportParams& params);
// The content type an HTTP export of this format is served with.
std::string export_content_type(text::DatasetFormat format);

struct ExportSummary {
  std::string dataset_id;
  std::string question;
  std::size_t records_seen = 0;            // records matching the status filter
  std::size_t records_without_answer = 0;  // no submitted response (or suggestion) to export
  std::size_t records_failed = 0;          // refused by the exporter (listed in failures)
  std::vector<std::string> failures;       // the first 20 messages
  text::ExportResult result;               // counts, label map, tagging report

  std::string to_json() const;
  std::string to_text() const;
};

// Writes the export to `output` (a file; the label map goes next to it as
// <stem>.labels.json). Records are read in batches (store::RecordStream); a record that the
// exporter refuses (e.g. strict alignment) is counted and listed, not fatal, except under the
// `error` overlap policy: a record whose spans share a token throws kFailedPrecondition naming
// the record and both spans (the output is then incomplete; the caller discards it).
// Spans come from the record's first submitted response (by time), the given user's submitted
// response, or the suggestion (source = suggestions); records without one are skipped and
// counted. kNotFound for an unknown dataset; kInvalidArgument without a span question.
ExportSummary export_dataset(store::Store& store, const std::string& dataset_id,
                             const ExportRequest& request, const std::filesystem::path& output);

}  // namespace spanloop::dataio
