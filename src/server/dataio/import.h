// Record import: CSV, TSV or JSONL rows -> store records through the store's bulk upsert, with
// a column mapping and per-row errors. What `spanloop import` and POST .../records/import run.
#pragma once

#include <cstddef>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace spanloop::dataio {

enum class ImportFormat { kCsv, kTsv, kJsonl };
// csv | tsv | jsonl; kInvalidArgument otherwise.
ImportFormat parse_import_format(std::string_view name);

// Where the spans of a row go: a suggestion on the span question (pre-annotations for
// annotators to accept or fix) or a submitted response of the importing user.
enum class SpansTarget { kSuggestion, kResponse };

// Which columns (CSV header names, JSONL keys) hold what. Every part has a default, so an
// empty mapping imports files whose columns are named like the dataset's settings.
struct ImportMapping {
  // dataset field -> column; a field not named here reads the column of its own name.
  std::map<std::string, std::string> fields;
  // metadata key -> column; when empty, every declared metadata property reads the column of
  // its own name when the file has one.
  std::map<std::string, std::string> metadata;
  // Columns joined with ':' into the external id (upsert key); empty: "external_id", else "id",
  // when the file has such a column; otherwise records get no external id (always created).
  std::vector<std::string> external_id;
  // Column with a JSON list of {"start","end","label"} (code points); unset: "spans" when the
  // file has it.
  std::optional<std::string> spans;
  std::string spans_question;  // empty: the dataset's first span question
  SpansTarget spans_as = SpansTarget::kSuggestion;
  std::string agent = "import";  // suggestion agent

  // {"fields": {"text": "claim"}, "metadata": {"year": "pub_year"}, "external_id": "id" or
  //  ["publication_number", "sequence_id"], "spans": "entities", "spans_question": "ner",
  //  "spans_as": "suggestion" | "response", "agent": "..."}; unknown keys are refused.
  static ImportMapping from_json(std::string_view json);
};

struct ImportOptions {
  ImportFormat format = ImportFormat::kCsv;
  ImportMapping mapping;
  std::optional<std::string> user_id;  // owner of the responses when spans_as = response
  std::size_t batch_size = 500;        // records per bulk upsert (the API's bulk limit)
  std::size_t max_rows = 10'000'000;   // more data rows is an error at row max_rows + 1
  std::size_t max_errors_kept = 1000;  // row errors listed (all are counted)
};

// One row that was not imported. `row` is the line where the row starts in the file (CSV: the
// header is line 1); `field` names the dataset field, metadata key or column when known.
struct RowError {
  std::size_t row = 0;
  std::string message;
  std::optional<std::string> field;
};

struct ImportResult {
  std::size_t rows = 0;      // data rows read
  std::size_t imported = 0;  // rows written (created + updated)
  std::size_t created = 0;
  std::size_t updated = 0;  // rows that matched an existing record (external id)
  std::size_t error_count = 0;
  std::vector<RowError> errors;  // the first max_errors_kept, in file order

  // {"imported", "created", "updated", "rows", "error_count", "errors": [{row, message, field?}]}
  std::string to_json() const;
  std::string to_text() const;  // one summary line and one line per listed error
};

// Streams `in` in batches of options.batch_size rows into the dataset. Rows with problems are
// listed and skipped; the others are written (upserted by external id). Throws spanloop::Error
// for problems of the whole request: an unusable mapping (kInvalidArgument), a draft dataset
// (kFailedPrecondition), store failures. Batches written before such an error stay written.
ImportResult import_records(store::Store& store, const std::string& dataset_id, std::istream& in,
                            const ImportOptions& options);

}  // namespace spanloop::dataio
