// CSV / TSV with a header row (RFC 4180 quoting: "..." fields may hold the delimiter, "" and
// line breaks), read as span records through a column mapping, e.g. the claims CSV
// `publication_number,sequence_id,text`.
#pragma once

#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "text/line_reader.h"
#include "text/record.h"

namespace spanloop::text {

// Which columns hold what. Columns not named here become extra fields (JSON strings).
struct CsvColumns {
  std::string text = "text";      // required
  std::vector<std::string> id{};  // joined with ':' ("US-8087209-B2:1"); empty: the "id" column
                                  // when there is one, else "line N"
  std::string spans{};            // a JSON array of {"start","end","label"}; empty: the "spans"
                                  // column when there is one, else no spans

  // Parses "text=COL,id=COL+COL,spans=COL" (any subset, in any order). Throws InvalidArgument.
  static CsvColumns parse(std::string_view spec);
};

// RFC 4180 records one at a time (fields may span lines).
class CsvParser {
 public:
  CsvParser(detail::LineReader& lines, char delimiter) : lines_(lines), delimiter_(delimiter) {}
  enum class Result { kRecord, kEnd, kProblem };
  // Reads the next non-blank record into `fields`; on kProblem, `problem` says what is wrong and
  // the parser has moved past the bad record. `line` is the record's first line.
  Result next(std::vector<std::string>& fields, std::string& problem, std::size_t& line);

 private:
  detail::LineReader& lines_;
  char delimiter_;
  std::string buffer_;
};

class CsvSpansReader {
 public:
  // delimiter: ',' for CSV, '\t' for TSV. Reads the header on construction and throws
  // InvalidArgument "FILE:1: ..." when a mapped column is missing.
  CsvSpansReader(const std::filesystem::path& path, char delimiter = ',', CsvColumns columns = {},
                 ReadOptions read = {});
  CsvSpansReader(std::istream& in, std::string name, char delimiter = ',', CsvColumns columns = {},
                 ReadOptions read = {});

  // Next record; false at the end. Malformed records (unterminated quote, wrong field count,
  // invalid spans JSON, a span past the end of the text) throw "FILE:LINE: PROBLEM" or are
  // skipped with skip_invalid.
  bool next(SpanRecord& out);

  const std::vector<std::string>& header() const { return header_; }
  const std::vector<InputProblem>& problems() const { return log_.problems(); }
  std::size_t skipped() const { return log_.skipped(); }

 private:
  void read_header(const CsvColumns& columns);

  detail::LineReader lines_;
  CsvParser parser_;
  detail::ProblemLog log_;
  std::vector<std::string> header_;
  std::size_t text_ = 0;
  std::vector<std::size_t> id_;
  std::optional<std::size_t> spans_;
  std::vector<std::string> fields_;
};

// Writes "id,text,spans" and then the extra fields of the first record as columns (string
// values as they are, other JSON values as JSON text). Fields are quoted when needed.
class CsvSpansWriter {
 public:
  explicit CsvSpansWriter(const std::filesystem::path& path, char delimiter = ',');
  CsvSpansWriter(std::ostream& out, std::string name, char delimiter = ',');

  // Throws InvalidArgument naming the record when it has an extra field the header lacks.
  void write(const SpanRecord& record);
  void close();

 private:
  std::string field(const std::string& value) const;

  std::unique_ptr<std::ofstream> file_;
  std::ostream* out_;
  std::string name_;
  char delimiter_;
  std::optional<std::vector<std::string>> extra_columns_;
};

}  // namespace spanloop::text
